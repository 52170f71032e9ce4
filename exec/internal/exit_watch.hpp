// SPDX-License-Identifier: BSD-3-Clause
// Internal; not installed. A descriptor that polls readable once a started
// process has exited, for the poll loop in Cmd::Wait.
#pragma once

#include <thread>

#include "exec/errors.hpp"
#include "exec/os_process.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::exec::internal {

// ExitWatch gives the process's pidfd where it has one. Without one (old
// kernels, seccomp, qemu-user: see os_process.hpp) nothing the kernel
// offers can be polled for a child's exit, so a thread waits for it
// (waitid with WNOWAIT, which does not reap) and then makes an eventfd
// readable: the one thread the exec layer starts. If no thread can be
// started, fd() is -1 and the loop has to ask exited() between polls.
class ExitWatch {
 public:
  explicit ExitWatch(const os::Process& p);
  ExitWatch(const ExitWatch&) = delete;
  ExitWatch& operator=(const ExitWatch&) = delete;
  ~ExitWatch();  // joins the thread, which has returned once the process exited

  int fd() const { return fd_; }

  // exited asks the kernel directly (waitid WNOHANG|WNOWAIT), for when fd()
  // is -1.
  bool exited() const;

 private:
  const os::Process& p_;
  int fd_ = -1;
  int eventfd_ = -1;
  std::thread waiter_;
};

}  // namespace go::exec::internal

#pragma GCC visibility pop
