// SPDX-License-Identifier: BSD-3-Clause
// Pdeathsig (Linux backend only), observed with real processes:
//
//   T (this test, a child subreaper) ── fork ──> P ── ForkExec ──> G (probe wait)
//
// T kills P with SIGKILL and reaps it; G, reparented to T, must die by the
// signal. Variants: SIGKILL and SIGUSR1; with Credential (Go issue 9686: the
// kernel clears the signal on a change of credentials, so it must be armed
// after them); P dying before G reaches prctl, made deterministic with
// ptrace (T auto-attaches G at its creation, kills P while G is stopped,
// then lets G go: only the library's getppid check can catch this); G in a
// pid namespace where P is invisible (getppid() == 0: the pidfd check); and
// the kernel's thread rule (Go issue 27505).
#include <thread>

#include "death_harness.hpp"

using namespace th;
using death::Scenario;

namespace {

// Safety bound for a child to die after the thread that started it ended
// (thread_rule: pthread_join may return before the kernel's exit_notify).
constexpr int kDeathMs = 5000;

struct Outcome {
  std::string error;       // the harness failed; empty if not
  int status = -1;         // G's raw wait status
  long ppidBefore = -1;    // G's PPid while P lived (in T's pid namespace)
  long ppidAfter = -1;     // G's PPid after P died
  int ppid = 0, gpid = 0;  // P and G
};

long ppidOf(int pid) {
  try {
    return std::stol(procStatus(pid, "PPid"));
  } catch (...) {
    return -1;
  }
}

// run plays T for one scenario (death_harness.hpp) and returns what
// happened to G.
Outcome run(const Scenario& o) {
  death::becomeSubreaper();
  Outcome r;
  death::Pipes pipes;
  const pid_t p = death::startParent(o, pipes);
  r.ppid = p;
  try {
    death::awaitCue(o, pipes);
    if (o.race) {
      // G is stopped before its first instruction, long before prctl,
      // while P dies; then it runs, ours (subreaper).
      int st = 0;
      r.gpid = death::catchAtCreation(p, pipes);
      r.ppidBefore = ppidOf(r.gpid);
      death::killAndRelease(p, r.gpid, &st);
      if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) fail("P: " + describe(st));
    } else {
      std::istringstream line(readLine(pipes.ctl.r.get()));
      long err = -1;
      line >> r.gpid >> err;
      if (r.gpid <= 0 || err != 0) fail("ForkExec in P failed: errno " + std::to_string(err));
      // G has exec'd the probe (so prctl is done) and blocks on stdin. In a
      // new pid namespace it is pid 2 there (1 is the bystander init), and
      // P, outside, is invisible to it: its getppid() is 0. (Under qemu-user
      // the bystander's own threads, which the emulator starts after fork,
      // take the next pids: there G is the first pid above them.)
      const std::string ready = readLine(pipes.out.r.get());
      std::string want = "ready " + std::to_string(o.pidns ? (o.nsInit ? 1 : 2) : r.gpid);
      if (o.pidns && !o.nsInit && !skip::emulator().empty() && ready.rfind("ready ", 0) == 0) {
        const long n = std::atol(ready.c_str() + 6);
        if (n >= 2 && n < 16 && n != r.gpid) want = ready;
      }
      if (ready != want) fail("G said \"" + ready + "\", want \"" + want + "\"");
      r.ppidBefore = ppidOf(r.gpid);
      kill(p, SIGKILL);
      int st = waitStatus(p);
      if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) fail("P: " + describe(st));
    }

    // G must die by the signal. The kernel queues it while P exits, before
    // P can be reaped; the library's own check kills G before execve. So
    // G's stdin can be closed now: a G that got no signal reads EOF and
    // exits 0, one that got it dies of it first. No waiting on a clock.
    pipes.in.w.reset();
    if (!exitedWithin(r.gpid, kTimeoutMs)) fail("G did not exit even at EOF");
    r.ppidAfter = ppidOf(r.gpid);  // a zombie still shows its parent
    r.status = waitStatus(r.gpid);
  } catch (const std::exception& e) {
    r.error = e.what();
    kill(p, SIGKILL);
    if (r.gpid > 0) kill(r.gpid, SIGKILL);
  }
  death::reapAll(pipes);
  return r;
}

std::string describeOutcome(const Outcome& r) {
  return "G " + std::to_string(r.gpid) + " " + describe(r.status) + ", PPid " +
         std::to_string(r.ppidBefore) + " -> " + std::to_string(r.ppidAfter) +
         (r.error.empty() ? "" : ", error: " + r.error);
}

void expectDeath(const Scenario& o) {
  Outcome r = run(o);
  BOOST_TEST_INFO(describeOutcome(r));
  BOOST_TEST_REQUIRE(r.error == "");
  if (o.nsInit && o.race) {
    // A pid namespace's init cannot signal itself to death: the library
    // ends it with exit status 128+sig instead, before execve.
    BOOST_TEST(WIFEXITED(r.status), "G did not exit");
    BOOST_TEST(WEXITSTATUS(r.status) == 128 + o.sig.value());
  } else {
    BOOST_TEST(WIFSIGNALED(r.status), "G was not killed by a signal");
    BOOST_TEST(WTERMSIG(r.status) == o.sig.value());
  }
  // P's child, then reparented to us, the subreaper (not to 1). /proc
  // shows both in our pid namespace, also where G itself cannot see P.
  BOOST_TEST(r.ppidBefore == r.ppid);
  BOOST_TEST(r.ppidAfter == getpid());
  BOOST_TEST(noChildren());
}

}  // namespace

