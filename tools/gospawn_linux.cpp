// SPDX-License-Identifier: BSD-3-Clause
// gospawn's Linux attribute options (gospawn_linux.hpp).
#include "tools/gospawn_linux.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iterator>

namespace gospawn {

namespace gs = go::syscall;

const char kLinuxUsage[] = R"(
Namespaces, process group, terminal and capabilities (Linux):
  -U, --unshare-user        run PROGRAM in a new user namespace
  -r, --map-root            map root inside a new user namespace to gospawn's
                            user and group outside (implies -U; setgroups
                            denied)
  -p, --unshare-pid         run PROGRAM in a new pid namespace, under an init
                            of gospawn's as its pid 1 (see Init duties)
  -m, --unshare-mount       ... a new mount namespace (mounts made private)
  -n, --unshare-net         ... a new network namespace (only loopback, down)
  -u, --unshare-uts         ... a new UTS namespace (host and domain name)
  -i, --unshare-ipc         ... a new IPC namespace
  -C, --unshare-cgroup      ... a new cgroup namespace (Linux 4.6)
      --mount-proc[=DIR]    mount a new proc file system on DIR (default
                            /proc, in the new root with --chroot) before
                            PROGRAM starts (implies -m; with -p, /proc shows
                            the new pid namespace)
      --cgroup DIR          start PROGRAM inside the cgroup v2 directory DIR
                            (clone3 CLONE_INTO_CGROUP, Linux 5.7)
      --pgid N              put PROGRAM in the existing process group N (not
                            with -p)
      --foreground          put PROGRAM's process group in the foreground of
                            the terminal (--ctty, default standard input);
                            gospawn takes it back when PROGRAM ends
      --ctty FD             the terminal fd for --setctty (PROGRAM's fd) or
                            --foreground (gospawn's fd); default 0
      --ambient-cap CAP     raise capability CAP (NET_BIND_SERVICE, or a
                            number) in PROGRAM's ambient set, so that it
                            keeps it across execve and --uid; repeatable
)";

bool LinuxOptions::any() const {
  return cloneflags != 0 || mapRoot || mountProc || !cgroup.empty() || havePgid || foreground ||
         haveCtty || !caps.empty();
}

bool LinuxOptions::needsInit() const { return (cloneflags & gs::CLONE_NEWPID_) != 0 || mountProc; }

bool ParseCapability(const std::string& s, gs::uintptr* cap) {
  if (!s.empty() && s.size() <= 2 && s.find_first_not_of("0123456789") == std::string::npos) {
    *cap = gs::uintptr(std::stoul(s));
    return *cap <= gs::CAP_LAST_CAP_;
  }
  std::string name;
  for (char c : s) name += char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (name.compare(0, 4, "CAP_") != 0) name = "CAP_" + name;
  for (std::size_t i = 0; i < std::size(gs::detail::capNames); i++)
    if (gs::detail::capNames[i] && name == gs::detail::capNames[i]) {
      *cap = gs::uintptr(i);
      return true;
    }
  return false;
}

LinuxAttrs::~LinuxAttrs() {
  if (cgroupFd >= 0) close(cgroupFd);
}

#if !defined(GOSYSCALL_EXEC_BSD)
bool ApplyLinuxOptions(const LinuxOptions& o, gs::SysProcAttr& sys, LinuxAttrs& held) {
  if (o.foreground && sys.Setctty) {
    std::fputs("gospawn: --foreground and --setctty exclude each other\n", stderr);
    return false;
  }
  if (o.havePgid && (o.cloneflags & gs::CLONE_NEWPID_)) {
    // The child joins the group from inside the new pid namespace, where no
    // process of the caller's has a number.
    std::fputs(
        "gospawn: --pgid and --unshare-pid exclude each other: the group is outside the "
        "new pid namespace\n",
        stderr);
    return false;
  }
  gs::uintptr flags = o.cloneflags;
  if (o.mapRoot) flags |= gs::CLONE_NEWUSER_;  // as unshare's -r implies -U
  if (o.mountProc) flags |= gs::CLONE_NEWNS_;  // as unshare's --mount-proc implies -m
  // The mount namespace is made by the child's unshare (Unshareflags), after
  // the clone made the others: the library then makes every mount private,
  // as unshare(1) does by default, so that PROGRAM's mounts (and the init's
  // /proc) do not propagate back. A clone flag would keep them shared.
  sys.Cloneflags = flags & ~gs::CLONE_NEWNS_;
  sys.Unshareflags = flags & gs::CLONE_NEWNS_;
  if (o.mapRoot) {
    sys.UidMappings = {{0, gs::Getuid(), 1}};
    sys.GidMappings = {{0, gs::Getgid(), 1}};
    sys.GidMappingsEnableSetgroups = false;  // an unprivileged gid map requires "deny"
  }
  if (!o.cgroup.empty()) {
    held.cgroupFd = open(o.cgroup.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (held.cgroupFd < 0) {
      std::fprintf(stderr, "gospawn: cannot open cgroup '%s': %s\n", o.cgroup.c_str(),
                   gs::Errno{gs::uintptr(errno)}.Error().c_str());
      return false;
    }
    sys.UseCgroupFD = true;
    sys.CgroupFD = held.cgroupFd;
  }
  if (o.havePgid) {
    sys.Setpgid = true;
    sys.Pgid = o.pgid;
  }
  sys.Foreground = o.foreground;
  if (o.haveCtty) sys.Ctty = o.ctty;
  return true;
}

void RestoreForeground(const LinuxOptions& o) {
  if (!o.foreground) return;
  // gospawn is in a background group now: TIOCSPGRP would stop it with
  // SIGTTOU, were that not blocked since PROGRAM started (HoldOwnSignals).
  tcsetpgrp(o.haveCtty ? o.ctty : 0, getpgrp());
}
#endif

}  // namespace gospawn
