// SPDX-License-Identifier: BSD-3-Clause
// gospawn's options for today's Linux attributes: namespaces, id maps,
// cgroup, process group and terminal, ambient capabilities (SysProcAttr's
// Cloneflags, Unshareflags, UidMappings/GidMappings, UseCgroupFD, Pgid,
// Foreground, Ctty, AmbientCaps), and --mount-proc. Applied here so that
// gospawn.cpp only routes them.
#pragma once

#include <string>
#include <vector>

#include "syscall/syscall.hpp"

namespace gospawn {

// The --help text of these options.
extern const char kLinuxUsage[];

struct LinuxOptions {
  go::syscall::uintptr cloneflags = 0;  // --unshare-*
  bool mapRoot = false;                 // --map-root (implies --unshare-user)
  bool mountProc = false;               // --mount-proc[=DIR] (implies --unshare-mount)
  std::string procDir;                  //   DIR, default /proc
  std::string cgroup;                   // --cgroup DIR
  bool havePgid = false;                // --pgid N
  int pgid = 0;
  bool foreground = false;  // --foreground
  bool haveCtty = false;    // --ctty FD
  int ctty = 0;
  std::vector<go::syscall::uintptr> caps;  // --ambient-cap CAP (repeatable)
  bool any() const;
  // needsInit: PROGRAM runs under gospawn's init (gospawn_init.hpp), which
  // is pid 1 of the new pid namespace and mounts /proc.
  bool needsInit() const;
};

// ParseCapability reads a capability: a number, or a name with or without
// CAP_ in any case (NET_BIND_SERVICE, cap_net_bind_service). False if s is
// neither.
bool ParseCapability(const std::string& s, go::syscall::uintptr* cap);

// LinuxAttrs holds what ApplyLinuxOptions opened for sys: the --cgroup
// directory, closed with it.
struct LinuxAttrs {
  int cgroupFd = -1;
  LinuxAttrs() = default;
  LinuxAttrs(const LinuxAttrs&) = delete;
  LinuxAttrs& operator=(const LinuxAttrs&) = delete;
  ~LinuxAttrs();
};

#if !defined(GOSYSCALL_EXEC_BSD)
// ApplyLinuxOptions fills sys from o for the process gospawn creates
// (PROGRAM, or the init that runs it): everything but the ambient
// capabilities, which are PROGRAM's alone (sys.AmbientCaps = o.caps). On a
// bad combination or a --cgroup that cannot be opened it prints
// "gospawn: ..." and returns false.
bool ApplyLinuxOptions(const LinuxOptions& o, go::syscall::SysProcAttr& sys, LinuxAttrs& held);

// RestoreForeground gives the terminal back to gospawn's own process
// group after a --foreground child ended, as a shell does. SIGTTOU must be
// blocked (HoldOwnSignals).
void RestoreForeground(const LinuxOptions& o);
#endif

}  // namespace gospawn
