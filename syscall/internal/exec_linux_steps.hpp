// SPDX-License-Identifier: BSD-3-Clause
// The Linux child's steps for today's attributes (exec_linux.hpp): waiting
// for the id maps, the foreground process group, namespaces, ambient
// capabilities.
//
// These run in the child, between clone and execve. The child may share the
// parent's memory, so they make raw syscalls on data the parent prepared and
// nothing else: no allocation, no libc, no locks, no exceptions, and no
// writes to the parent's memory (only to the child's own locals).
#pragma once

#include <cstdint>

#include "syscall/internal/exec_child.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::syscall::detail {

// Kernel ABI constants the generated families do not cover, the same on
// every arch: linux/capability.h's _LINUX_CAPABILITY_VERSION_3 (64-bit
// capability sets, two data words).
constexpr uint32_t kCapabilityVersion3 = 0x20080522;
constexpr int kCapWords = 2;

// ChildIdMaps: what a child that unshares its user namespace writes to
// /proc/self/{setgroups,gid_map,uid_map} itself (Unshareflags). The parent
// formats the text; null where a map is not asked for.
struct ChildIdMaps {
  const char* uidmap;
  uintptr uidlen;
  const char* gidmap;
  uintptr gidlen;
  const char* setgroups;  // "allow" or "deny", with gidmap
  uintptr setgroupslen;
};

// waitForMaps blocks until the parent has written the id maps of the
// child's new user namespace, and returns the Errno the parent had doing
// so. Our copy of the write end goes first, so that a parent dying before
// it writes ends the wait with EOF (reported as EINVAL, as Go does).
GOSYSCALL_CHILD Errno waitForMaps(int rfd, int wfd) {
  Errno err = RawSyscall(SYS_CLOSE, uintptr(wfd), 0, 0).err;
  if (err) return err;
  uintptr perr = 0;
  auto r = RawSyscall(SYS_READ, uintptr(rfd), uintptr(&perr), sizeof perr);
  if (r.err) return r.err;
  if (r.r1 != sizeof perr) return EINVAL_;
  return Errno{perr};
}

// setForeground makes process group pgid (0: the child's own) the
// foreground group of the terminal open as ctty, a fd of the parent's.
// Signals are still blocked here: a background group calling TIOCSPGRP
// would otherwise be stopped by SIGTTOU.
GOSYSCALL_CHILD Errno setForeground(int ctty, int pgid) {
  int pgrp = pgid;
  if (pgrp == 0) pgrp = int(RawSyscall(SYS_GETPID, 0, 0, 0).r1);
  return RawSyscall(SYS_IOCTL, uintptr(ctty), TIOCSPGRP_, uintptr(&pgrp)).err;
}

// writeProcFile writes n bytes of text to path (under /proc/self) in one
// write, as the kernel wants id maps.
GOSYSCALL_CHILD Errno writeProcFile(const char* path, const char* text, uintptr n) {
  auto r = RawSyscall6(SYS_OPENAT, uintptr(AT_FDCWD_), uintptr(path), O_WRONLY_ | O_CLOEXEC_,
                       0, 0, 0);
  if (r.err) return r.err;
  const uintptr fd = r.r1;
  Errno err = RawSyscall(SYS_WRITE, fd, uintptr(text), n).err;
  Errno cerr = RawSyscall(SYS_CLOSE, fd, 0, 0).err;
  return err ? err : cerr;
}

// unshareNamespaces calls unshare(flags); for a new user namespace it then
// writes its maps (setgroups before gid_map: the kernel requires it for an
// unprivileged map); for a new mount namespace it marks every mount
// private, because unshare(2) copies shared mounts still shared (systemd
// mounts / shared) and the child's mounts would show up outside. *step says
// which part failed.
GOSYSCALL_CHILD Errno unshareNamespaces(uintptr flags, const ChildIdMaps& maps,
                                        ChildStep* step) {
  static constexpr char kSetgroups[] = "/proc/self/setgroups";
  static constexpr char kGidMap[] = "/proc/self/gid_map";
  static constexpr char kUidMap[] = "/proc/self/uid_map";
  static constexpr char kNone[] = "none";
  static constexpr char kSlash[] = "/";

  *step = ChildStep::Unshare;
  Errno err = RawSyscall(SYS_UNSHARE, flags, 0, 0).err;
  if (err) return err;
  if (flags & CLONE_NEWUSER_) {
    *step = ChildStep::IdMaps;
    if (maps.gidmap) {
      err = writeProcFile(kSetgroups, maps.setgroups, maps.setgroupslen);
      if (err && err != ENOENT_) return err;  // no such file before Linux 3.19: fine
      err = writeProcFile(kGidMap, maps.gidmap, maps.gidlen);
      if (err) return err;
    }
    if (maps.uidmap) {
      err = writeProcFile(kUidMap, maps.uidmap, maps.uidlen);
      if (err) return err;
    }
  }
  if (flags & CLONE_NEWNS_) {
    *step = ChildStep::Remount;
    err = RawSyscall6(SYS_MOUNT, uintptr(kNone), uintptr(kSlash), 0, MS_REC_ | MS_PRIVATE_, 0, 0)
              .err;
    if (err) return err;
  }
  return Errno{};
}

// raiseAmbientCaps adds each capability to the permitted and inheritable
// sets (the kernel raises an ambient one only if it is in both), then to
// the ambient set, which execve keeps for an ordinary program.
GOSYSCALL_CHILD Errno raiseAmbientCaps(const uintptr* caps, uintptr ncaps) {
  struct {
    uint32_t version;
    int pid;
  } hdr{kCapabilityVersion3, 0};
  struct {
    uint32_t effective, permitted, inheritable;
  } data[kCapWords] = {};
  Errno err = RawSyscall(SYS_CAPGET, uintptr(&hdr), uintptr(data), 0).err;
  if (err) return err;
  for (uintptr i = 0; i < ncaps; i++) {
    const uint32_t bit = uint32_t(1) << (caps[i] & 31);
    data[caps[i] >> 5].permitted |= bit;  // the parent checked caps[i] < 64
    data[caps[i] >> 5].inheritable |= bit;
  }
  err = RawSyscall(SYS_CAPSET, uintptr(&hdr), uintptr(data), 0).err;
  if (err) return err;
  for (uintptr i = 0; i < ncaps; i++) {
    err = RawSyscall6(SYS_PRCTL, PR_CAP_AMBIENT_, PR_CAP_AMBIENT_RAISE_, caps[i], 0, 0, 0).err;
    if (err) return err;
  }
  return Errno{};
}

}  // namespace go::syscall::detail

#pragma GCC visibility pop
