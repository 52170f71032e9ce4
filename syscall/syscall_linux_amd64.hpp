// SPDX-License-Identifier: BSD-3-Clause
// Per-arch syscall numbers the wrappers use where the arches differ: amd64.
//
// A 64-bit arch: uid_t and gid_t were always 32 bits here, so the plain
// calls are the only ones, and fcntl already takes 64-bit offsets.
//
// Go keeps the same table in setuidgid_linux.go / setuidgid_32_linux.go
// (sys_SETUID, sys_GETEUID, ...) and syscall_linux_<arch>.go (_SYS_setgroups).
// Included by syscall_linux.hpp after zsysnum.hpp.
#pragma once

namespace go::syscall {

inline constexpr uintptr sys_GETUID = SYS_GETUID;
inline constexpr uintptr sys_GETEUID = SYS_GETEUID;
inline constexpr uintptr sys_GETGID = SYS_GETGID;
inline constexpr uintptr sys_GETEGID = SYS_GETEGID;
inline constexpr uintptr sys_SETUID = SYS_SETUID;
inline constexpr uintptr sys_SETGID = SYS_SETGID;
inline constexpr uintptr sys_SETREUID = SYS_SETREUID;
inline constexpr uintptr sys_SETREGID = SYS_SETREGID;
inline constexpr uintptr sys_SETRESUID = SYS_SETRESUID;
inline constexpr uintptr sys_SETRESGID = SYS_SETRESGID;
inline constexpr uintptr sys_SETGROUPS = SYS_SETGROUPS;
inline constexpr uintptr sys_GETGROUPS = SYS_GETGROUPS;
inline constexpr uintptr sys_FCNTL = SYS_FCNTL;

}  // namespace go::syscall
