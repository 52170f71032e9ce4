// SPDX-License-Identifier: BSD-3-Clause
// Per-arch syscall numbers the wrappers use where the arches differ: arm.
//
// A 32-bit arch. Its original uid/gid calls take and return 16-bit ids
// (old_uid_t): getuid() of uid 100000 would say 34464, setuid(100000) would
// set 34464. Linux 2.4 added the *32 variants with full 32-bit ids; use only
// those. fcntl64 is the variant whose locking commands take 64-bit offsets
// (struct flock64); glibc uses it for every fcntl on these arches.
//
// Go keeps the same table in setuidgid_linux.go / setuidgid_32_linux.go
// (sys_SETUID, sys_GETEUID, ...) and syscall_linux_<arch>.go (_SYS_setgroups).
// Included by syscall_linux.hpp after zsysnum.hpp.
#pragma once

namespace go::syscall {

inline constexpr uintptr sys_GETUID = SYS_GETUID32;
inline constexpr uintptr sys_GETEUID = SYS_GETEUID32;
inline constexpr uintptr sys_GETGID = SYS_GETGID32;
inline constexpr uintptr sys_GETEGID = SYS_GETEGID32;
inline constexpr uintptr sys_SETUID = SYS_SETUID32;
inline constexpr uintptr sys_SETGID = SYS_SETGID32;
inline constexpr uintptr sys_SETREUID = SYS_SETREUID32;
inline constexpr uintptr sys_SETREGID = SYS_SETREGID32;
inline constexpr uintptr sys_SETRESUID = SYS_SETRESUID32;
inline constexpr uintptr sys_SETRESGID = SYS_SETRESGID32;
inline constexpr uintptr sys_SETGROUPS = SYS_SETGROUPS32;
inline constexpr uintptr sys_GETGROUPS = SYS_GETGROUPS32;
inline constexpr uintptr sys_FCNTL = SYS_FCNTL64;

}  // namespace go::syscall
