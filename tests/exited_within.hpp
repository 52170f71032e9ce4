// SPDX-License-Identifier: BSD-3-Clause
// exitedWithin: whether a process ends within a time limit, without
// reaping it. The suites' safety net around every wait for a process.
#pragma once

#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

namespace th {

// exitedWithin waits at most timeoutMs for pid to end (it stays a zombie
// for its parent to reap). It waits on a pidfd of pid, which the kernel
// makes readable when pid ends, so pid may be any process. Where
// pidfd_open is ENOSYS (Linux < 5.3, or a seccomp profile: the linux-4.19
// environment of tools/test) it asks waitid, without reaping, once a
// millisecond until the deadline; the answer is still the kernel's, but
// pid must then be our child (or an orphan reparented to us, a subreaper).
inline bool exitedWithin(int pid, int timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  auto left = [&deadline] {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
    return ms > 0 ? int(ms) : 0;
  };
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) {
    pollfd p{int(fd), POLLIN, 0};
    int n;
    while ((n = ::poll(&p, 1, left())) < 0 && errno == EINTR) {
    }
    ::close(int(fd));
    return n > 0;
  }
  if (errno != ENOSYS)
    throw std::runtime_error("pidfd_open " + std::to_string(pid) + ": " + std::strerror(errno));
  for (;;) {
    siginfo_t si{};
    if (::waitid(P_PID, id_t(pid), &si, WEXITED | WNOHANG | WNOWAIT | __WALL) != 0 &&
        errno != EINTR)
      throw std::runtime_error("waitid " + std::to_string(pid) +
                               " (no pidfd_open here: not our child?)");
    if (si.si_pid == pid) return true;
    if (left() == 0) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace th
