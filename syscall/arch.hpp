// SPDX-License-Identifier: BSD-3-Clause
// The arch being compiled: exactly one arch_linux_<arch>.hpp, chosen by the
// compiler's own arch macros (the same ones zsysnum.hpp uses, so numbers and
// instructions always agree), as nolibc's arch.h. Each one defines
//   detail::syscall3, detail::syscall6      the system call instruction, as
//       Go's asm_linux_<arch>.s; always inlined, never instrumented
//       (GOSYSCALL_CHILD_INLINE), for the child after clone(CLONE_VM);
//   detail::cloneTrampoline(trap, a1, a2, a3, main, arg)  system call trap
//       (clone or clone3) with a1, a2, a3 and 0 for the rest, in one asm
//       block; returns the raw result in the parent, calls main(arg) in the
//       child (internal/clone_linux.hpp's cloneOnStack is the interface);
//   sys_GETUID, sys_SETGROUPS, sys_FCNTL, ...  the numbers of the calls whose
//       number differs between the arches, as Go's setuidgid_linux.go /
//       setuidgid_32_linux.go. On the 32-bit arches the original uid/gid
//       calls take and return 16-bit ids (old_uid_t: getuid() of uid 100000
//       would say 34464), so only their *32 variants (Linux 2.4) are used,
//       and fcntl64, whose locking commands take 64-bit offsets (struct
//       flock64), as glibc does. On the 64-bit ones uid_t was always 32 bits
//       and fcntl takes 64-bit offsets: the plain calls are the only ones.
// Include rawsyscall.hpp, not this one.
#pragma once

#include "syscall/types.hpp"
#include "syscall/zsysnum.hpp"

namespace go::syscall::detail {

// The two result registers, as the per-arch asm hands them back.
struct RawRegs {
  uintptr r1, r2;
};

// ChildMain is what a cloneTrampoline child runs on its new stack. It must
// never return: it ends in execve or exit (the trampoline traps if it does).
using ChildMain = void (*)(void* arg);

}  // namespace go::syscall::detail

// Internal: the trampoline, where not inlined, stays out of a shared build's
// exported symbols.
#pragma GCC visibility push(hidden)
#if defined(__x86_64__) && !defined(__ILP32__)
#include "syscall/arch_linux_amd64.hpp"
#elif defined(__i386__)
#include "syscall/arch_linux_386.hpp"
#elif defined(__aarch64__)
#include "syscall/arch_linux_arm64.hpp"
#elif defined(__arm__)
#if !defined(__ARM_EABI__)
#error "gosyscall: arm needs the EABI (number in r7, svc 0); OABI is not supported"
#endif
#include "syscall/arch_linux_arm.hpp"
#else
#error "gosyscall: no arch_linux_<arch>.hpp for this arch"
#endif
#pragma GCC visibility pop
