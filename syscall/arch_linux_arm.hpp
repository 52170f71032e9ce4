// SPDX-License-Identifier: BSD-3-Clause
// arm (EABI): the system call instruction and the clone trampoline. Included by
// arch.hpp; include rawsyscall.hpp.
#pragma once

namespace go::syscall::detail {

inline constexpr bool kCloneStackFirst = false;

// The kernel's struct sigaction (include/linux/signal_types.h, with
// SA_RESTORER): handler, flags, restorer, then the mask in longs. A 64-bit
// integer mask would be wrong here, where it would be aligned to 8.
struct KernelSigaction {
  uintptr handler, flags, restorer;
  uintptr mask[64 / (8 * sizeof(uintptr))];
};

// The system call, as Go's asm_linux_arm.s (arch/arm/kernel/entry-common.S,
// EABI): `svc 0`, number in r7, arguments in r0-r5; the result in r0; every
// other register is kept. r2 is r1 after the call (Go's r2 on arm).
//
// r7 is the frame pointer in Thumb code (armhf compiles to Thumb-2 by
// default), and GCC refuses it as an asm operand wherever it is the frame
// pointer (-O0, -fno-omit-frame-pointer). So r7 is never an operand: the
// number arrives in any register, r7 is parked in ip (r12, the intra-call
// scratch register, declared clobbered) across the trap and then restored.
// If the compiler happens to put the number in r7 itself (when r7 is a plain
// register), the sequence still loads the right value. Works in Thumb and ARM
// mode, at -O0 and -O2, with and without -fPIC.
GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  register uintptr r0 asm("r0") = a1;
  register uintptr r1 asm("r1") = a2;
  register uintptr r2 asm("r2") = a3;
  asm volatile(
      "mov ip, r7\n\t"
      "mov r7, %[trap]\n\t"
      "svc 0\n\t"
      "mov r7, ip"
      : "+r"(r0), "+r"(r1)
      : [trap] "r"(trap), "r"(r2)
      : "ip", "memory");
  return RawRegs{r0, r1};
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3,
                                               uintptr a4, uintptr a5, uintptr a6) noexcept {
  register uintptr r0 asm("r0") = a1;
  register uintptr r1 asm("r1") = a2;
  register uintptr r2 asm("r2") = a3;
  register uintptr r3 asm("r3") = a4;
  register uintptr r4 asm("r4") = a5;
  register uintptr r5 asm("r5") = a6;
  asm volatile(
      "mov ip, r7\n\t"
      "mov r7, %[trap]\n\t"
      "svc 0\n\t"
      "mov r7, ip"
      : "+r"(r0), "+r"(r1)
      : [trap] "r"(trap), "r"(r2), "r"(r3), "r"(r4), "r"(r5)
      : "ip", "memory");
  return RawRegs{r0, r1};
}

// The clone trampoline. clone's arguments: r0 flags, r1 stack, r2
// parent_tid, r3 tls, r4 child_tid (clone3: r0 args, r1 size); the number in
// r7. The kernel reads r3 and r4 only for CLONE_SETTLS and
// CLONE_CHILD_SETTID/CLEARTID, which cloneOnStack's callers never ask for, so
// main travels in r3 and arg in r4 (GCC has no more low registers to spare at
// -O0, where r7 is the frame pointer); the child starts right after `svc 0`
// with r0 0, every other register as it was, and sp at the new stack.
//
// r7 is parked in ip across the call, as above. The child does not realign sp
// (Thumb cannot `bic sp`): cloneOnStack's stack is aligned.
inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  register uintptr r0 asm("r0") = a1;
  register uintptr r1 asm("r1") = a2;
  register uintptr r2 asm("r2") = a3;
  register ChildMain r3 asm("r3") = main;
  register void* r4 asm("r4") = arg;
  asm volatile(
      "mov ip, r7\n\t"
      "mov r7, %[trap]\n\t"
      "svc 0\n\t"
      "cmp r0, #0\n\t"
      "bne 1f\n\t"
      // The child, on its own stack: no frame to return to (lr 0), then
      // main(arg); blx keeps the Thumb bit of main's address.
      "mov r0, r4\n\t"
      "mov lr, #0\n\t"
      "blx r3\n\t"
      "udf #0\n"
      "1:\n\t"
      "mov r7, ip"
      : "+r"(r0)
      : [trap] "r"(trap), "r"(r1), "r"(r2), "r"(r3), "r"(r4)
      : "ip", "memory");
  return r0;
}

}  // namespace go::syscall::detail
