// SPDX-License-Identifier: BSD-3-Clause
// Reaping children with a safety bound: waitStatus, wait4 (the library's
// Wait4), waitAny (ptrace stops too), noChildren and describe. Header-only.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "exited_within.hpp"
#include "pipe.hpp"
#include "syscall/syscall.hpp"

namespace th {

namespace gs = go::syscall;

// noChildren: this process has no child at all, running, stopped or zombie.
inline bool noChildren() {
  siginfo_t si{};
  int r = waitid(P_ALL, 0, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL);
  return r == -1 && errno == ECHILD;
}

// waitStatus reaps pid (a child) and returns the raw status; after
// timeoutMs the child is killed and the wait fails.
inline int waitStatus(int pid, int timeoutMs = kTimeoutMs) {
  if (!exitedWithin(pid, timeoutMs)) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, __WALL);
    fail("timeout waiting for pid " + std::to_string(pid));
  }
  int st = 0;
  while (waitpid(pid, &st, __WALL) < 0) {
    if (errno != EINTR) fail("waitpid " + std::to_string(pid));
  }
  return st;
}

// wait4 reaps pid through the library's Wait4, with a safety timeout.
inline gs::WaitStatus wait4(int pid, int timeoutMs = kTimeoutMs) {
  if (!exitedWithin(pid, timeoutMs)) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, __WALL);
    fail("timeout waiting for pid " + std::to_string(pid));
  }
  gs::WaitStatus ws;
  for (;;) {
    auto [wpid, err] = gs::Wait4(pid, &ws, 0, nullptr);
    if (err == gs::EINTR_) continue;
    if (err) fail("Wait4: " + err.Error());
    if (wpid != pid) fail("Wait4 returned pid " + std::to_string(wpid));
    return ws;
  }
}

inline std::string describe(int st) {
  if (WIFEXITED(st)) return "exited " + std::to_string(WEXITSTATUS(st));
  if (WIFSIGNALED(st)) return "killed by signal " + std::to_string(WTERMSIG(st));
  if (WIFSTOPPED(st)) return "stopped by signal " + std::to_string(WSTOPSIG(st));
  return "status " + std::to_string(st);
}

// waitAny waits (bounded) for a state change of any child, ptrace stops
// included. No fd reports a ptrace stop, so this polls every millisecond up
// to the deadline: a safety bound, not a way to wait for the thing tested.
inline int waitAny(int* status, int timeoutMs = kTimeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  for (;;) {
    int pid = waitpid(-1, status, __WALL | WNOHANG);
    if (pid != 0) return pid;
    if (std::chrono::steady_clock::now() > deadline) fail("timeout in waitpid(-1)");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace th
