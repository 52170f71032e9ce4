// SPDX-License-Identifier: BSD-3-Clause
// mips64 and mips64le (the n64 ABI): the system call instruction and the clone
// trampoline. Included by arch.hpp; include rawsyscall.hpp.
#pragma once

namespace go::syscall::detail {

inline constexpr bool kCloneStackFirst = false;

// The kernel's struct sigaction on mips (include/linux/signal_types.h with
// __ARCH_HAS_IRIX_SIGACTION, as arch/mips/include/uapi/asm/signal.h): the
// flags first and only an int wide, then the handler (the compiler puts the
// 4 bytes of padding between them, as the kernel's does), no restorer (mips
// has no SA_RESTORER: the signal trampoline is the kernel's, in the vdso or
// on the signal frame), then the mask in longs, _NSIG = 128 signals.
struct KernelSigaction {
  unsigned int flags;
  uintptr handler;
  uintptr mask[128 / (8 * sizeof(uintptr))];
};

// The system call, as Go's asm_linux_mips64x.s (arch/mips/kernel/
// scall64-n64.S): `syscall`, number in v0 ($2), arguments in a0-a5 ($4-$9);
// the result in v0, and a3 ($7) set to 1 when it is an error, which v0 then
// holds as a positive errno: the asm negates it, so that toResult sees the
// -errno of the other arches. r2 is v1 ($3) after the call (Go's r2 on mips64;
// the legacy pipe returns its second fd there).
//
// The kernel's entry code saves and restores only v0, v1, a0-a5, t9, gp, sp
// and ra around a call (arch/mips/include/asm/stackframe.h, SAVE_SOME and
// RESTORE_SOME); s0-s8 survive because the kernel's C code keeps them. The
// rest comes back with whatever the kernel left there: at ($1), a6, a7 and
// t0-t3 ($10-$15), t8 ($24), hi and lo. They are declared clobbered, and so
// is t9, which the kernel does restore (glibc declares it too); a4 and a5
// are in-out operands in syscall6 and clobbered in syscall3: nothing is lost
// by not relying on them. gp ($28), sp and the frame pointer ($30) are never
// operands: the compiler reserves them, and the kernel keeps them.
//
// `.set noreorder` makes the branch's delay slot explicit (GCC hands inline
// asm to the assembler in whatever mode its own code is in); `.set push`
// and `.set pop` give the mode back.
GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  register uintptr v0 asm("$2") = trap;
  register uintptr v1 asm("$3");
  register uintptr r4 asm("$4") = a1;
  register uintptr r5 asm("$5") = a2;
  register uintptr r6 asm("$6") = a3;
  register uintptr r7 asm("$7");
  asm volatile(
      ".set push\n\t"
      ".set noreorder\n\t"
      "syscall\n\t"
      "beqz $7, 1f\n\t"
      " nop\n\t"
      "dsubu $2, $0, $2\n"  // a positive errno: -errno
      "1:\n\t"
      ".set pop"
      : "+r"(v0), "=r"(v1), "=r"(r7)
      : "r"(r4), "r"(r5), "r"(r6)
      : "$1", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo",
        "memory");
  return RawRegs{v0, v1};
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3,
                                               uintptr a4, uintptr a5, uintptr a6) noexcept {
  register uintptr v0 asm("$2") = trap;
  register uintptr v1 asm("$3");
  register uintptr r4 asm("$4") = a1;
  register uintptr r5 asm("$5") = a2;
  register uintptr r6 asm("$6") = a3;
  register uintptr r7 asm("$7") = a4;
  register uintptr r8 asm("$8") = a5;
  register uintptr r9 asm("$9") = a6;
  asm volatile(
      ".set push\n\t"
      ".set noreorder\n\t"
      "syscall\n\t"
      "beqz $7, 1f\n\t"
      " nop\n\t"
      "dsubu $2, $0, $2\n"  // a positive errno: -errno
      "1:\n\t"
      ".set pop"
      : "+r"(v0), "=r"(v1), "+r"(r7), "+r"(r8), "+r"(r9)
      : "r"(r4), "r"(r5), "r"(r6)
      : "$1", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo", "memory");
  return RawRegs{v0, v1};
}

// The clone trampoline. clone's arguments (CONFIG_CLONE_BACKWARDS): a0
// flags, a1 stack, a2 parent_tid, a3 tls, a4 child_tid (clone3: a0 args, a1
// size); the number in v0. The kernel reads a3 and a4 only for CLONE_SETTLS
// and CLONE_CHILD_SETTID/CLEARTID, which cloneOnStack's callers never ask
// for: both are 0. The child starts right after `syscall` with v0 and a3 0,
// sp at the new stack, and every register the entry code saved (above) as it
// was, s0-s8 too (the kernel saves those for clone: save_static_function in
// arch/mips/kernel/syscall.c). So main travels in t9 ($25), which is also
// where n64's PIC convention wants a callee's address (the callee computes
// gp from it), and arg in s0 ($16).
//
// The child makes no frame: the n64 ABI gives a callee no save area in its
// caller's frame, and the stack's top is 16-byte aligned, as n64 wants sp
// at a call. The frame pointer is zeroed (the chain ends there for a
// debugger); jalr sets ra to the `break` after it.
inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  register uintptr v0 asm("$2") = trap;
  register uintptr r4 asm("$4") = a1;
  register uintptr r5 asm("$5") = a2;
  register uintptr r6 asm("$6") = a3;
  register uintptr r7 asm("$7") = 0;
  register uintptr r8 asm("$8") = 0;
  register ChildMain t9 asm("$25") = main;
  register void* s0 asm("$16") = arg;
  asm volatile(
      ".set push\n\t"
      ".set noreorder\n\t"
      "syscall\n\t"
      "bnez $7, 1f\n\t"  // failed: v0 holds the errno
      " nop\n\t"
      "bnez $2, 2f\n\t"  // the parent: v0 holds the child's pid
      " nop\n\t"
      // The child, on its own stack: main(arg), never to return.
      "move $30, $0\n\t"
      "move $4, $16\n\t"
      "jalr $25\n\t"
      " nop\n\t"
      "break\n"
      "1:\n\t"
      "dsubu $2, $0, $2\n"  // a positive errno: -errno
      "2:\n\t"
      ".set pop"
      : "+r"(v0), "+r"(r7), "+r"(r8), "+r"(t9)
      : "r"(r4), "r"(r5), "r"(r6), "r"(s0)
      : "$1", "$3", "$9", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "hi", "lo", "memory");
  return v0;
}

}  // namespace go::syscall::detail
