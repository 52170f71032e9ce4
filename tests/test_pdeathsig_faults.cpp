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
#include <algorithm>
#include <iostream>
#include <random>

#include "death_harness.hpp"
#include "live_probe.hpp"

using namespace th;

namespace {

constexpr int kTrials = 200;

// Opts: a scenario of death_harness.hpp, named in the report.
struct Opts : death::Scenario {
  std::string name;
  explicit Opts(std::string n) : name(std::move(n)) {}
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
  death::Pipes pipes;
  const pid_t p = death::startParent(o, pipes);
  std::map<int, int> status;  // every reaped pid -> its raw status
  int init = 0;
  std::string said, reported;
  try {
    init = death::awaitCue(o, pipes);
    if (o.race) {
      int st = 0;
      death::killAndRelease(p, death::catchAtCreation(p, pipes), &st);
      status[p] = st;
    } else {
      spin(std::uniform_int_distribution<long>(0, windowNs)(rng));
      kill(p, SIGKILL);
    }
    // G, if it exists, must end: EOF on its stdout (only G holds the write
    // end once P is dead). What it printed tells whether it exec'd.
    said = readAll(pipes.out.r.get());
    // P's last words, if it got so far: ForkExec's result.
    reported = readAll(pipes.ctl.r.get());
  } catch (const std::exception& e) {
    killStrays();
    death::reapAll(pipes);
    return {Kind::Wrong, std::string("harness: ") + e.what()};
  }
  // Reap P, G (ours by now: we are a subreaper), and the bystander once
  // released. Releasing it earlier would end the namespace, and G with it.
  pipes.in.w.reset();
  pipes.hold.w.reset();
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
  if (!death::diedOfPdeathsig(o, st))
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
  death::becomeSubreaper();
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
