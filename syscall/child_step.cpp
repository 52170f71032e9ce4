// SPDX-License-Identifier: BSD-3-Clause
// ChildStepName (child_step.hpp).
#include "syscall/child_step.hpp"

namespace go::syscall {

const char* ChildStepName(ChildStep step) noexcept {
  switch (step) {
    case ChildStep::None: return "";
    case ChildStep::Keepcaps: return "prctl(PR_SET_KEEPCAPS)";
    case ChildStep::IdMaps: return "writing the id maps";
    case ChildStep::Setsid: return "setsid";
    case ChildStep::Setpgid: return "setpgid";
    case ChildStep::Foreground: return "ioctl(TIOCSPGRP)";
    case ChildStep::Unshare: return "unshare";
    case ChildStep::Remount: return "mount(MS_REC|MS_PRIVATE)";
    case ChildStep::Chroot: return "chroot";
    case ChildStep::Setgroups: return "setgroups";
    case ChildStep::Setgid: return "setgid";
    case ChildStep::Setuid: return "setuid";
    case ChildStep::AmbientCaps: return "raising ambient capabilities";
    case ChildStep::Chdir: return "chdir";
    case ChildStep::Pdeathsig: return "prctl(PR_SET_PDEATHSIG)";
    case ChildStep::Fds: return "dup3";
    case ChildStep::Noctty: return "ioctl(TIOCNOTTY)";
    case ChildStep::Setctty: return "ioctl(TIOCSCTTY)";
    case ChildStep::Ptrace: return "ptrace(PTRACE_TRACEME)";
    case ChildStep::Execve: return "execve";
  }
  return "";
}

}  // namespace go::syscall
