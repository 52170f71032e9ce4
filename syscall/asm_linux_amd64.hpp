// SPDX-License-Identifier: BSD-3-Clause
// The amd64 system call instruction, as Go's asm_linux_amd64.s.
//
// Included by rawsyscall.hpp (which defines detail::RawRegs first); include
// that header, not this one.
//
// Kernel ABI (arch/x86/entry/entry_64.S): number in rax; arguments in rdi,
// rsi, rdx, r10, r8, r9 (r10, not rcx: the `syscall` instruction itself
// overwrites rcx with the return address and r11 with rflags, so both are
// clobbered). The result comes back in rax; every other register is kept.
// r2 is rdx after the call, which is what Go returns as r2 on amd64.
#pragma once

namespace go::syscall::detail {

GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  RawRegs r;
  // "memory": the kernel may read or write anything the arguments point to.
  asm volatile("syscall"
               : "=a"(r.r1), "=d"(r.r2)
               : "0"(trap), "D"(a1), "S"(a2), "1"(a3)
               : "rcx", "r11", "memory");
  return r;
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3, uintptr a4, uintptr a5,
                                               uintptr a6) noexcept {
  // r10, r8 and r9 have no constraint letter; local register variables are
  // the documented GCC/Clang way to bind an asm operand to them.
  register uintptr r10 asm("r10") = a4;
  register uintptr r8 asm("r8") = a5;
  register uintptr r9 asm("r9") = a6;
  RawRegs r;
  asm volatile("syscall"
               : "=a"(r.r1), "=d"(r.r2)
               : "0"(trap), "D"(a1), "S"(a2), "1"(a3), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return r;
}

}  // namespace go::syscall::detail
