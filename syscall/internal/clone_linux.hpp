// SPDX-License-Identifier: BSD-3-Clause
// Creating a child that starts on a stack of its own: the clone or clone3
// call, made by a small per-arch trampoline (cloneTrampoline, in
// arch_linux_<arch>.hpp) that, in the child, calls a function that never
// returns (a ChildMain).
//
// Why a stack of its own: a child made with CLONE_VM shares the parent's
// memory, the parent's stack included. If it came back from the call the way
// fork's child does, it would run on, and overwrite, the frames the parent
// returns through once it resumes. So the kernel gives the child a new stack
// pointer, and the trampoline never lets the child leave the asm block: it
// calls the entry function there, as glibc's and musl's clone() do.
#pragma once

#include "syscall/rawsyscall.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::syscall::detail {

// cloneOnStack makes trap, SYS_CLONE or SYS_CLONE3, and returns in the parent
// only; the child runs main(arg) on the stack the call installs:
//   SYS_CLONE:  a1 = flags | exit signal, a2 = the stack's top (highest
//               address), a3 = parent_tid (where CLONE_PARENT_SETTID or
//               CLONE_PIDFD store; these three lead on every arch, in this
//               order but on s390x, which takes the stack first: swapped
//               here, as Go's forkAndExecInChild1 does).
//               The flags must not ask for CLONE_SETTLS, CLONE_CHILD_SETTID
//               or CLONE_CHILD_CLEARTID: their arguments are the registers
//               that carry main and arg on some arches.
//   SYS_CLONE3: a1 = the clone_args, a2 = their size; the stack is given
//               there as its lowest address and size. a3 is unused.
// The stack must be 16-byte aligned at its top: arm and arm64 do not
// realign it in the child.
[[gnu::always_inline]] inline SyscallResult cloneOnStack(uintptr trap, uintptr a1, uintptr a2,
                                                         uintptr a3, ChildMain main,
                                                         void* arg) noexcept {
  if (kCloneStackFirst && trap == SYS_CLONE) {
    const uintptr flags = a1;
    a1 = a2;
    a2 = flags;
  }
  return toResult(RawRegs{cloneTrampoline(trap, a1, a2, a3, main, arg), 0});
}

// rawFork is fork, made as clone(SIGCHLD | flags) with no new stack (the
// asm-generic table has no fork call); ptid is clone's parent_tid (where
// CLONE_PIDFD stores). 0 in the child, which runs on a copy of the
// caller's memory.
GOSYSCALL_CHILD_INLINE inline SyscallResult rawFork(uintptr flags = 0, uintptr ptid = 0) noexcept {
  flags |= uintptr(SIGCHLD_.value());
  if (kCloneStackFirst) return RawSyscall6(SYS_CLONE, 0, flags, ptid, 0, 0, 0);
  return RawSyscall6(SYS_CLONE, flags, 0, ptid, 0, 0, 0);
}

// ChildStack is the memory a child runs on until it execs: [base, base +
// size), 16-byte aligned at both ends. The caller keeps it for the child
// alone until the child has exec'd or exited (exec_linux.cpp's forkAndExec
// gives it a local array of its own frame and waits); a forked child runs
// on its own copy.
struct ChildStack {
  uintptr base, size;
};

}  // namespace go::syscall::detail

#pragma GCC visibility pop
