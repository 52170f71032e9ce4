// SPDX-License-Identifier: BSD-3-Clause
// The arm (EABI) system call instruction, as Go's asm_linux_arm.s.
//
// Included by rawsyscall.hpp (which defines detail::RawRegs first); include
// that header, not this one.
//
// Kernel ABI (arch/arm/kernel/entry-common.S, EABI): `svc 0`, number in r7,
// arguments in r0-r5; the result in r0; every other register is kept. r2 is
// r1 after the call (Go's r2 on arm).
//
// r7 is the frame pointer in Thumb code (armhf compiles to Thumb-2 by
// default), and GCC refuses it as an asm operand wherever it is the frame
// pointer (-O0, -fno-omit-frame-pointer). So r7 is never an operand: the
// number arrives in any register, r7 is parked in ip (r12, the intra-call
// scratch register, declared clobbered) across the trap and then restored.
// If the compiler happens to put the number in r7 itself (when r7 is a plain
// register), the sequence still loads the right value. Works in Thumb and ARM
// mode, at -O0 and -O2, with and without -fPIC.
#pragma once

namespace go::syscall::detail {

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

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3, uintptr a4, uintptr a5,
                                               uintptr a6) noexcept {
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

}  // namespace go::syscall::detail
