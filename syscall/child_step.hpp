// SPDX-License-Identifier: BSD-3-Clause
// ChildStep: which step of the child failed, when ForkExec returns an Errno
// the child sent. Not in Go, whose status pipe carries the errno alone: here
// the child sends the step along with it, so that "operation not permitted"
// can say whether setpgid, setuid or execve refused (SysProcAttr::FailedStep).
#pragma once

#include <cstdint>

namespace go::syscall {

enum class ChildStep : uint8_t {
  None = 0,  // no step of the child failed: success, or an error of the parent's
  Keepcaps,  // prctl(PR_SET_KEEPCAPS), for AmbientCaps
  IdMaps,    // the user namespace's id maps (written by the parent, or by the child)
  Setsid,
  Setpgid,
  Foreground,  // ioctl(TIOCSPGRP)
  Unshare,
  Remount,  // mount(MS_REC|MS_PRIVATE) of / after unshare(CLONE_NEWNS)
  Chroot,
  Setgroups,
  Setgid,
  Setuid,
  AmbientCaps,  // capget, capset, prctl(PR_CAP_AMBIENT_RAISE)
  Chdir,
  Pdeathsig,  // prctl(PR_SET_PDEATHSIG), or the signal the child sent itself
  Fds,        // dup3 and fcntl of the fd shuffle
  Noctty,     // ioctl(TIOCNOTTY)
  Setctty,    // ioctl(TIOCSCTTY)
  Ptrace,     // ptrace(PTRACE_TRACEME)
  Execve,
};

// ChildStepName names the step as its system call: "setpgid", "execve",
// "ioctl(TIOCSPGRP)"; "" for None and for a value out of range.
const char* ChildStepName(ChildStep step) noexcept;

}  // namespace go::syscall
