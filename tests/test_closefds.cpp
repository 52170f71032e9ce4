// SPDX-License-Identifier: BSD-3-Clause
// SysProcAttr::CloseFds: the child gets its Files and nothing else, even
// fds that were deliberately leaked (no close-on-exec) into the parent.
// Also through the fallback for kernels without close_range, forced here
// by a seccomp filter that makes close_range fail with ENOSYS.
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

// leak dups /dev/null to fd at, without close-on-exec: what a careless
// library does. Returns its owner.
Fd leak(int at) {
  Fd null = devNull();
  if (dup2(null.get(), at) != at) fail("dup2");
  return Fd(at);
}

std::set<int> childFds(gs::SysProcAttr* sys, std::vector<gs::uintptr> extra = {}) {
  Fd null = devNull();
  gs::ProcAttr attr;
  attr.Files = {null.u(), kOut, 2};
  attr.Files.insert(attr.Files.end(), extra.begin(), extra.end());
  attr.Sys = sys;
  Run r = runProbe({"fds"}, attr);
  if (r.err) fail("ForkExec: " + r.err.Error());
  return keys(parseFds(r.out));
}

// forceFallback makes close_range fail with ENOSYS in this process and
// every process it starts, as on a kernel before 5.9.
std::string forceFallback() {
  sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close_range, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof f / sizeof f[0]), f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return "PR_SET_NO_NEW_PRIVS";
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) return "seccomp filter";
  if (::syscall(SYS_close_range, 1000000u, 1000000u, 0) != -1 || errno != ENOSYS)
    return "the filter did not make close_range ENOSYS";
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(closefds)

BOOST_AUTO_TEST_CASE(leaked_fds_are_closed) {
  Fd a = leak(40), b = leak(333);
  gs::SysProcAttr sys;
  // The control: without CloseFds the leaked fds reach the child.
  BOOST_TEST(childFds(&sys) == (std::set<int>{0, 1, 2, 40, 333}), boost::test_tools::per_element());
  sys.CloseFds = true;
  BOOST_TEST(childFds(&sys) == (std::set<int>{0, 1, 2}), boost::test_tools::per_element());
  // A leaked fd named in Files is passed, at its place; fd 4 closed.
  BOOST_TEST(childFds(&sys, {a.u(), kClosed, b.u()}) == (std::set<int>{0, 1, 2, 3, 5}),
             boost::test_tools::per_element());
#ifndef GOSYSCALL_EXEC_BSD
  // With Pdeathsig, whose pidfd of the parent sits among the fds.
  sys.Pdeathsig = gs::SIGKILL_;
  BOOST_TEST(childFds(&sys) == (std::set<int>{0, 1, 2}), boost::test_tools::per_element());
#endif
}

#ifndef GOSYSCALL_EXEC_BSD
BOOST_AUTO_TEST_CASE(leaked_fds_are_closed_on_the_spawn_thread, *skip::when(skip::noThreads)) {
  Fd a = leak(40);
  gs::SysProcAttr sys;
  sys.CloseFds = true;
  sys.Pdeathsig = gs::SIGKILL_;
  sys.PdeathsigProcessLifetime = true;
  BOOST_TEST(childFds(&sys) == (std::set<int>{0, 1, 2}), boost::test_tools::per_element());
}
#endif

BOOST_AUTO_TEST_CASE(exec_errors_still_reported) {
  // The status pipe sits among the fds CloseFds closes: it must be kept.
  Fd a = leak(41);
  gs::SysProcAttr sys;
  sys.CloseFds = true;
  gs::ProcAttr attr;
  attr.Sys = &sys;
  const std::set<int> before = openFds();
  auto [pid, err] = gs::ForkExec("/nonexistent/prog", {"prog"}, &attr);
  BOOST_TEST(err == gs::ENOENT_);
  BOOST_TEST(pid == 0);
  BOOST_TEST(noChildren());
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(fallback_without_close_range, *skip::when(skip::noSeccompFilter)) {
  std::string msg = inHelper([]() -> std::string {
    // A small fd limit keeps the fallback's loop short; the leaked fd sits
    // at its very top, and another just above the status pipe.
    rlimit rl{256, 256};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return "setrlimit";
    if (std::string e = forceFallback(); !e.empty()) return e;
    Fd top = leak(255), low = leak(lowestFreeFd() + 3);
    gs::SysProcAttr sys;
    sys.CloseFds = true;
    std::set<int> got = childFds(&sys, {low.u()});
    if (got != std::set<int>{0, 1, 2, 3}) {
      std::string s;
      for (int fd : got) s += " " + std::to_string(fd);
      return "child fds:" + s;
    }
    // And exec errors still come back through the kept pipe.
    gs::ProcAttr attr;
    attr.Sys = &sys;
    auto [pid, err] = gs::ForkExec("/nonexistent/prog", {"prog"}, &attr);
    if (err != gs::ENOENT_) return "Errno " + err.Error();
    if (!noChildren()) return "a child is left";
    return "";
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_SUITE_END()
