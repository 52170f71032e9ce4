// SPDX-License-Identifier: BSD-3-Clause
// SysProcAttr::Sigmask and Sigdefault, posix_spawn's SETSIGMASK and
// SETSIGDEF: the child's exact mask, and handlers back to SIG_DFL even
// where the caller ignores the signal. Both backends.
#include <sys/signalfd.h>

#include <algorithm>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

// sigs is a list of signals as the probe prints it: " n1 n2", in ascending
// order. Built from the numbers, which differ on mips (SIGUSR1 16, SIGUSR2 17).
std::string sigs(std::vector<int> list) {
  std::sort(list.begin(), list.end());
  std::string s;
  for (int n : list) s += " " + std::to_string(n);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sigmask)

// Unset, the child keeps the caller's mask (as Go); set, it gets exactly
// the given one, also an empty one.
BOOST_AUTO_TEST_CASE(child_mask_is_sigmask_or_the_callers) {
  std::string msg = inHelper([] {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &block, nullptr);
    gs::SysProcAttr sys;
    Run r = runProbe({"sigs"}, &sys);
    if (r.err || sigsLine(r.out, "blocked") != sigs({SIGTERM, SIGUSR2}))
      return "unset: blocked [" + sigsLine(r.out, "blocked") + "]";
    sys.Sigmask = std::vector<gs::Signal>{};
    r = runProbe({"sigs"}, &sys);
    if (r.err || sigsLine(r.out, "blocked") != "")
      return "empty: blocked [" + sigsLine(r.out, "blocked") + "]";
    sys.Sigmask = std::vector<gs::Signal>{gs::SIGHUP_, gs::Signal(40)};
    r = runProbe({"sigs"}, &sys);
    if (r.err || sigsLine(r.out, "blocked") != " 1 40")
      return "set: blocked [" + sigsLine(r.out, "blocked") + "]";
    // The caller's own mask is as it was.
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, nullptr, &now);
    if (!sigismember(&now, SIGTERM) || !sigismember(&now, SIGUSR2) || sigismember(&now, SIGHUP))
      return std::string("the caller's mask changed");
    return std::string();
  });
  BOOST_TEST(msg == "");
}

// Ignored signals stay ignored across execve, unless listed in Sigdefault.
BOOST_AUTO_TEST_CASE(sigdefault_resets_ignored_signals) {
  std::string msg = inHelper([] {
    signal(SIGUSR1, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    gs::SysProcAttr sys;
    Run r = runProbe({"sigs"}, &sys);
    if (r.err || sigsLine(r.out, "ignored") != sigs({SIGUSR1, SIGPIPE}))
      return "unset: ignored [" + sigsLine(r.out, "ignored") + "]";
    sys.Sigdefault = {gs::SIGUSR1_, gs::SIGKILL_};  // SIGKILL: always default, no error
    r = runProbe({"sigs"}, &sys);
    if (r.err || sigsLine(r.out, "ignored") != sigs({SIGPIPE}))
      return "set: ignored [" + sigsLine(r.out, "ignored") + "]";
    return std::string();
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(bad_signal_numbers_are_einval) {
  for (int sig : {0, -1, NSIG}) {  // NSIG: 65, or 128 on mips
    gs::SysProcAttr a, b;
    a.Sigmask = std::vector<gs::Signal>{gs::Signal(sig)};
    b.Sigdefault = {gs::Signal(sig)};
    BOOST_TEST(runProbe({"exit", "0"}, &a).err == gs::EINVAL_);
    BOOST_TEST(runProbe({"exit", "0"}, &b).err == gs::EINVAL_);
  }
  BOOST_TEST(noChildren());
}

#if !defined(GOSYSCALL_EXEC_BSD)
// A signalfd supervisor blocks SIGTERM to read it from its signalfd; its
// workers inherit that mask, and a SIGTERM sent to them stays pending
// forever. With an empty Sigmask, the worker dies of it.
BOOST_AUTO_TEST_CASE(signalfd_supervisor_workers_die_of_sigterm, *skip::when(skip::noClonePidfd)) {
  std::string msg = inHelper([] {
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, nullptr);
    Fd sfd(signalfd(-1, &term, SFD_CLOEXEC));
    if (sfd.get() < 0) return std::string("signalfd failed");
    std::string report;
    for (bool empty : {true, false}) {
      Pipe hold;
      gs::SysProcAttr sys;
      if (empty) sys.Sigmask = std::vector<gs::Signal>{};
      gs::ProcAttr attr{"", {}, {U(hold.r.get()), 1, 2}, &sys};
      auto [p, err] = gs::Process::Start(kProbe, {"probe", "wait"}, &attr);
      if (err) return "Start: " + err.Error();
      (void)p.Signal(gs::SIGTERM_);
      hold.w.reset();  // a worker still alive reads EOF and exits 0
      gs::WaitStatus ws;
      if (p.Wait(&ws)) return std::string("Wait failed");
      const bool killed = ws.Signaled() && ws.Signal() == gs::SIGTERM_;
      if (killed != empty)
        report += std::string(empty ? "with" : "without") + " an empty Sigmask the worker " +
                  (killed ? "died of SIGTERM; " : "lived on; ");
    }
    return report;
  });
  BOOST_TEST(msg == "");
}
#endif

BOOST_AUTO_TEST_SUITE_END()
