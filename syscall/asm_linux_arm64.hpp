// SPDX-License-Identifier: BSD-3-Clause
// The arm64 system call instruction, as Go's asm_linux_arm64.s.
//
// Included by rawsyscall.hpp (which defines detail::RawRegs first); include
// that header, not this one.
//
// Kernel ABI (arch/arm64/kernel/entry.S): `svc 0`, number in x8, arguments
// in x0-x5; the result in x0; every other register is kept. r2 is x1 after
// the call (Go's r2 on arm64). No register here is reserved by the compiler
// (the frame pointer is x29, the platform register x18), so all are plain
// operands.
#pragma once

namespace go::syscall::detail {

GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  register uintptr x8 asm("x8") = trap;
  register uintptr x0 asm("x0") = a1;
  register uintptr x1 asm("x1") = a2;
  register uintptr x2 asm("x2") = a3;
  asm volatile("svc 0" : "+r"(x0), "+r"(x1) : "r"(x8), "r"(x2) : "memory");
  return RawRegs{x0, x1};
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3, uintptr a4, uintptr a5,
                                               uintptr a6) noexcept {
  register uintptr x8 asm("x8") = trap;
  register uintptr x0 asm("x0") = a1;
  register uintptr x1 asm("x1") = a2;
  register uintptr x2 asm("x2") = a3;
  register uintptr x3 asm("x3") = a4;
  register uintptr x4 asm("x4") = a5;
  register uintptr x5 asm("x5") = a6;
  asm volatile("svc 0"
               : "+r"(x0), "+r"(x1)
               : "r"(x8), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
               : "memory");
  return RawRegs{x0, x1};
}

}  // namespace go::syscall::detail
