// Skipping a test case that this machine cannot run, visibly.
//
//   BOOST_AUTO_TEST_CASE(name, *skip::when(skip::noPtrace)) { ... }
//
// A reason function returns "" when the case can run, else why not. A
// skipped case prints "SKIPPED <suite>/<case>: <reason>" on stdout, which
// tools/test collects and counts per arch, and Boost.Test reports it as
// skipped (never as passed). Keep every reason to a real limit of the
// machine or emulator, found by probing it where it can be probed.
#pragma once

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <iostream>
#include <string>

namespace skip {

using Reason = std::string (*)();

// when(reason): a Boost.Test precondition that skips the case, saying why,
// when reason() is not empty.
inline boost::unit_test::precondition when(Reason reason) {
  return boost::unit_test::precondition([reason](boost::unit_test::test_unit_id id) {
    const std::string why = reason();
    boost::test_tools::assertion_result r(why.empty());
    if (!why.empty()) {
      std::cout << "SKIPPED " << boost::unit_test::framework::get(id, boost::unit_test::TUT_ANY).full_name()
                << ": " << why << std::endl;
      r.message() << why;
    }
    return r;
  });
}

// inChild runs fn in a forked child and tells whether it exited 0.
template <typename Fn>
bool inChild(Fn fn) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(fn() ? 0 : 1);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The name of the user-mode emulator the suites run under, "" when native
// (tests/CMakeLists.txt defines EMULATOR_PATH for emulated cross builds).
inline std::string emulator() {
#ifdef EMULATOR_PATH
  return EMULATOR_PATH;
#else
  return "";
#endif
}

// Reasons.

// ptrace: qemu-user does not emulate it (and a seccomp profile may forbid it).
inline std::string noPtrace() {
  if (inChild([] { return ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0; })) return "";
  return "ptrace(PTRACE_TRACEME) fails here (qemu-user does not emulate ptrace)";
}

// orphansComeHere tells, from what the kernel does, whether this process is
// a child subreaper: a grandchild orphaned by its parent's exit is
// reparented to it. (Under qemu-user, where tests/emu_launch.c may have
// made it one before the emulator started, asking with prctl fails too.)
inline bool orphansComeHere() {
  int hold[2], report[2];
  if (::pipe2(hold, O_CLOEXEC) != 0) return false;
  if (::pipe2(report, O_CLOEXEC) != 0) {
    ::close(hold[0]);
    ::close(hold[1]);
    return false;
  }
  const pid_t c = ::fork();
  if (c == 0) {
    const pid_t g = ::fork();
    if (g == 0) {  // the grandchild: lives until every write end of hold is closed
      ::close(hold[1]);
      char b;
      while (::read(hold[0], &b, 1) < 0 && errno == EINTR) {
      }
      ::_exit(0);
    }
    ssize_t ignored = ::write(report[1], &g, sizeof g);
    (void)ignored;
    ::_exit(0);  // g is orphaned here
  }
  ::close(hold[0]);
  ::close(report[1]);
  pid_t g = -1;
  const ssize_t n = c > 0 ? ::read(report[0], &g, sizeof g) : -1;
  ::close(report[0]);
  int st = 0;
  if (c > 0) ::waitpid(c, &st, 0);  // c has exited, so g has its new parent
  const bool ours = n == ssize_t(sizeof g) && g > 0 && ::waitpid(g, &st, WNOHANG) == 0;
  ::close(hold[1]);  // g ends
  if (ours) ::waitpid(g, &st, 0);
  return ours;
}

// PR_SET_CHILD_SUBREAPER: qemu-user 7.2 answers EINVAL without asking the
// kernel. A suite that tests/emu_launch.c made a subreaper still runs.
inline std::string noSubreaper() {
  if (inChild([] { return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; })) return "";
  if (orphansComeHere()) return "";
  return "prctl(PR_SET_CHILD_SUBREAPER) fails here (qemu-user 7.2 does not pass it to the kernel)";
}

// The environment a program starts with: qemu-user rebuilds the guest's
// from its own, in reverse order and with duplicate names merged, so a
// child's exact environment cannot be observed from inside it.
inline std::string envRebuilt() {
  if (emulator().empty()) return "";
  return "the child runs under " + emulator() +
         ", which reorders its environment and merges duplicate names";
}

// Signal 64 (SIGRTMAX): qemu-user keeps the host's last real-time signals
// for itself, so it refuses guest signals 63 and 64 (EINVAL), in prctl too.
inline std::string noSigrtmax() {
  if (inChild([] { return ::prctl(PR_SET_PDEATHSIG, 64, 0, 0, 0) == 0; })) return "";
  return "prctl(PR_SET_PDEATHSIG, 64) fails here (qemu-user keeps signals 63 and 64 for itself)";
}

}  // namespace skip
