// SPDX-License-Identifier: BSD-3-Clause
// The pidfd probe (pidfd_linux.hpp), as Go's checkPidfd.
//
// Support came in steps (pidfd_send_signal 5.1, CLONE_PIDFD 5.2, pidfd_open
// 5.3, waitid P_PIDFD 5.4), seccomp profiles of container runtimes answer
// some with ENOSYS or EPERM, and qemu-user 7.2 has pidfd_open but rejects
// CLONE_PIDFD: each is tried.
#include "exec/internal/pidfd_linux.hpp"

#include <signal.h>

#include "syscall/internal/clone_linux.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/syscall_linux.hpp"

namespace go::os::internal {

namespace {

namespace sc = go::syscall;

// checkClonePidfd creates a child with clone(CLONE_PIDFD) that exits at
// once, and tells whether the kernel handed back its pidfd (a kernel before
// 5.2 ignores the flag). Unlike Go's probe the child gets a copy of our
// memory instead of sharing it: C++ cannot promise that code after a
// shared-memory clone leaves the parent's stack alone, and the cost is paid
// once. Every signal is blocked across it, so no handler runs in the child,
// which makes raw system calls only.
bool checkClonePidfd() {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int pidfd = -1;
  const auto r = sc::detail::rawFork(sc::CLONE_PIDFD_, sc::uintptr(&pidfd));
  if (!r.err && r.r1 == 0) {
    for (;;) sc::RawSyscall(sc::SYS_EXIT_GROUP, 0, 0, 0);  // the child
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (r.err) return false;
  sc::WaitStatus ws;
  while (sc::Wait4(int(r.r1), &ws, 0, nullptr).second == sc::EINTR_) {
  }
  if (pidfd < 0) return false;
  (void)sc::Close(pidfd);
  return true;
}

bool checkPidfd() {
  // A pidfd of this process (a /proc/self descriptor would not do for
  // waitid).
  auto [fd, err] = sc::PidfdOpen(sc::Getpid(), 0);
  if (err) return false;
  sc::Siginfo info{};
  sc::Errno werr;
  do {
    werr = sc::Waitid(int(sc::P_PIDFD_), fd, &info, int(sc::WEXITED_), nullptr);
  } while (werr == sc::EINTR_);
  // We are not our own parent: ECHILD is the answer that proves support.
  const bool ok = werr == sc::ECHILD_ && !sc::PidfdSendSignal(fd, sc::Signal(0), nullptr, 0);
  (void)sc::Close(fd);
  return ok && checkClonePidfd();
}

}  // namespace

bool pidfdWorks() {
  static const bool works = checkPidfd();
  return works;
}

}  // namespace go::os::internal
