// SPDX-License-Identifier: BSD-3-Clause
// The amd64 clone trampoline. Included by clone_linux.hpp; include that.
//
// clone's arguments: rdi flags, rsi stack, rdx parent_tid, r10 child_tid,
// r8 tls (clone3: rdi args, rsi size). The kernel keeps every register but
// rax, rcx and r11, and the child starts right after `syscall` with rax 0
// and rsp at the new stack, so main and arg travel in r12 and r9, which
// neither the call nor the kernel touches.
#pragma once

namespace go::syscall::detail {

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
