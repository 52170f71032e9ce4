// SPDX-License-Identifier: BSD-3-Clause
// arm64: the system call instruction and the clone trampoline. Included by
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

// The system call, as Go's asm_linux_arm64.s (arch/arm64/kernel/entry.S):
// `svc 0`, number in x8, arguments in x0-x5; the result in x0; every other
// register is kept. r2 is x1 after the call (Go's r2 on arm64). No register
// here is reserved by the compiler (the frame pointer is x29, the platform
// register x18), so all are plain operands.
GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  register uintptr x8 asm("x8") = trap;
  register uintptr x0 asm("x0") = a1;
  register uintptr x1 asm("x1") = a2;
  register uintptr x2 asm("x2") = a3;
  asm volatile("svc 0" : "+r"(x0), "+r"(x1) : "r"(x8), "r"(x2) : "memory");
  return RawRegs{x0, x1};
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3,
                                               uintptr a4, uintptr a5, uintptr a6) noexcept {
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

// The clone trampoline. clone's arguments: x0 flags, x1 stack, x2
// parent_tid, x3 tls, x4 child_tid (clone3: x0 args, x1 size); the number in
// x8. The kernel keeps every register but x0, and the child starts right after
// `svc 0` with x0 0 and sp at the new stack, so main and arg travel in x9 and
// x10. The child does not realign sp: cloneOnStack's stack is aligned, as
// arm64 requires of every sp.
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
