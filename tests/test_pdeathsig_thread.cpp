// SPDX-License-Identifier: BSD-3-Clause
// The thread rule and its opt-in (Linux backend only). The kernel sends
// Pdeathsig when the *thread* that created the child exits (Go issue
// 27505; test_pdeathsig.cpp shows it once). With
// SysProcAttr::PdeathsigProcessLifetime the library creates the child from
// a thread of its own that lives as long as the child instead, so the
// signal follows the process: not sent when the calling thread exits, sent
// when the process dies. (What that thread hands the child of the calling
// thread's state: test_spawn_thread.cpp.)
#include <sys/prctl.h>

#include <iostream>
#include <thread>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

constexpr int kTrials = 200;

Started startWaiting(bool processLifetime, gs::Signal sig = gs::SIGUSR1_) {
  gs::SysProcAttr sys;
  sys.Pdeathsig = sig;
  sys.PdeathsigProcessLifetime = processLifetime;
  return th::startWaiting(sys);
}

// fromThread starts one child of each kind from a thread that then exits:
// the control (thread semantics) and the subject (process lifetime).
std::pair<Started, Started> fromExitedThread() {
  std::pair<Started, Started> r;
  std::thread t([&] {
    r.first = startWaiting(false);
    r.second = startWaiting(true);
  });
  t.join();
  return r;
}

}  // namespace

// Every case runs threads, and the library its spawn thread.
BOOST_AUTO_TEST_SUITE(pdeathsig_thread, *skip::when(skip::noThreads))

