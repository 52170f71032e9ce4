// SPDX-License-Identifier: BSD-3-Clause
// 386: the system call instruction and the clone trampoline. Included by
// arch.hpp; include rawsyscall.hpp.
#pragma once

namespace go::syscall::detail {

inline constexpr bool kCloneStackFirst = false;

// The kernel's struct sigaction (include/linux/signal_types.h, with
// SA_RESTORER): handler, flags, restorer, then the mask in longs. A 64-bit
// integer mask would be wrong here.
struct KernelSigaction {
  uintptr handler, flags, restorer;
  uintptr mask[64 / (8 * sizeof(uintptr))];
};

// The system call, as Go's asm_linux_386.s (arch/x86/entry/entry_32.S):
// `int $0x80`, number in eax, arguments in ebx, ecx, edx, esi, edi, ebp; the
// result in eax; every other register is kept. r2 is edx after the call (Go's
// r2 on 386).
//
// Two of those registers may belong to the compiler:
//   ebx is the PIC/GOT register under -fPIC (GCC < 5 refuses it as an asm
//       operand there; newer compilers accept it but may have to reload it),
//   ebp is the frame pointer at -O0 and with -fno-omit-frame-pointer, and
//       GCC refuses it as an operand whenever it is.
// So neither is ever an operand: both are saved and restored inside the asm.
// The same code then works with -fPIC and -fno-PIC, at -O0 and -O2.
GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  RawRegs r;
  // a1 travels in edi and is swapped into ebx only around the trap; the
  // second xchg restores the caller's ebx and puts a1 back into edi, so edi
  // is unchanged and need not be declared clobbered. The kernel keeps ecx
  // and edx, so edx still holds a3 afterwards: that is Go's r2 too.
  asm volatile(
      "xchgl %%edi, %%ebx\n\t"
      "int $0x80\n\t"
      "xchgl %%edi, %%ebx"
      : "=a"(r.r1), "=d"(r.r2)
      : "0"(trap), "D"(a1), "c"(a2), "1"(a3)
      : "memory");
  return r;
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3,
                                               uintptr a4, uintptr a5, uintptr a6) noexcept {
  // Seven values, but only eax, ecx, edx, esi and edi can be operands. Once
  // the asm has pushed anything, a memory operand addressed relative to esp
  // (-O2) is off by the push and one relative to ebp (-O0) is lost when ebp
  // is loaded, so the remaining three values go through one register instead:
  // eax points at {trap, a1, a6} on the stack. The array escapes into the asm
  // and the asm clobbers "memory", so the stores are done before it runs.
  const uintptr block[3] = {trap, a1, a6};
  RawRegs r;
  asm volatile(
      "pushl %%ebp\n\t"           // the caller's frame pointer, maybe
      "pushl %%ebx\n\t"           // the caller's GOT pointer, maybe
      "movl 4(%%eax), %%ebx\n\t"  // a1
      "movl 8(%%eax), %%ebp\n\t"  // a6
      "movl 0(%%eax), %%eax\n\t"  // trap
      "int $0x80\n\t"
      "popl %%ebx\n\t"
      "popl %%ebp"
      : "=a"(r.r1), "=d"(r.r2)
      : "0"(block), "c"(a2), "1"(a3), "S"(a4), "D"(a5)
      : "memory");
  return r;
}

// The clone trampoline. clone's arguments: ebx flags, ecx stack, edx
// parent_tid, esi tls, edi child_tid (clone3: ebx args, ecx size). The kernel
// reads esi and edi only for CLONE_SETTLS and CLONE_CHILD_SETTID/CLEARTID,
// which cloneOnStack's callers never ask for, so main travels in esi and arg
// in edi; the child starts right after `int $0x80` with eax 0, every other
// register as it was, and esp at the new stack.
//
// ebx is never an operand (see above): it is saved on the parent's stack and
// restored, and trap and a1 reach the asm through eax, which points at them.
inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  const uintptr block[2] = {trap, a1};
  uintptr r;
  asm volatile(
      "pushl %%ebx\n\t"
      "movl 4(%%eax), %%ebx\n\t"
      "movl 0(%%eax), %%eax\n\t"
      "int $0x80\n\t"
      "testl %%eax, %%eax\n\t"
      "jnz 1f\n\t"
      // The child, on its own stack: no frame to return to (ebp 0 ends the
      // chain for a debugger), 16-byte alignment at the call as the SysV
      // i386 ABI asks today, then main(arg) with arg on the stack.
      "xorl %%ebp, %%ebp\n\t"
      "andl $-16, %%esp\n\t"
      "subl $12, %%esp\n\t"
      "pushl %%edi\n\t"
      "call *%%esi\n\t"
      "ud2\n"
      "1:\n\t"
      "popl %%ebx"
      : "=a"(r)
      : "0"(block), "c"(a2), "d"(a3), "S"(main), "D"(arg)
      : "memory");
  return r;
}

}  // namespace go::syscall::detail
