// SPDX-License-Identifier: BSD-3-Clause
// riscv64: the system call instruction and the clone trampoline. Included by
// arch.hpp; include rawsyscall.hpp.
#pragma once

namespace go::syscall::detail {

inline constexpr bool kCloneStackFirst = false;

// The kernel's struct sigaction (include/linux/signal_types.h): riscv's
// asm/signal.h does not define SA_RESTORER (signal return goes through the
// vDSO's __vdso_rt_sigreturn, which the kernel installs as ra), so there is
// no restorer field: handler, flags, then the mask in longs (asm-generic's
// _NSIG of 64).
struct KernelSigaction {
  uintptr handler, flags;
  uintptr mask[64 / (8 * sizeof(uintptr))];
};

// The system call, as Go's runtime/internal/syscall/asm_linux_riscv64.s
// (arch/riscv/kernel/entry.S): `ecall`, number in a7, arguments in a0-a5;
// the result in a0; the kernel saves every register on entry and restores all
// but a0 on return. r2 is a1 after the call (Go's r2 on riscv64). The
// registers the compiler reserves (gp, the global pointer for linker
// relaxation; tp, the thread pointer; s0, the frame pointer) are never
// operands.
GOSYSCALL_CHILD_INLINE inline RawRegs syscall3(uintptr trap, uintptr a1, uintptr a2,
                                               uintptr a3) noexcept {
  register uintptr a7 asm("a7") = trap;
  register uintptr a0 asm("a0") = a1;
  register uintptr r1 asm("a1") = a2;
  register uintptr r2 asm("a2") = a3;
  asm volatile("ecall" : "+r"(a0), "+r"(r1) : "r"(a7), "r"(r2) : "memory");
  return RawRegs{a0, r1};
}

GOSYSCALL_CHILD_INLINE inline RawRegs syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3,
                                               uintptr a4, uintptr a5, uintptr a6) noexcept {
  register uintptr a7 asm("a7") = trap;
  register uintptr a0 asm("a0") = a1;
  register uintptr r1 asm("a1") = a2;
  register uintptr r2 asm("a2") = a3;
  register uintptr r3 asm("a3") = a4;
  register uintptr r4 asm("a4") = a5;
  register uintptr r5 asm("a5") = a6;
  asm volatile("ecall"
               : "+r"(a0), "+r"(r1)
               : "r"(a7), "r"(r2), "r"(r3), "r"(r4), "r"(r5)
               : "memory");
  return RawRegs{a0, r1};
}

// The clone trampoline. clone's arguments: a0 flags, a1 stack, a2
// parent_tid, a3 tls, a4 child_tid (clone3: a0 args, a1 size); the number in
// a7. The kernel keeps every register but a0, and the child starts right
// after `ecall` with a0 0, sp at the new stack and the rest as in the parent
// (gp and tp included, which the child's code needs as they are), so main and
// arg travel in t1 and t2, temporaries the psABI leaves to any code.
//
// The child rounds sp down to the psABI's 16 bytes (a no-op for
// cloneOnStack's stack) and zeroes s0 and ra, so that a debugger's frame
// chain ends there; neither is an operand, and the parent's branch does not
// touch them. main is called through t1 with jalr; `unimp` traps (SIGILL) if
// it ever returned.
inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  register uintptr a7 asm("a7") = trap;
  register uintptr a0 asm("a0") = a1;
  register uintptr r1 asm("a1") = a2;
  register uintptr r2 asm("a2") = a3;
  register uintptr r3 asm("a3") = 0;
  register uintptr r4 asm("a4") = 0;
  register ChildMain t1 asm("t1") = main;
  register void* t2 asm("t2") = arg;
  asm volatile(
      "ecall\n\t"
      "bnez a0, 1f\n\t"
      // The child, on its own stack: no frame to return to, then main(arg).
      "andi sp, sp, -16\n\t"
      "mv s0, zero\n\t"
      "mv ra, zero\n\t"
      "mv a0, t2\n\t"
      "jalr t1\n\t"
      "unimp\n"
      "1:"
      : "+r"(a0)
      : "r"(a7), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(t1), "r"(t2)
      : "memory");
  return a0;
}

}  // namespace go::syscall::detail
