// SPDX-License-Identifier: BSD-3-Clause
// Process, the pidfd handle (pidfd.hpp).
#include "syscall/pidfd.hpp"

#include <climits>

#include "syscall/internal/ppoll_linux.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

namespace go::syscall {

namespace {

// si_code values of a SIGCHLD siginfo (asm-generic/siginfo.h, the same on
// every arch).
constexpr int kCldExited = 1, kCldKilled = 2, kCldDumped = 3, kCldTrapped = 4, kCldStopped = 5,
              kCldContinued = 6;

}  // namespace

WaitStatus WaitStatusOf(const Siginfo& info) {
  const uint32_t st = uint32_t(info.Status) & 0xFF;
  switch (info.Code) {
    case kCldExited: return WaitStatus(st << 8);
    case kCldKilled: return WaitStatus(st);
    case kCldDumped: return WaitStatus(st | 0x80);
    case kCldTrapped:
    case kCldStopped: return WaitStatus((st << 8) | 0x7F);
    case kCldContinued: return WaitStatus(0xFFFF);
    default: return WaitStatus();
  }
}

Process& Process::operator=(Process&& o) noexcept {
  if (this != &o) {
    (void)Release();
    pid_ = o.pid_;
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

std::pair<Process, Errno> Process::Open(int pid) {
  if (pid <= 0) return {Process(), EINVAL_};  // pidfd_open takes no group or "self" forms
  auto [fd, err] = PidfdOpen(pid, 0);
  if (err) return {Process(), err};
  return {Process(pid, fd), Errno{}};
}

#if !defined(GOSYSCALL_EXEC_BSD)
std::pair<Process, Errno> Process::Start(const std::string& argv0,
                                         const std::vector<std::string>& argv,
                                         const ProcAttr* attr) {
  ProcAttr a = attr ? *attr : ProcAttr{};
  SysProcAttr sys = a.Sys ? *a.Sys : SysProcAttr{};
  int pidfd = -1;
  sys.PidFD = &pidfd;
  a.Sys = &sys;
  auto [pid, err] = ForkExec(argv0, argv, &a);
  if (err) return {Process(), err};
  return {Process(pid, pidfd), Errno{}};
}
#endif

Errno Process::Signal(go::syscall::Signal sig) const {
  if (fd_ < 0) return EBADF_;
  return PidfdSendSignal(fd_, sig, nullptr, 0);
}

Errno Process::Kill() const { return Signal(SIGKILL_); }

std::pair<bool, Errno> Process::Exited(int timeoutMs) const {
  if (fd_ < 0) return {false, EBADF_};
  for (;;) {
    auto r = detail::ppollIn<false>(fd_, timeoutMs);
    if (r.err == EINTR_) continue;  // ppoll has updated nothing we rely on: try again
    if (r.err) return {false, r.err};
    return {r.r1 == 1, Errno{}};
  }
}

Errno Process::Wait(WaitStatus* ws, int options, Rusage* rusage) const {
  if (fd_ < 0) return EBADF_;
  for (;;) {
    Siginfo info{};
    Errno err = Waitid(int(P_PIDFD_), fd_, &info, options | int(WEXITED_), rusage);
    if (err == EINTR_) continue;
    if (err) return err;
    if (info.Pid == 0) {  // WNOHANG, and the process still runs
      if (ws) *ws = WaitStatus();
      return EAGAIN_;
    }
    if (ws) *ws = WaitStatusOf(info);
    return Errno{};
  }
}

Errno Process::Release() {
  if (fd_ < 0) return Errno{};
  Errno err = Close(fd_);
  fd_ = -1;
  return err;
}

}  // namespace go::syscall
