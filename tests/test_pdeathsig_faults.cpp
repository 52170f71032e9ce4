// SPDX-License-Identifier: BSD-3-Clause
// Pdeathsig under faults, counted over many trials (Linux backend only).
// test_pdeathsig.cpp shows each case once; here each fault is repeated
// (kTrials times) and every outcome must be right:
//
//   T (this test, a child subreaper) ── fork ──> P ── ForkExec ──> G (probe wait)
//
// T kills P with SIGKILL, either at a random moment around the spawn
// (before, during or after G's creation) or, deterministically, while G is
// stopped at its creation (ptrace, as in test_pdeathsig.cpp). G's stdout is
// a pipe whose read end only T holds and whose write end, once P is dead,
// only G (and nothing G started) holds: EOF on it proves G ended. G never
// ends on its own, as T keeps its stdin open until then. T then reaps
// everything and sorts the trial by how far the spawn had got: no G yet;
// G created but ForkExec not yet returned in P (G between clone and execve,
// or P not yet back from reading the status pipe); ForkExec returned (G
// had exec'd the probe).
#include <sched.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>

#include <algorithm>
#include <iostream>
#include <random>

#include "exec_helpers.hpp"
#include "live_probe.hpp"
#include "skip.hpp"

using namespace th;

namespace {

constexpr int kTrials = 200;

struct Opts {
  std::string name;
  gs::Signal sig = gs::SIGKILL_;
  gs::Credential* cred = nullptr;
  bool race = false;    // P dies while G is stopped at its creation (ptrace)
  bool pidns = false;   // G in a new pid namespace, under a bystander init
  bool nsInit = false;  // with pidns: G is that namespace's init
};

// What one trial saw. A trial is right when G, if it was created, ended by
// Pdeathsig: killed by the signal, or, as the init of a pid namespace (which
// cannot signal itself), exited 128+sig from the library's check.
enum class Kind { NoChild, During, After, Wrong };

struct Tally {
  int trials = 0, noChild = 0, during = 0, after = 0, wrong = 0;
  std::vector<std::string> errors;
  void add(Kind k, const std::string& why) {
    trials++;
    switch (k) {
      case Kind::NoChild: noChild++; break;
      case Kind::During: during++; break;
      case Kind::After: after++; break;
      case Kind::Wrong:
        wrong++;
        if (errors.size() < 5) errors.push_back(why);
        break;
    }
  }
  int right() const { return trials - wrong; }
};

// parentSide is P. It reports on ctl "init <pid>" (the bystander, or 0),
// then "go" just before ForkExec (random mode) or "seize" and waits for
// T's byte on goPipe (race mode), then "<pid> <errno>".
[[noreturn]] void parentSide(const Opts& o, Pipe& in, Pipe& out, Pipe& ctl, Pipe& go, Pipe& hold) {
  in.w.reset();
  out.r.reset();
  ctl.r.reset();
  go.w.reset();
  hold.w.reset();
  if (o.pidns && unshare(CLONE_NEWPID) != 0) _exit(70);
  pid_t init = 0;
  if (o.pidns && !o.nsInit) {
    // The namespace's init: a bystander that outlives P and G, until T
    // closes hold. It keeps no other fd, so G's end alone closes out.
    init = fork();
    if (init < 0) _exit(71);
    if (init == 0) {
      for (int fd : openFds())
        if (fd != hold.r.get()) close(fd);
      char c;
      while (read(hold.r.get(), &c, 1) > 0) {
      }
      _exit(0);
    }
  }
  hold.r.reset();
  writeAll(ctl.w.get(), "init " + std::to_string(init) + "\n");
  if (o.race) {
    writeAll(ctl.w.get(), "seize\n");
    char c;
    if (read(go.r.get(), &c, 1) != 1) _exit(72);
  } else {
    writeAll(ctl.w.get(), "go\n");
  }
  gs::SysProcAttr sys;
  sys.Pdeathsig = o.sig;
  sys.Credential = o.cred;
  gs::ProcAttr attr;
  attr.Files = {in.r.u(), out.w.u(), 2};
  attr.Sys = &sys;
  auto [pid, err] = gs::ForkExec(o.cred ? worldProbe() : kProbe, {"probe", "wait"}, &attr);
  writeAll(ctl.w.get(), std::to_string(pid) + " " + std::to_string(err.value()) + "\n");
  if (err) _exit(73);
  for (;;) pause();
}

// spin busy-waits for ns nanoseconds: the random moment of the fault. Not a
// synchronization: nothing waits for anything to happen here.
void spin(long ns) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::nanoseconds(ns);
  while (std::chrono::steady_clock::now() < end) {
  }
}

