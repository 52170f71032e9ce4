// SPDX-License-Identifier: BSD-3-Clause
// ppc64 and ppc64le: the system call instruction and the clone trampoline. One
// file for both, as Go's asm_linux_ppc64x.s: the instructions are the same in
// either byte order; only the function call ABI differs (ELFv1 on big-endian
// ppc64, ELFv2 on ppc64le), in the trampoline's child. Included by arch.hpp;
// include rawsyscall.hpp.
#pragma once

#if !defined(_CALL_ELF) || (_CALL_ELF != 1 && _CALL_ELF != 2)
#error "gosyscall: ppc64 needs the ELFv1 or ELFv2 ABI (_CALL_ELF 1 or 2)"
#endif

namespace go::syscall::detail {

// powerpc's clone is CLONE_BACKWARDS (arch/powerpc/Kconfig): flags, stack,
// parent_tid, tls, child_tid.
inline constexpr bool kCloneStackFirst = false;

// The kernel's struct sigaction (arch/powerpc/include/uapi/asm/signal.h,
// which defines SA_RESTORER): handler, flags, restorer, then the mask in
// longs (_NSIG 64).
struct KernelSigaction {
  uintptr handler, flags, restorer;
  uintptr mask[64 / (8 * sizeof(uintptr))];
};

// The system call, as Go's asm_linux_ppc64x.s (runtime/internal/syscall)
// and the kernel's Documentation/powerpc/syscall64-abi.rst: `sc`, number in
// r0, arguments in r3-r8; the result in r3. The kernel flags an error apart,
// in cr0.SO, and r3 then holds the errno as a positive number: the asm
// negates it (bns+ skips that when SO is clear), so toResult sees the -errno
// of the other arches. The kernel may change r0, r4-r12, ctr, xer and cr0
// (the ELF ABI's volatile registers but r3, cr1 and cr5-7); r4-r8 are in/out
// operands where they carry an argument, the rest declared clobbered. It
// keeps r1 (the stack pointer), r2 (the TOC pointer), r13 (the thread
// pointer), r14-r31 (r31 the frame pointer, when there is one), lr and the
// floating-point and vector registers; none of the compiler's reserved
// registers is an operand.
//
// r2: ppc64 has no second result register. Go's Syscall6 returns R0, which
// Go keeps 0, as r2 ("r2 is not used. Always set to 0."), and r4 has no
// defined value after `sc` (volatile in syscall64-abi.rst; qemu-user leaves
// a2 there), so r2 is 0 here too.
GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  register uintptr r0 asm("r0") = trap;
  register uintptr r3 asm("r3") = a1;
  register uintptr r4 asm("r4") = a2;
  register uintptr r5 asm("r5") = a3;
  asm volatile(
      "sc\n\t"
      "bns+ 1f\n\t"
      "neg %%r3, %%r3\n"
      "1:"
      : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5)
      :
      : "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr", "xer", "cr0", "memory");
  return RawRegs{r3, 0};
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3,
                                               uintptr a4, uintptr a5, uintptr a6) noexcept {
  register uintptr r0 asm("r0") = trap;
  register uintptr r3 asm("r3") = a1;
  register uintptr r4 asm("r4") = a2;
  register uintptr r5 asm("r5") = a3;
  register uintptr r6 asm("r6") = a4;
  register uintptr r7 asm("r7") = a5;
  register uintptr r8 asm("r8") = a6;
  asm volatile(
      "sc\n\t"
      "bns+ 1f\n\t"
      "neg %%r3, %%r3\n"
      "1:"
      : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8)
      :
      : "r9", "r10", "r11", "r12", "ctr", "xer", "cr0", "memory");
  return RawRegs{r3, 0};
}

// The frame the child makes below the new stack's top before its call, the
// ABI's minimum: ELFv2 (ppc64le) a 32-byte header (back chain, CR, LR and
// TOC save doublewords); ELFv1 (ppc64) a 48-byte header and the 64-byte
// parameter save area every ELFv1 caller provides. Both keep the stack
// pointer 16-byte aligned.
#if _CALL_ELF == 2
#define GOSYSCALL_PPC64_MIN_FRAME "32"
#else
#define GOSYSCALL_PPC64_MIN_FRAME "112"
#endif

// The clone trampoline. clone's arguments: r3 flags, r4 stack, r5
// parent_tid, r6 tls, r7 child_tid (clone3: r3 args, r4 size); the number
// in r0. main and arg travel in r14 and r15: nonvolatile registers, which
// the child gets as the parent had them (copy_thread copies the parent's
// registers), whereas r4-r12 are volatile across `sc` and promised to
// neither. The child starts right after `sc` with r3 0 and r1 at the new
// stack; an error is negated as in syscall3 before the parent/child test.
// The parent's r14 and r15 come back unchanged, so they are plain inputs.
//
// In the child: the stack pointer rounded down to 16 bytes (it already is),
// a minimal frame whose back chain (the word at 0(r1), which stdu stores as
// it moves r1) is 0, ending the chain for a debugger; arg in r3; then
// main(arg) through ctr, as the ABI calls through a pointer:
//   ELFv2: the entry address in r12 as well, from which main's global entry
//       point computes its own TOC pointer in r2;
//   ELFv1: main points to a function descriptor {entry, TOC, environment}:
//       the entry goes to ctr, the TOC to r2 and the environment to r11.
// main never returns; `trap` stops the child if it does. r2 is changed only
// in the child, which never comes back to the compiler's code.
inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  register uintptr r0 asm("r0") = trap;
  register uintptr r3 asm("r3") = a1;
  register uintptr r4 asm("r4") = a2;
  register uintptr r5 asm("r5") = a3;
  register uintptr r6 asm("r6") = 0;
  register uintptr r7 asm("r7") = 0;
  register ChildMain r14 asm("r14") = main;
  register void* r15 asm("r15") = arg;
  asm volatile(
      "sc\n\t"
      "bns+ 1f\n\t"
      "neg %%r3, %%r3\n"
      "1:\n\t"
      "cmpdi %%r3, 0\n\t"
      "bne 2f\n\t"
      "clrrdi %%r1, %%r1, 4\n\t"
      "li %%r0, 0\n\t"
      "stdu %%r0, -" GOSYSCALL_PPC64_MIN_FRAME
      "(%%r1)\n\t"
      "mr %%r3, %[arg]\n\t"
#if _CALL_ELF == 2
      "mr %%r12, %[main]\n\t"
      "mtctr %%r12\n\t"
#else
      "ld %%r0, 0(%[main])\n\t"
      "ld %%r2, 8(%[main])\n\t"
      "ld %%r11, 16(%[main])\n\t"
      "mtctr %%r0\n\t"
#endif
      "bctrl\n\t"
      "trap\n"
      "2:"
      : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)
      : [main] "r"(r14), [arg] "r"(r15)
      : "r8", "r9", "r10", "r11", "r12", "ctr", "xer", "cr0", "memory");
  return r3;
}

#undef GOSYSCALL_PPC64_MIN_FRAME

}  // namespace go::syscall::detail
