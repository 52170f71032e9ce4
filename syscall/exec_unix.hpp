// SPDX-License-Identifier: BSD-3-Clause
// The parent side of fork/exec (Go's exec_unix.go): ProcAttr, ForkLock,
// ForkExec, StartProcess, Exec. The child side is exec_linux.cpp, or
// exec_bsd.cpp when the library is built with GOSYSCALL_EXEC_BSD.
#pragma once

#include <shared_mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "syscall/types.hpp"

#if defined(GOSYSCALL_EXEC_BSD)
#include "syscall/exec_bsd.hpp"
#else
#include "syscall/exec_linux.hpp"
#endif

namespace go::syscall {

// ForkLock orders child creation against fd creation. Code that creates an
// fd and sets FD_CLOEXEC on it in a second step holds it shared across both
// steps; ForkExec holds it exclusively while the child is created, so no
// child inherits such an fd in the gap. Fds made with O_CLOEXEC in one step
// need no lock. (Go's syscall.ForkLock.) ForkExec holds it around the clone
// alone (its status pipe, the clone, the pipe's write end closed), not
// while the child runs to its execve: forks exclude each other only that
// long, and a reader waits no longer (Go 1.21's forks share the lock among
// themselves, issue 23558, to the same end; docs/PERFORMANCE.md has the
// figures).
extern std::shared_mutex ForkLock;

struct ProcAttr {
  std::string Dir;               // the child's working directory ("" = the parent's)
  std::vector<std::string> Env;  // the child's whole environment (empty = empty)
  std::vector<uintptr> Files;    // child fd i = Files[i]; uintptr(-1) = closed
  SysProcAttr* Sys = nullptr;
};

// ForkExec starts argv0 with argv in a new process and returns its pid once
// execve has succeeded; otherwise the Errno the child failed with, the child
// already reaped. Every string is checked before the child exists: a NUL
// byte inside one is EINVAL, and so is an empty argv. attr may be null (no Files: the child's 0, 1
// and 2 are closed). It needs about 20 KiB of the calling thread's stack:
// the child runs on 16 KiB of it until its execve (docs/PERFORMANCE.md).
std::pair<int, Errno> ForkExec(const std::string& argv0, const std::vector<std::string>& argv,
                               const ProcAttr* attr);

// StartProcess is ForkExec returning Go's (pid, handle, err); handle is 0.
std::tuple<int, uintptr, Errno> StartProcess(const std::string& argv0,
                                             const std::vector<std::string>& argv,
                                             const ProcAttr* attr);

// Exec replaces the calling process (execve). It returns only on failure.
Errno Exec(const std::string& argv0, const std::vector<std::string>& argv,
           const std::vector<std::string>& envv);

}  // namespace go::syscall
