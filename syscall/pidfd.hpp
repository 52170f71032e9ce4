// SPDX-License-Identifier: BSD-3-Clause
// Process: a handle on one process through its pidfd (Linux 5.3), so that
// waiting for it, signalling it and polling for its exit can never reach
// another process that later got the same pid. A pid is a number the kernel
// hands out again once the process is reaped; a pidfd names the process
// itself: after the reap, signals through it fail with ESRCH instead of
// hitting whoever has the pid now.
//
// Move-only; the destructor closes the pidfd (it does not kill or reap the
// process). Methods are thread-compatible, not thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "syscall/exec_unix.hpp"
#include "syscall/syscall_linux.hpp"
#include "syscall/types.hpp"
#include "syscall/wait.hpp"

namespace go::syscall {

class Process {
 public:
  Process() = default;  // no process: every call fails with EBADF
  // Takes pidfd (a pidfd of pid) over; it is closed with the handle.
  Process(int pid, int pidfd) : pid_(pid), fd_(pidfd) {}
  Process(Process&& o) noexcept : pid_(o.pid_), fd_(o.fd_) { o.fd_ = -1; }
  Process& operator=(Process&& o) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process() { (void)Release(); }  // nothing to do about a failed close here

  // Open makes a handle on a running process (pidfd_open). The pid may have
  // been reused before this call: only a pidfd from creation (ForkExec's
  // PidFD, Start) is free of that race.
  static std::pair<Process, Errno> Open(int pid);

#if !defined(GOSYSCALL_EXEC_BSD)
  // Start is ForkExec with a pidfd made at creation (SysProcAttr::PidFD);
  // attr and attr->Sys are copied, not changed.
  static std::pair<Process, Errno> Start(const std::string& argv0,
                                         const std::vector<std::string>& argv,
                                         const ProcAttr* attr);
#endif

  int Pid() const { return pid_; }  // the pid at creation, for messages and /proc
  int Fd() const { return fd_; }    // the pidfd, or -1; readable once the process ended

  // Signal sends sig through the pidfd (pidfd_send_signal): ESRCH once the
  // process has been reaped, whoever has its pid now.
  Errno Signal(go::syscall::Signal sig) const;
  Errno Kill() const;  // Signal(SIGKILL)

  // Exited tells whether the process has ended (its pidfd is readable),
  // waiting at most timeoutMs (0: just look; -1: no limit). It does not
  // reap. EINTR is retried.
  std::pair<bool, Errno> Exited(int timeoutMs) const;

  // Wait reaps the process, which must be a child of the caller, and stores
  // how it ended (waitid(P_PIDFD, WEXITED), encoded as wait4 would).
  // options may add WNOHANG_ (then *ws is WaitStatus{} and the result
  // EAGAIN_ if it is still running) or __WALL's WALL_. rusage may be null.
  // EINTR is retried.
  Errno Wait(WaitStatus* ws, int options = 0, Rusage* rusage = nullptr) const;

  // Release closes the pidfd; the process is not touched.
  Errno Release();

 private:
  int pid_ = 0;
  int fd_ = -1;
};

// WaitStatusOf encodes the child state waitid reported as wait4's status
// word, so that WaitStatus decodes it (Go's os package does the same).
WaitStatus WaitStatusOf(const Siginfo& info);

}  // namespace go::syscall
