// SPDX-License-Identifier: BSD-3-Clause
// Go's os.Process, os.ProcessState and os.StartProcess: a started process,
// how it ended, and how to start one over syscall::ForkExec.
//
// As in Go 1.23+, the child is created with a pidfd (SysProcAttr::PidFD)
// where the kernel offers pidfds, so that Signal and Wait name that one
// process even after its pid is reused. Where it does not (Linux before 5.3,
// a seccomp profile answering ENOSYS or EPERM, qemu-user, the BSD child
// side), a Process falls back to the pid, guarded as Go guards it: Wait
// marks the process done before it reaps it, and Signal refuses a process
// marked done, so a signal can never reach the pid's next owner.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "exec/errors.hpp"
#include "syscall/exec_unix.hpp"
#include "syscall/syscall_linux.hpp"
#include "syscall/wait.hpp"

// Internal (exec/internal/exit_watch.hpp): hidden, from its first declaration.
#pragma GCC visibility push(hidden)
namespace go::exec::internal {
class ExitWatch;
}
#pragma GCC visibility pop

namespace go::os {

// ErrProcessDone: the process has already finished ("os: process already
// finished").
extern const error ErrProcessDone;

// ProcessState is how a process ended, as Wait reports it. A default
// ProcessState stands for Go's nil *ProcessState: it tests false, its
// ExitCode is -1 and its String "<nil>".
class ProcessState {
 public:
  ProcessState() = default;
  ProcessState(int pid, syscall::WaitStatus status, const syscall::Rusage& rusage)
      : valid_(true), pid_(pid), status_(status), rusage_(rusage) {}

  explicit operator bool() const { return valid_; }
  int Pid() const { return pid_; }
  bool Exited() const { return valid_ && status_.Exited(); }
  // The exit code, or -1 if the process was killed by a signal (or this
  // state is nil).
  int ExitCode() const { return valid_ ? status_.ExitStatus() : -1; }
  bool Success() const { return valid_ && status_.Exited() && status_.ExitStatus() == 0; }
  syscall::WaitStatus Sys() const { return status_; }
  const syscall::Rusage& SysUsage() const { return rusage_; }
  std::chrono::microseconds UserTime() const;
  std::chrono::microseconds SystemTime() const;
  // "exit status 42", "signal: killed", "signal: aborted (core dumped)",
  // "stop signal: stopped (signal)", "continued".
  std::string String() const;

 private:
  bool valid_ = false;
  int pid_ = 0;
  syscall::WaitStatus status_;
  syscall::Rusage rusage_{};
};

// ProcAttr is what StartProcess starts the process with.
struct ProcAttr {
  std::string Dir;  // "" = the caller's working directory
  // The whole environment; unset = the caller's (syscall::Environ()).
  std::optional<std::vector<std::string>> Env;
  // Child fd i = Files[i], a descriptor of the caller's (-1: closed in the
  // child). Usually at least 0, 1 and 2.
  std::vector<int> Files;
  syscall::SysProcAttr* Sys = nullptr;  // copied, not changed
};

// Process is a started child. Signal and Kill may be called from any
// thread, also while another thread is in Wait. The destructor closes the
// pidfd; it neither signals nor reaps the process.
class Process {
 public:
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  int Pid;

  // Signal sends sig to the process: ErrProcessDone once Wait has seen it
  // end (or the kernel says it is gone).
  error Signal(syscall::Signal sig);
  error Kill();  // Signal(SIGKILL)

  // Wait waits for the process to exit, reaps it and returns how it ended.
  // A second Wait fails ("wait: no child processes").
  std::pair<ProcessState, error> Wait();

  // Release gives up the handle without waiting: the process is left
  // alone, and reaping it becomes the caller's business.
  error Release();

  // Whether this Process holds a pidfd (true) or falls back to the pid;
  // false too once Wait or Release has closed it. Not Go's.
  bool HasPidfd() const { return handle_ >= 0; }

 private:
  friend std::pair<std::unique_ptr<Process>, error> StartProcess(const std::string&,
                                                                 const std::vector<std::string>&,
                                                                 ProcAttr);
  friend class exec::internal::ExitWatch;
  enum class Status { Running, Done, Released };
  Process(int pid, int handle) : Pid(pid), handle_(handle) {}

  // blockUntilWaitable waits until the process has exited, without reaping
  // it (waitid with WNOWAIT).
  error blockUntilWaitable() const;
  // A descriptor that polls readable once the process has exited (the
  // pidfd), or -1 without one.
  int pollFd() const { return handle_; }

  int handle_;  // the pidfd, or -1
  // Go's sigMu: Signal holds it shared; Wait takes it to mark the process
  // done before reaping it, so that no signal can follow the reap.
  std::shared_mutex sigMu_;
  Status status_ = Status::Running;
};

// StartProcess starts name with argv (argv[0] included) and attr. A failure
// is a *PathError: "fork/exec NAME: ERR", or "chdir DIR: ERR" when Dir does
// not exist (checked first when there is no SysProcAttr, as Go does).
std::pair<std::unique_ptr<Process>, error> StartProcess(const std::string& name,
                                                        const std::vector<std::string>& argv,
                                                        ProcAttr attr);

}  // namespace go::os
