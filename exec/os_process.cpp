// SPDX-License-Identifier: BSD-3-Clause
// os::Process, os::ProcessState and os::StartProcess (os_process.hpp), as
// Go's os/exec_unix.go, os/exec_posix.go and os/pidfd_linux.go.
#include "exec/os_process.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <mutex>

#include "exec/internal/pidfd_linux.hpp"
#include "exec/os_file.hpp"
#include "syscall/env.hpp"
#include "syscall/pidfd.hpp"

namespace go::os {

namespace sc = go::syscall;

const error ErrProcessDone = errors::New("os: process already finished");

namespace {

const error errProcessReleased = errors::New("os: process already released");

std::chrono::microseconds duration(const sc::Timeval& t) {
  return std::chrono::seconds(t.Sec) + std::chrono::microseconds(t.Usec);
}

// convertESRCH: a process the kernel no longer knows is done.
error convertESRCH(sc::Errno err) {
  if (err == sc::ESRCH_) return ErrProcessDone;
  return err;
}

}  // namespace

// ---- ProcessState -------------------------------------------------------------

std::chrono::microseconds ProcessState::UserTime() const { return duration(rusage_.Utime); }
std::chrono::microseconds ProcessState::SystemTime() const { return duration(rusage_.Stime); }

std::string ProcessState::String() const {
  if (!valid_) return "<nil>";
  const sc::WaitStatus ws = status_;
  std::string res;
  if (ws.Exited()) {
    res = "exit status " + std::to_string(ws.ExitStatus());
  } else if (ws.Signaled()) {
    res = "signal: " + ws.Signal().String();
  } else if (ws.Stopped()) {
    res = "stop signal: " + ws.StopSignal().String();
    if (ws.StopSignal() == sc::SIGTRAP_ && ws.TrapCause() != 0)
      res += " (trap " + std::to_string(ws.TrapCause()) + ")";
  } else if (ws.Continued()) {
    res = "continued";
  }
  if (ws.CoreDump()) res += " (core dumped)";
  return res;
}

// ---- Process ---------------------------------------------------------------------

Process::~Process() {
  if (handle_ >= 0) (void)sc::Close(handle_);
}

error Process::Signal(sc::Signal sig) {
  std::shared_lock lock(sigMu_);
  if (status_ == Status::Done) return ErrProcessDone;
  if (status_ == Status::Released) return errProcessReleased;
  if (handle_ >= 0) return convertESRCH(sc::PidfdSendSignal(handle_, sig, nullptr, 0));
  return convertESRCH(sc::Kill(Pid, sig));
}

error Process::Kill() { return Signal(sc::SIGKILL_); }

error Process::blockUntilWaitable() const {
  // WNOWAIT leaves the process waitable: Wait reaps it only once it has
  // marked it done.
  const int idtype = handle_ >= 0 ? int(sc::P_PIDFD_) : int(sc::P_PID_);
  const int id = handle_ >= 0 ? handle_ : Pid;
  for (;;) {
    sc::Siginfo info{};
    sc::Errno err = sc::Waitid(idtype, id, &info, int(sc::WEXITED_ | sc::WNOWAIT_), nullptr);
    if (err == sc::EINTR_) continue;
    if (err) return MakeError<SyscallError>("waitid", err);
    return nullptr;
  }
}

std::pair<ProcessState, error> Process::Wait() {
  {
    std::shared_lock lock(sigMu_);
    if (status_ == Status::Released) return {ProcessState(), sc::EINVAL_};
    if (status_ == Status::Done)
      return {ProcessState(), MakeError<SyscallError>("wait", sc::ECHILD_)};
  }
  sc::Rusage rusage{};
  sc::WaitStatus ws;
  sc::Errno err;
  if (handle_ >= 0) {
    // Go's pidfdWait: a pidfd names this process alone, so a signal racing
    // the reap cannot reach another; after it, pidfd_send_signal says
    // ESRCH. One waitid reaps.
    sc::Siginfo info{};
    do {
      err = sc::Waitid(int(sc::P_PIDFD_), handle_, &info, int(sc::WEXITED_), &rusage);
    } while (err == sc::EINTR_);
    std::unique_lock lock(sigMu_);
    status_ = Status::Done;
    (void)sc::Close(handle_);  // no Signal is using it: they hold sigMu_ shared
    handle_ = -1;
    if (err) return {ProcessState(), MakeError<SyscallError>("waitid", err)};
    return {ProcessState(Pid, sc::WaitStatusOf(info), rusage), nullptr};
  }
  // Go's pidWait: wait until the process can be reaped, mark it done (no
  // Signal gets past that), then reap it, so that no signal can follow the
  // reap to the pid's next owner.
  if (error werr = blockUntilWaitable()) return {ProcessState(), werr};
  std::unique_lock lock(sigMu_);
  status_ = Status::Done;
  do {
    err = sc::Wait4(Pid, &ws, 0, &rusage).second;
  } while (err == sc::EINTR_);
  if (err) return {ProcessState(), MakeError<SyscallError>("wait", err)};
  return {ProcessState(Pid, ws, rusage), nullptr};
}

error Process::Release() {
  std::unique_lock lock(sigMu_);
  if (status_ == Status::Running) status_ = Status::Released;
  if (handle_ >= 0) (void)sc::Close(handle_);
  handle_ = -1;
  return nullptr;
}

// ---- StartProcess -------------------------------------------------------------------

std::pair<std::unique_ptr<Process>, error> StartProcess(const std::string& name,
                                                        const std::vector<std::string>& argv,
                                                        ProcAttr attr) {
  // Without a SysProcAttr (no Chroot, no other user) the directory can be
  // checked from here, for a clearer error than the child's ENOENT.
  if (attr.Sys == nullptr && !attr.Dir.empty()) {
    struct stat st;
    if (::stat(attr.Dir.c_str(), &st) != 0)
      return {nullptr, MakeError<PathError>("chdir", attr.Dir, sc::Errno(uintptr_t(errno)))};
  }

  sc::ProcAttr pa;
  pa.Dir = std::move(attr.Dir);
  pa.Env = attr.Env ? std::move(*attr.Env) : sc::Environ();
  for (int fd : attr.Files) pa.Files.push_back(fd < 0 ? ~sc::uintptr(0) : sc::uintptr(fd));

  // Ask for a pidfd at creation where pidfds work (Go's ensurePidfd): in a
  // copy of the caller's SysProcAttr, or in the caller's own PidFD, which
  // then receives the pidfd and is duplicated for us.
  sc::SysProcAttr sys = attr.Sys ? *attr.Sys : sc::SysProcAttr{};
  pa.Sys = attr.Sys ? &sys : nullptr;
  int pidfd = -1;
#if !defined(GOSYSCALL_EXEC_BSD)
  const bool usePidfd = internal::pidfdWorks();
  const bool callersPidfd = usePidfd && sys.PidFD != nullptr;
  if (usePidfd && !callersPidfd) {
    sys.PidFD = &pidfd;
    pa.Sys = &sys;
  }
#endif

  auto [pid, err] = sc::ForkExec(name, argv, &pa);
  if (err) return {nullptr, MakeError<PathError>("fork/exec", name, err)};

#if !defined(GOSYSCALL_EXEC_BSD)
  if (callersPidfd) {
    // Go's getPidfd: the caller keeps its own; ours is a duplicate. If that
    // fails (no descriptors left) the pid must do.
    auto [dup, derr] = sc::Fcntl(*sys.PidFD, int(sc::F_DUPFD_CLOEXEC_), 0);
    pidfd = derr ? -1 : dup;
  }
#endif
  return {std::unique_ptr<Process>(new Process(pid, pidfd)), nullptr};
}

}  // namespace go::os