// killStrays ends every process this test still has as a child: the
// cleanup after a failed trial, so that the next one starts clean.
void killStrays() {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    try {
      if (std::stol(procStatus(std::stoi(name), "PPid")) == getpid())
        kill(std::stoi(name), SIGKILL);
    } catch (...) {
    }
  }
}

// trial plays T once. windowNs bounds the random delay (random mode).
std::pair<Kind, std::string> trial(const Opts& o, std::mt19937& rng, long windowNs) {
  Pipe in, out, ctl, go, hold;
  const pid_t p = fork();
  if (p < 0) fail("fork");
  if (p == 0) parentSide(o, in, out, ctl, go, hold);
  in.r.reset();
  out.w.reset();
  ctl.w.reset();
  go.r.reset();
  hold.r.reset();

  std::map<int, int> status;  // every reaped pid -> its raw status
  int init = 0, gpid = 0;
  std::string said, reported;
  try {
    const std::string initLine = readLine(ctl.r.get());
    if (initLine.rfind("init ", 0) != 0) fail("P said \"" + initLine + "\"");
    init = std::stoi(initLine.substr(5));
    if (o.race) {
      if (readLine(ctl.r.get()) != "seize") fail("P did not start");
      gpid = seizeAndCatchChild(p, go.w.get());
      kill(p, SIGKILL);  // G has not run one instruction of the child side
      int st = 0;
      while (waitpid(p, &st, __WALL) != p)
        if (errno != EINTR) fail("waitpid P");
      status[p] = st;
      if (ptrace(PTRACE_DETACH, gpid, nullptr, nullptr) != 0) fail("PTRACE_DETACH G");
    } else {
      if (readLine(ctl.r.get()) != "go") fail("P did not start");
      spin(std::uniform_int_distribution<long>(0, windowNs)(rng));
      kill(p, SIGKILL);
    }
    // G, if it exists, must end: EOF on its stdout (only G holds the write
    // end once P is dead). What it printed tells whether it exec'd.
    said = readAll(out.r.get());
    // P's last words, if it got so far: ForkExec's result.
    reported = readAll(ctl.r.get());
  } catch (const std::exception& e) {
    killStrays();
    hold.w.reset();
    while (!noChildren()) {
      int st;
      if (waitAny(&st) < 0) break;
    }
    return {Kind::Wrong, std::string("harness: ") + e.what()};
  }
  // Reap P, G (ours by now: we are a subreaper), and the bystander once
  // released. Releasing it earlier would end the namespace, and G with it.
  in.w.reset();
  hold.w.reset();
  while (!noChildren()) {
    int st;
    const int pid = waitAny(&st);
    if (pid > 0 && (WIFEXITED(st) || WIFSIGNALED(st))) status[pid] = st;
  }
  if (!WIFSIGNALED(status[p]) || WTERMSIG(status[p]) != SIGKILL)
    return {Kind::Wrong, "P " + describe(status[p])};
  status.erase(p);
  if (init > 0) status.erase(init);
  if (status.size() > 1) return {Kind::Wrong, "more than one G"};
  if (status.empty()) {
    if (o.race) return {Kind::Wrong, "G was not reaped"};
    return {Kind::NoChild, ""};  // P died before it created G
  }
  const int st = status.begin()->second;
  const int sig = o.sig.value();
  const bool killed = WIFSIGNALED(st) && WTERMSIG(st) == sig;
  // The init of a pid namespace ignores the signal it sends itself; the
  // library ends it with 128+sig (see test_pdeathsig.cpp).
  const bool initExit = o.nsInit && WIFEXITED(st) && WEXITSTATUS(st) == 128 + sig;
  if (!killed && !initExit)
    return {Kind::Wrong, "G " + describe(st) + ", printed \"" + said + "\""};
  const bool returned = !reported.empty();
  if (returned && reported.find(" 0\n") == std::string::npos)
    return {Kind::Wrong, "ForkExec in P: " + reported};
  if (o.race && (returned || !said.empty()))
    return {Kind::Wrong, "G ran although P died before prctl: " + said};
  return {returned ? Kind::After : Kind::During, ""};
}

// spawnNs is how long ForkExec of the probe takes here, up to its return
// (execve done): the random moments are spread over four times that, as
// P also forks and reports before it calls ForkExec.
long spawnNs() {
  static const long ns = [] {
    Fd null = devNull();
    gs::ProcAttr attr;
    attr.Files = {null.u(), null.u(), 2};
    std::vector<long> t;
    for (int i = 0; i < 15; i++) {
      const auto t0 = std::chrono::steady_clock::now();
      auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
      t.push_back(long(std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - t0)
                           .count()));
      if (err) fail("ForkExec: " + err.Error());
      waitStatus(pid);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];  // the median: a busy machine's outliers aside
  }();
  return ns;
}

