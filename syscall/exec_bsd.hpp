// SPDX-License-Identifier: BSD-3-Clause
// SysProcAttr for the BSDs: Linux's without Pdeathsig (exec_bsd.cpp). On
// Linux it is built only as the generic-POSIX backend (GOSYSCALL_EXEC_BSD).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "syscall/child_step.hpp"
#include "syscall/credential.hpp"
#include "syscall/types.hpp"

namespace go::syscall {

struct SysProcAttr {
  std::string Chroot;                             // chroot to this directory first ("" = none)
  go::syscall::Credential* Credential = nullptr;  // setgroups, setgid, setuid
  bool Ptrace = false;                            // PT_TRACE_ME just before execve
  bool Setsid = false;                            // a new session
  bool Setpgid = false;                           // a new process group, led by the child
  bool Setctty = false;                           // make fd 0 the controlling terminal (TIOCSCTTY)
  bool Noctty = false;    // detach fd 0 from the controlling terminal (TIOCNOTTY)
  bool CloseFds = false;  // close every fd Files does not name (see exec_linux.hpp)
  // Sigmask, Sigdefault, FailedStep: as in exec_linux.hpp.
  std::optional<std::vector<Signal>> Sigmask;
  std::vector<Signal> Sigdefault;
  ChildStep* FailedStep = nullptr;
};

}  // namespace go::syscall
