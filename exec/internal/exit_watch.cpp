// SPDX-License-Identifier: BSD-3-Clause
// ExitWatch (exit_watch.hpp).
#include "exec/internal/exit_watch.hpp"

#include <sys/eventfd.h>

#include <cstdint>
#include <system_error>

#include "syscall/syscall_linux.hpp"

namespace go::exec::internal {

namespace sc = go::syscall;

ExitWatch::ExitWatch(const os::Process& p) : p_(p) {
  if (p.pollFd() >= 0) {
    fd_ = p.pollFd();
    return;
  }
  eventfd_ = eventfd(0, EFD_CLOEXEC);
  if (eventfd_ < 0) return;
  try {
    waiter_ = std::thread([this] {
      p_.blockUntilWaitable();  // an error means there is nothing to wait for either
      const uint64_t one = 1;
      sc::Write(eventfd_, &one, sizeof one);
    });
    fd_ = eventfd_;
  } catch (const std::system_error&) {
    (void)sc::Close(eventfd_);  // no thread (EAGAIN): exited() will be asked instead
    eventfd_ = -1;
  }
}

ExitWatch::~ExitWatch() {
  if (waiter_.joinable()) waiter_.join();
  if (eventfd_ >= 0) (void)sc::Close(eventfd_);
}

bool ExitWatch::exited() const {
  const int idtype = p_.pollFd() >= 0 ? int(sc::P_PIDFD_) : int(sc::P_PID_);
  const int id = p_.pollFd() >= 0 ? p_.pollFd() : p_.Pid;
  sc::Siginfo info{};
  sc::Errno err;
  do {
    err = sc::Waitid(idtype, id, &info, int(sc::WEXITED_ | sc::WNOWAIT_ | sc::WNOHANG_), nullptr);
  } while (err == sc::EINTR_);
  return err || info.Pid != 0;  // an error: nothing left to wait for
}

}  // namespace go::exec::internal
