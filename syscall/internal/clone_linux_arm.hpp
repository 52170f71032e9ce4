// SPDX-License-Identifier: BSD-3-Clause
// The arm (EABI) clone trampoline. Included by clone_linux.hpp; include that.
//
// clone's arguments: r0 flags, r1 stack, r2 parent_tid, r3 tls, r4
// child_tid (clone3: r0 args, r1 size); the number in r7. The kernel reads
// r3 and r4 only for CLONE_SETTLS and CLONE_CHILD_SETTID/CLEARTID, which
// cloneOnStack's callers never ask for, so main travels in r3 and arg in r4
// (GCC has no more low registers to spare at -O0, where r7 is the frame
// pointer); the child starts right after `svc 0` with r0 0, every other
// register as it was, and sp at the new stack.
//
// r7 may be the Thumb frame pointer and is never an operand (see
// asm_linux_arm.hpp): it is parked in ip across the call. The child does
// not realign sp (Thumb cannot `bic sp`): cloneOnStack's stack is aligned.
#pragma once

namespace go::syscall::detail {

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
