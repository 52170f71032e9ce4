// SPDX-License-Identifier: BSD-3-Clause
// stopAtClone: start a program under ptrace and stop it as it enters the
// system call that creates its first child (clone, clone3, fork or vfork),
// to send it a signal in a window that is otherwise a matter of luck: after
// gospawn installed its handlers, before it knows its child's pid.
// Header-only, for the gospawn suites (test_gospawn, test_gospawn_init).
#pragma once

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

namespace stopclone {

// stopAtClone starts argv (argv[0] is the path) with fd 1 on out, as the
// leader of a new process group, with every signal at its default and none
// blocked, and returns its pid stopped at the entry of its first child's
// creation. The caller sends its signal and lets it go (PTRACE_DETACH).
inline pid_t stopAtClone(const std::vector<std::string>& argv, int out) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {  // async-signal-safe calls only
    setpgid(0, 0);
    dup2(out, 1);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
    raise(SIGSTOP);
    execv(args[0], args.data());
    _exit(127);
  }

  int status;
  BOOST_REQUIRE(waitpid(pid, &status, 0) == pid);
  BOOST_REQUIRE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
  BOOST_REQUIRE(
      ptrace(PTRACE_SETOPTIONS, pid, nullptr, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) == 0);

  int inject = 0;
  for (;;) {
    BOOST_REQUIRE(ptrace(PTRACE_SYSCALL, pid, nullptr, inject) == 0);
    inject = 0;
    BOOST_REQUIRE(waitpid(pid, &status, 0) == pid);
    BOOST_REQUIRE_MESSAGE(WIFSTOPPED(status), "the program ended before creating its child");
    if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
      __ptrace_syscall_info info;
      BOOST_REQUIRE(ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info) > 0);
      if (info.op != PTRACE_SYSCALL_INFO_ENTRY) continue;
      const auto nr = long(info.entry.nr);
      bool atClone = nr == SYS_clone || nr == SYS_clone3;
#ifdef SYS_vfork
      atClone = atClone || nr == SYS_vfork || nr == SYS_fork;
#endif
      if (atClone) return pid;
    } else if (WSTOPSIG(status) != SIGTRAP) {  // the SIGTRAP after execve is ptrace's own
      inject = WSTOPSIG(status);
    }
  }
}

}  // namespace stopclone
