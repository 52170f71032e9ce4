// SPDX-License-Identifier: BSD-3-Clause
// The 386 clone trampoline. Included by clone_linux.hpp; include that.
//
// clone's arguments: ebx flags, ecx stack, edx parent_tid, esi tls, edi
// child_tid (clone3: ebx args, ecx size). The kernel reads esi and edi only
// for CLONE_SETTLS and CLONE_CHILD_SETTID/CLEARTID, which cloneOnStack's
// callers never ask for, so main travels in esi and arg in edi; the child
// starts right after `int $0x80` with eax 0, every other register as it
// was, and esp at the new stack.
//
// ebx may be the PIC register and is never an operand (see
// asm_linux_386.hpp): it is saved on the parent's stack and restored, and
// trap and a1 reach the asm through eax, which points at them.
#pragma once

namespace go::syscall::detail {

inline uintptr cloneTrampoline(uintptr trap, uintptr a1, uintptr a2, uintptr a3, ChildMain main,
                               void* arg) noexcept {
  const uintptr block[2] = {trap, a1};
  uintptr r;
  asm volatile(
      "pushl %%ebx\n\t"
      "movl 4(%%eax), %%ebx\n\t"
      "movl 0(%%eax), %%eax\n\t"
      "int $0x80\n\t"
      "testl %%eax, %%eax\n\t"
      "jnz 1f\n\t"
      // The child, on its own stack: no frame to return to (ebp 0 ends the
      // chain for a debugger), 16-byte alignment at the call as the SysV
      // i386 ABI asks today, then main(arg) with arg on the stack.
      "xorl %%ebp, %%ebp\n\t"
      "andl $-16, %%esp\n\t"
      "subl $12, %%esp\n\t"
      "pushl %%edi\n\t"
      "call *%%esi\n\t"
      "ud2\n"
      "1:\n\t"
      "popl %%ebx"
      : "=a"(r)
      : "0"(block), "c"(a2), "d"(a3), "S"(main), "D"(arg)
      : "memory");
  return r;
}

}  // namespace go::syscall::detail