BOOST_AUTO_TEST_CASE(process_lifetime_survives_the_calling_thread) {
  // Per trial: both children start from one thread, which exits. The
  // kernel signals the creating thread's children when it exits, all in
  // that exit; so once the control has died of it, the subject would have
  // been signalled too, were it the thread's child. It was not: it reads
  // EOF on its stdin and exits 0.
  int controlKilled = 0, subjectLived = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kTrials; i++) {
    auto [control, subject] = fromExitedThread();
    BOOST_TEST_REQUIRE(control.err == gs::Errno{});
    BOOST_TEST_REQUIRE(subject.err == gs::Errno{});
    const int cst = waitStatus(control.pid);
    if (WIFSIGNALED(cst) && WTERMSIG(cst) == SIGUSR1) controlKilled++;
    subject.in.reset();
    const std::string said = readAll(subject.out.get());
    const int sst = waitStatus(subject.pid);
    if (WIFEXITED(sst) && WEXITSTATUS(sst) == 0 && said.find("eof") != std::string::npos)
      subjectLived++;
    else
      BOOST_TEST_MESSAGE("subject " << describe(sst) << ", said " << said);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "thread rule: " << kTrials << " trials: without the opt-in " << controlKilled
            << " children killed when their thread exited; with PdeathsigProcessLifetime "
            << subjectLived << " lived on; " << secs << " s" << std::endl;
  BOOST_TEST(controlKilled == kTrials);
  BOOST_TEST(subjectLived == kTrials);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(process_lifetime_signalled_when_the_process_dies,
                     *skip::when(skip::noSubreaper)) {
  // H (a forked helper: a new process, with spawn threads of its own) starts
  // G with the opt-in from a thread that exits, reports G's pid, and
  // blocks; we kill H. G, ours by then (subreaper), must die of the signal.
  // (Under qemu-user, tests/emu_launch.c made the suite one before.)
  BOOST_TEST_REQUIRE((prctl(PR_SET_CHILD_SUBREAPER, 1) == 0 || skip::orphansComeHere()));
  int right = 0;
  for (int i = 0; i < kTrials; i++) {
    Pipe ctl, in, out;
    const pid_t h = fork();
    BOOST_TEST_REQUIRE(h >= 0);
    if (h == 0) {
      ctl.r.reset();
      in.w.reset();
      out.r.reset();
      int pid = 0;
      gs::Errno err;
      std::thread t([&] {
        gs::SysProcAttr sys;
        sys.Pdeathsig = gs::SIGKILL_;
        sys.PdeathsigProcessLifetime = true;
        std::tie(pid, err) = forkExecWait(in.r.get(), out.w.get(), sys);
      });
      t.join();
      writeAll(ctl.w.get(), std::to_string(err ? -int(err.value()) : pid) + "\n");
      if (err) _exit(73);  // nothing to wait for: an H left pausing would hold ctest's pipes
      for (;;) pause();
    }
    ctl.w.reset();
    in.r.reset();
    out.w.reset();
    const int g = std::stoi(readLine(ctl.r.get()));
    BOOST_TEST_REQUIRE(g > 0, "ForkExec in H: " << g);
    // G exec'd (it says ready) and its creating thread is gone; it lives.
    BOOST_TEST_REQUIRE(readLine(out.r.get()).rfind("ready", 0) == 0);
    kill(h, SIGKILL);
    const int hst = waitStatus(h);
    BOOST_TEST(WIFSIGNALED(hst));
    // G must end (EOF) without our closing its stdin, killed by SIGKILL.
    const std::string rest = readAll(out.r.get());
    const int gst = waitStatus(g);
    if (WIFSIGNALED(gst) && WTERMSIG(gst) == SIGKILL && rest.empty())
      right++;
    else
      BOOST_TEST_MESSAGE("G " << describe(gst) << ", said " << rest);
  }
  std::cout << "thread rule: " << kTrials
            << " trials: with PdeathsigProcessLifetime, process killed: " << right
            << " children killed by the signal" << std::endl;
  BOOST_TEST(right == kTrials);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(process_lifetime_keeps_the_callers_signal_mask) {
  // The spawn thread blocks everything while it waits for its child; the
  // child must still start with the calling thread's mask, as without the
  // opt-in.
  std::string got;
  std::thread t([&] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGRTMIN + 3);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    gs::SysProcAttr sys;
    sys.Pdeathsig = gs::SIGUSR1_;
    sys.PdeathsigProcessLifetime = true;
    Run r = runProbe({"sigs"}, &sys);
    got = r.err ? "Errno " + r.err.Error() : r.out;
  });
  t.join();
  BOOST_TEST(lines(got).at(0) ==
             "blocked " + std::to_string(SIGUSR2) + " " + std::to_string(SIGRTMIN + 3));
  // And the calling thread of the test, with nothing blocked, gives none.
  gs::SysProcAttr sys;
  sys.PdeathsigProcessLifetime = true;
  Run r = runProbe({"sigs"}, &sys);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(lines(r.out).at(0) == "blocked");
}

BOOST_AUTO_TEST_CASE(process_lifetime_reports_exec_errors_and_works_after_fork) {
  // Errors come back through the spawn thread as from the caller's.
  gs::SysProcAttr sys;
  sys.Pdeathsig = gs::SIGKILL_;
  sys.PdeathsigProcessLifetime = true;
  gs::ProcAttr attr;
  attr.Sys = &sys;
  const std::set<int> before = openFds();
  auto [pid, err] = gs::ForkExec("/nonexistent/prog", {"prog"}, &attr);
  BOOST_TEST(err == gs::ENOENT_);
  BOOST_TEST(pid == 0);
  BOOST_TEST(noChildren());
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
  // A forked copy of this process has the spawn thread's state but not the
  // thread: it must start its own rather than wait for a thread that is
  // not there.
  std::string msg = inHelper([]() -> std::string {
    gs::SysProcAttr sys;
    sys.Pdeathsig = gs::SIGKILL_;
    sys.PdeathsigProcessLifetime = true;
    Run r = runProbe({"pdeathsig"}, &sys);
    if (r.err) return "Errno " + r.err.Error();
    return r.out == std::to_string(SIGKILL) + "\n" ? "" : "probe said " + r.out;
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_SUITE_END()
