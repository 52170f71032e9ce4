// SPDX-License-Identifier: BSD-3-Clause
// amd64: the system call instruction and the clone trampoline. Included by
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

// The system call, as Go's asm_linux_amd64.s (arch/x86/entry/entry_64.S):
// number in rax; arguments in rdi, rsi, rdx, r10, r8, r9 (r10, not rcx: the
// `syscall` instruction itself overwrites rcx with the return address and r11
// with rflags, so both are clobbered). The result comes back in rax; every
// other register is kept. r2 is rdx after the call, which is what Go returns
// as r2 on amd64.
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

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3,
                                               uintptr a4, uintptr a5, uintptr a6) noexcept {
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

// The clone trampoline. clone's arguments: rdi flags, rsi stack, rdx
// parent_tid, r10 child_tid, r8 tls (clone3: rdi args, rsi size). The kernel
// keeps every register but rax, rcx and r11, and the child starts right after
// `syscall` with rax 0 and rsp at the new stack, so main and arg travel in r12
// and r9, which neither the call nor the kernel touches.
inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  register uintptr r10 asm("r10") = 0;
  register uintptr r8 asm("r8") = 0;
  register ChildMain r12 asm("r12") = main;
  register void* r9 asm("r9") = arg;
  uintptr r;
  asm volatile(
      "syscall\n\t"
      "testq %%rax, %%rax\n\t"
      "jnz 1f\n\t"
      // The child, on its own stack: no frame to return to (rbp 0 ends the
      // chain for a debugger), the ABI's 16-byte alignment, main(arg).
      "xorl %%ebp, %%ebp\n\t"
      "andq $-16, %%rsp\n\t"
      "movq %%r9, %%rdi\n\t"
      "callq *%%r12\n\t"
      "ud2\n"
      "1:"
      : "=a"(r)
      : "0"(trap), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r12), "r"(r9)
      : "rcx", "r11", "memory");
  return r;
}

}  // namespace go::syscall::detail
