// SPDX-License-Identifier: BSD-3-Clause
// writeNoSigpipe (nosigpipe.hpp).
#include "exec/internal/nosigpipe.hpp"

#include <signal.h>

#include <cerrno>
#include <ctime>

#include "syscall/syscall_linux.hpp"

namespace go::exec::internal {

std::pair<ssize_t, syscall::Errno> writeNoSigpipe(int fd, const void* p, size_t n) {
  sigset_t pipe, old, pending;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, &old);
  // One already pending (sent by someone, or blocked by the caller) is not
  // ours to take.
  sigpending(&pending);
  const bool wasPending = sigismember(&pending, SIGPIPE) == 1;

  std::pair<ssize_t, syscall::Errno> r;
  do {
    r = syscall::Write(fd, p, n);
  } while (r.second == syscall::EINTR_);

  if (r.second == syscall::EPIPE_ && !wasPending) {
    const timespec now{0, 0};
    while (sigtimedwait(&pipe, nullptr, &now) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return r;
}

}  // namespace go::exec::internal
