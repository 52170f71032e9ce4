// SPDX-License-Identifier: BSD-3-Clause
// gospawn's wait for PROGRAM and its orphans (see gospawn_reap.hpp).
#include "tools/gospawn_reap.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "tools/gospawn_exit.hpp"
#include "tools/gospawn_forward.hpp"

namespace gospawn {

namespace gs = go::syscall;

namespace {

[[noreturn]] void fatal(const char* call, gs::Errno err) {
  std::fprintf(stderr, "gospawn: %s: %s\n", call, err.Error().c_str());
  std::exit(kExitFailure);
}

// reap reaps pid, a child known to have ended.
gs::WaitStatus reap(int pid) {
  gs::WaitStatus ws;
  for (;;) {
    const gs::Errno err = gs::Wait4(pid, &ws, 0, nullptr).second;
    if (err != gs::EINTR_) {
      if (err) fatal("wait4", err);
      return ws;
    }
  }
}

}  // namespace

gs::WaitStatus Supervise(int pid) {
  // Wait for any child without reaping it (WNOWAIT): an orphan is reaped at
  // once; pid is reaped only after forwarding stopped, so that its number
  // cannot be reused while a handler may still signal it.
  for (;;) {
    siginfo_t info = {};
    if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) != 0) {
      if (errno == EINTR) continue;
      fatal("waitid", gs::Errno{gs::uintptr(errno)});  // ECHILD cannot be: pid is unreaped
    }
    if (info.si_pid == pid) break;
    reap(info.si_pid);
  }
  StopForwarding();
  const gs::WaitStatus ws = reap(pid);
  // The orphans that ended meanwhile: reaped here rather than left as
  // zombies to whoever inherits them.
  gs::WaitStatus ignored;
  while (gs::Wait4(-1, &ignored, WNOHANG, nullptr).first > 0) {
  }
  return ws;
}

}  // namespace gospawn