namespace {
// The race cases also stop G before its first instruction with ptrace.
std::string noSubreaperOrPtrace() {
  const std::string why = skip::noSubreaper();
  return why.empty() ? skip::noPtrace() : why;
}
// And in a pid namespace, the library's pidfd of P is what tells G that P
// died before prctl.
std::string noSubreaperPtraceOrParentPidfd() {
  return skip::all<noSubreaperOrPtrace, skip::noPidfdOfParent>();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(pdeathsig)

BOOST_AUTO_TEST_CASE(sigkill_when_parent_is_killed, *skip::when(skip::noSubreaper)) {
  expectDeath({gs::SIGKILL_});
}

BOOST_AUTO_TEST_CASE(sigusr1_when_parent_is_killed, *skip::when(skip::noSubreaper)) {
  expectDeath({gs::SIGUSR1_});
}

BOOST_AUTO_TEST_CASE(with_credential_issue9686, *skip::when(skip::noSubreaper)) {
  gs::Credential cred{65534, 65534, {65534}};
  Scenario o{gs::SIGUSR1_};
  o.cred = &cred;
  expectDeath(o);
}

BOOST_AUTO_TEST_CASE(without_pdeathsig_the_child_survives, *skip::when(skip::noSubreaper)) {
  // The control: the same harness, no signal asked for. G outlives P and
  // exits 0 once T closes its stdin; it was reparented to T.
  Outcome r = run({gs::Signal(0)});
  BOOST_TEST_INFO(describeOutcome(r));
  BOOST_TEST_REQUIRE(r.error == "");
  BOOST_TEST(WIFEXITED(r.status));
  BOOST_TEST(WEXITSTATUS(r.status) == 0);
  BOOST_TEST(r.ppidBefore == r.ppid);
  BOOST_TEST(r.ppidAfter == getpid());
}

BOOST_AUTO_TEST_CASE(parent_dies_before_prctl, *skip::when(noSubreaperOrPtrace)) {
  // Deterministic: G is stopped at its creation when P is killed.
  Scenario o{gs::SIGUSR1_};
  o.race = true;
  expectDeath(o);
  o.sig = gs::SIGKILL_;
  expectDeath(o);
}

BOOST_AUTO_TEST_CASE(parent_dies_before_prctl_with_credential, *skip::when(noSubreaperOrPtrace)) {
  gs::Credential cred{65534, 65534, {}};
  Scenario o{gs::SIGUSR1_};
  o.race = true;
  o.cred = &cred;
  expectDeath(o);
}

BOOST_AUTO_TEST_CASE(parent_in_another_pid_namespace, *skip::when(skip::noSubreaper)) {
  // G cannot see P (getppid() == 0); the library's pidfd of P tells.
  Scenario o{gs::SIGUSR1_};
  o.pidns = true;
  expectDeath(o);
}

BOOST_AUTO_TEST_CASE(parent_in_another_pid_namespace_dies_before_prctl,
                     *skip::when(noSubreaperPtraceOrParentPidfd)) {
  Scenario o{gs::SIGUSR1_};
  o.pidns = true;
  o.race = true;
  expectDeath(o);
}

// G is the init of a new pid namespace and P, outside it, dies before
// prctl. G's getppid() is 0; the pidfd check sees P gone, but the kernel
// ignores a default-action signal an init sends itself, SIGKILL included,
// so the library ends G with exit_group(128+sig) rather than let it exec.
// (After prctl the kernel's own SIGKILL from an ancestor is forced.)
BOOST_AUTO_TEST_CASE(parent_dies_before_prctl_child_is_pid_namespace_init,
                     *skip::when(noSubreaperPtraceOrParentPidfd)) {
  Scenario o{gs::SIGKILL_};
  o.pidns = o.nsInit = true;
  expectDeath(o);  // without the race it passes: the kernel forces SIGKILL
  o.race = true;
  expectDeath(o);
}

BOOST_AUTO_TEST_CASE(armed_in_the_exec_d_program) {
  // What the program sees: the signal armed, also after a credential
  // change (which clears it in the kernel if it was armed before).
  gs::SysProcAttr sys;
  sys.Pdeathsig = gs::SIGUSR1_;
  Run r = runProbe({"pdeathsig"}, &sys);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.out == std::to_string(SIGUSR1) + "\n");

  gs::Credential cred{65534, 65534, {}};
  sys.Credential = &cred;
  r = runProbe({"pdeathsig"}, &sys, worldProbe());
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.out == std::to_string(SIGUSR1) + "\n");

  gs::SysProcAttr none;
  r = runProbe({"pdeathsig"}, &none);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.out == "0\n");
}

BOOST_AUTO_TEST_CASE(thread_rule_issue27505, *skip::when(skip::noThreads)) {
  // The kernel's rule, documented in exec_linux.hpp: the "parent" is the
  // thread that created the child. A child started from a thread that then
  // exits gets the signal although the process lives on.
  Pipe in, out;
  int pid = 0;
  gs::Errno err;
  std::thread t([&] {
    gs::SysProcAttr sys;
    sys.Pdeathsig = gs::SIGUSR1_;
    gs::ProcAttr attr;
    attr.Files = {in.r.u(), out.w.u(), 2};
    attr.Sys = &sys;
    std::tie(pid, err) = gs::ForkExec(kProbe, {"probe", "wait"}, &attr);
  });
  t.join();
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  out.w.reset();
  in.r.reset();
  // (G may be killed before it even says "ready": the thread is gone.)
  if (!exitedWithin(pid, kDeathMs)) in.w.reset();
  int st = waitStatus(pid);
  BOOST_TEST(describe(st) == "killed by signal " + std::to_string(SIGUSR1));
}

BOOST_AUTO_TEST_SUITE_END()
