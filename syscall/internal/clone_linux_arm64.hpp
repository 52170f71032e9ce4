// SPDX-License-Identifier: BSD-3-Clause
// The arm64 clone trampoline. Included by clone_linux.hpp; include that.
//
// clone's arguments: x0 flags, x1 stack, x2 parent_tid, x3 tls, x4
// child_tid (clone3: x0 args, x1 size); the number in x8. The kernel keeps
// every register but x0, and the child starts right after `svc 0` with x0 0
// and sp at the new stack, so main and arg travel in x9 and x10. The child
// does not realign sp: cloneOnStack's stack is aligned, as arm64 requires
// of every sp.
#pragma once

namespace go::syscall::detail {

inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  register uintptr x8 asm("x8") = trap;
  register uintptr x0 asm("x0") = a1;
  register uintptr x1 asm("x1") = a2;
  register uintptr x2 asm("x2") = a3;
  register uintptr x3 asm("x3") = 0;
  register uintptr x4 asm("x4") = 0;
  register ChildMain x9 asm("x9") = main;
  register void* x10 asm("x10") = arg;
  asm volatile(
      "svc 0\n\t"
      "cbnz x0, 1f\n\t"
      // The child, on its own stack: no frame to return to (fp and lr 0,
      // which end the chain for a debugger), then main(arg).
      "mov x0, x10\n\t"
      "mov x29, xzr\n\t"
      "mov x30, xzr\n\t"
      "blr x9\n\t"
      "brk #0\n"
      "1:"
      : "+r"(x0)
      : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x9), "r"(x10)
      : "memory");
  return x0;
}

}  // namespace go::syscall::detail
