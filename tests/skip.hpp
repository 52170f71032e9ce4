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

#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
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

// PR_SET_CHILD_SUBREAPER: qemu-user 7.2 answers EINVAL without asking the kernel.
inline std::string noSubreaper() {
  if (inChild([] { return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; })) return "";
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
