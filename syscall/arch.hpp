// SPDX-License-Identifier: BSD-3-Clause
// The arch being compiled: exactly one arch_linux_<arch>.hpp, the one
// goarch.hpp names (it also picks the generated tables, so numbers and
// instructions always agree). Each one defines
//   detail::syscall3, detail::syscall6      the system call instruction, as
//       Go's asm_linux_<arch>.s; always inlined, never instrumented
//       (GOSYSCALL_CHILD_INLINE), for the child after clone(CLONE_VM). The
//       result comes back as most arches' kernels give it, an error as -errno
//       in r1; where the kernel flags an error apart (mips: a3, ppc64:
//       cr0.SO) and returns a positive errno, the asm negates it;
//   detail::cloneTrampoline(trap, a1, a2, a3, main, arg)  system call trap
//       (clone or clone3) with a1, a2, a3 and 0 for the rest, in one asm
//       block; returns the raw result (as above) in the parent, calls
//       main(arg) in the child (internal/clone_linux.hpp's cloneOnStack is
//       the interface);
//   detail::kCloneStackFirst  true where clone takes the new stack before
//       the flags (s390x);
//   detail::KernelSigaction  the kernel's struct sigaction, as rt_sigaction
//       reads and writes it: handler first but on mips, a restorer where the
//       arch defines SA_RESTORER, and the mask last (a Sigset's size);
// Include rawsyscall.hpp, not this one.
#pragma once

#include "syscall/goarch.hpp"
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
#include GOSYSCALL_ARCH_HEADER
#pragma GCC visibility pop

namespace go::syscall {

// The numbers of the calls whose number differs between the arches, as Go's
// setuidgid_linux.go / setuidgid_32_linux.go. On 386 and arm the original
// uid/gid calls take and return 16-bit ids (old_uid_t: getuid() of uid
// 100000 would say 34464), so only their *32 variants (Linux 2.4) are used;
// every other arch had 32-bit ids from the start (on s390x the plain calls
// have the numbers the 31-bit ABI gives its *32 ones; mips has no *32
// calls). On the 32-bit arches fcntl64, whose locking commands take 64-bit
// offsets (struct flock64), as glibc does; on the 64-bit ones fcntl, which
// always did.
#if defined(GOSYSCALL_UID16_CALLS)
inline constexpr uintptr sys_GETUID = SYS_GETUID32;
inline constexpr uintptr sys_GETEUID = SYS_GETEUID32;
inline constexpr uintptr sys_GETGID = SYS_GETGID32;
inline constexpr uintptr sys_GETEGID = SYS_GETEGID32;
inline constexpr uintptr sys_SETUID = SYS_SETUID32;
inline constexpr uintptr sys_SETGID = SYS_SETGID32;
inline constexpr uintptr sys_SETGROUPS = SYS_SETGROUPS32;
inline constexpr uintptr sys_GETGROUPS = SYS_GETGROUPS32;
#else
inline constexpr uintptr sys_GETUID = SYS_GETUID;
inline constexpr uintptr sys_GETEUID = SYS_GETEUID;
inline constexpr uintptr sys_GETGID = SYS_GETGID;
inline constexpr uintptr sys_GETEGID = SYS_GETEGID;
inline constexpr uintptr sys_SETUID = SYS_SETUID;
inline constexpr uintptr sys_SETGID = SYS_SETGID;
inline constexpr uintptr sys_SETGROUPS = SYS_SETGROUPS;
inline constexpr uintptr sys_GETGROUPS = SYS_GETGROUPS;
#endif
#if UINTPTR_MAX == 0xFFFFFFFFu
inline constexpr uintptr sys_FCNTL = SYS_FCNTL64;
#else
inline constexpr uintptr sys_FCNTL = SYS_FCNTL;
#endif

}  // namespace go::syscall