void runTrials(const Opts& o) {
  // (Under qemu-user, tests/emu_launch.c made the suite one before.)
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 && !skip::orphansComeHere())
    fail("PR_SET_CHILD_SUBREAPER");
  (void)worldProbe();  // made here, not in P
  std::mt19937 rng(std::random_device{}());
  const long window = o.race ? 0 : 4 * spawnNs();
  const auto t0 = std::chrono::steady_clock::now();
  Tally t;
  for (int i = 0; i < kTrials; i++) {
    auto [kind, why] = trial(o, rng, window);
    t.add(kind, why);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::ostringstream line;
  line << "faults: " << o.name << ": " << t.trials << " trials, " << t.right() << " right ("
       << t.noChild << " before G existed, " << t.during << " during the spawn, " << t.after
       << " after ForkExec returned), " << t.wrong << " wrong; " << secs << " s";
  if (!o.race) line << "; kill within " << window / 1000 << " us of ForkExec's start";
  std::cout << line.str() << std::endl;
  for (const auto& e : t.errors) BOOST_TEST_MESSAGE("wrong: " << e);
  BOOST_TEST(t.wrong == 0, line.str() << (t.errors.empty() ? "" : "; first: " + t.errors[0]));
  BOOST_TEST(t.trials == kTrials);
  if (o.race) BOOST_TEST(t.during == kTrials);  // every trial hit the window
  BOOST_TEST(noChildren());
}

}  // namespace

namespace utf = boost::unit_test;

// The race mode stops G at its creation with ptrace, which qemu-user does
// not emulate; every mode reaps orphans as a subreaper.
static std::string noSubreaperOrPtrace() { return skip::all<skip::noSubreaper, skip::noPtrace>(); }
// In a new pid namespace only the library's pidfd of P tells G that P died
// before prctl; a random kill lands there too.
static std::string noSubreaperOrParentPidfd() {
  return skip::all<skip::noSubreaper, skip::noPidfdOfParent>();
}
static std::string noSubreaperPtraceOrParentPidfd() {
  return skip::all<skip::noSubreaper, skip::noPtrace, skip::noPidfdOfParent>();
}

BOOST_AUTO_TEST_SUITE(pdeathsig_faults)

BOOST_AUTO_TEST_CASE(parent_killed_at_random_moments, *skip::when(skip::noSubreaper)) {
  Opts o{"random kill, SIGKILL"};
  runTrials(o);
  o = Opts{"random kill, SIGUSR1"};
  o.sig = gs::SIGUSR1_;
  runTrials(o);
}

BOOST_AUTO_TEST_CASE(parent_killed_at_random_moments_with_credential,
                     *skip::when(skip::noSubreaper)) {
  gs::Credential cred{65534, 65534, {65534}};
  Opts o{"random kill, Credential 0 -> 65534"};
  o.cred = &cred;
  runTrials(o);
}

BOOST_AUTO_TEST_CASE(parent_killed_at_random_moments_in_pid_namespace,
                     *skip::when(noSubreaperOrParentPidfd) *
                         utf::precondition(th::CanUnshare{CLONE_NEWPID, "CLONE_NEWPID"})) {
  Opts o{"random kill, new pid namespace"};
  o.pidns = true;
  o.sig = gs::SIGUSR1_;
  runTrials(o);
  o = Opts{"random kill, child is pid namespace init"};
  o.pidns = o.nsInit = true;
  runTrials(o);
}

BOOST_AUTO_TEST_CASE(parent_dies_before_prctl, *skip::when(noSubreaperOrPtrace)) {
  Opts o{"before prctl (ptrace)"};
  o.race = true;
  o.sig = gs::SIGUSR1_;
  runTrials(o);
}

BOOST_AUTO_TEST_CASE(parent_dies_before_prctl_with_credential, *skip::when(noSubreaperOrPtrace)) {
  gs::Credential cred{65534, 65534, {}};
  Opts o{"before prctl (ptrace), Credential 0 -> 65534"};
  o.race = true;
  o.cred = &cred;
  runTrials(o);
}

BOOST_AUTO_TEST_CASE(parent_dies_before_prctl_in_pid_namespace,
                     *skip::when(noSubreaperPtraceOrParentPidfd) *
                         utf::precondition(th::CanUnshare{CLONE_NEWPID, "CLONE_NEWPID"})) {
  Opts o{"before prctl (ptrace), new pid namespace"};
  o.race = o.pidns = true;
  o.sig = gs::SIGUSR1_;
  runTrials(o);
  o = Opts{"before prctl (ptrace), child is pid namespace init"};
  o.race = o.pidns = o.nsInit = true;
  runTrials(o);
}

BOOST_AUTO_TEST_SUITE_END()
