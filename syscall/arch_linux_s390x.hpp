// SPDX-License-Identifier: BSD-3-Clause
// s390x: the system call instruction and the clone trampoline. Included by
// arch.hpp; include rawsyscall.hpp.
#pragma once

namespace go::syscall::detail {

// s390x's clone takes the new stack first: clone(stack, flags, parent_tid,
// child_tid, tls) (CONFIG_CLONE_BACKWARDS2). cloneOnStack and rawFork swap
// the first two, as Go's exec_linux.go does.
inline constexpr bool kCloneStackFirst = true;

// The kernel's struct sigaction (include/linux/signal_types.h; s390's
// asm/signal.h defines SA_RESTORER): handler, flags, restorer, then the mask
// in longs (_NSIG is 64).
struct KernelSigaction {
  uintptr handler, flags, restorer;
  uintptr mask[64 / (8 * sizeof(uintptr))];
};

// The system call, as Go's runtime/internal/syscall/asm_linux_s390x.s
// (arch/s390/kernel/entry.S): `svc 0` with the number in r1 (the form for
// any number; `svc NR` only encodes those below 256), arguments in r2-r7;
// the result in r2; the kernel restores every other register on return. r2
// is r3 after the call (Go's r2 on s390x).
//
// r6 and r7 are callee-saved in the s390x ELF ABI though they carry
// arguments: as register variables they make the compiler save and restore
// them in the enclosing function, as for any callee-saved register it uses.
// The registers the compiler may reserve (r11, the frame pointer; r12, the
// GOT pointer under -fPIC; r13; r15, sp) are never operands. The condition
// code is declared clobbered, as the kernel does not promise it.
GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  register uintptr r1 asm("r1") = trap;
  register uintptr r2 asm("r2") = a1;
  register uintptr r3 asm("r3") = a2;
  register uintptr r4 asm("r4") = a3;
  asm volatile("svc 0" : "+d"(r2), "+d"(r3) : "d"(r1), "d"(r4) : "cc", "memory");
  return RawRegs{r2, r3};
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3,
                                               uintptr a4, uintptr a5, uintptr a6) noexcept {
  register uintptr r1 asm("r1") = trap;
  register uintptr r2 asm("r2") = a1;
  register uintptr r3 asm("r3") = a2;
  register uintptr r4 asm("r4") = a3;
  register uintptr r5 asm("r5") = a4;
  register uintptr r6 asm("r6") = a5;
  register uintptr r7 asm("r7") = a6;
  asm volatile("svc 0"
               : "+d"(r2), "+d"(r3)
               : "d"(r1), "d"(r4), "d"(r5), "d"(r6), "d"(r7)
               : "cc", "memory");
  return RawRegs{r2, r3};
}

// The clone trampoline. clone's arguments, already in the kernel's order
// (cloneOnStack swapped them): r2 stack, r3 flags, r4 parent_tid, r5
// child_tid, r6 tls (clone3: r2 args, r3 size); the number in r1. The kernel
// keeps every register but r2, and the child starts right after `svc 0` with
// r2 0, r15 (sp) at the new stack and the rest as in the parent. clone
// reads no sixth argument, so main travels in r7, and arg in r0, a scratch
// register the kernel does not read either (not main: basr with r0 as its
// target register does not branch).
//
// The child, before the call, builds what the ABI expects of a caller: sp
// rounded down to 8 bytes (a no-op for cloneOnStack's stack), a 160-byte
// register save area below it, which main may store into, and a zero back
// chain at its bottom, where a backtrace stops; r11, the frame pointer when
// there is one, is zeroed too. Neither r11 nor r14, which basr sets, is an
// operand: only the child writes them, and it never returns to compiler
// code.
// `j .+2` jumps into its own second halfword, an invalid opcode (SIGILL),
// if main ever returned.
inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  register uintptr r1 asm("r1") = trap;
  register uintptr r2 asm("r2") = a1;
  register uintptr r3 asm("r3") = a2;
  register uintptr r4 asm("r4") = a3;
  register uintptr r5 asm("r5") = 0;
  register uintptr r6 asm("r6") = 0;
  register ChildMain r7 asm("r7") = main;
  register void* r0 asm("r0") = arg;
  asm volatile(
      "svc 0\n\t"
      "ltgr %%r2, %%r2\n\t"
      "jnz 1f\n\t"
      // The child, on its own stack: a frame for main with no caller behind
      // it, then main(arg).
      "nill %%r15, 0xfff8\n\t"
      "aghi %%r15, -160\n\t"
      "lghi %%r11, 0\n\t"
      "stg %%r11, 0(%%r15)\n\t"
      "lgr %%r2, %%r0\n\t"
      "basr %%r14, %%r7\n\t"
      "j .+2\n"
      "1:"
      : "+d"(r2)
      : "d"(r1), "d"(r3), "d"(r4), "d"(r5), "d"(r6), "d"(r7), "d"(r0)
      : "cc", "memory");
  return r2;
}

}  // namespace go::syscall::detail
