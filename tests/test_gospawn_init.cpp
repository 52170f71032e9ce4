// SPDX-License-Identifier: BSD-3-Clause
// gospawn's init duties (tools/gospawn_reap.hpp, tools/gospawn_init.hpp):
// as pid 1 of a pid namespace it reaps every orphan and exits with
// PROGRAM's status; with -p its own init is pid 1, passes signals on to
// PROGRAM (pid 2, with no handler of its own), reaps PROGRAM's orphans and
// passes PROGRAM's status out. Each case proves it from what the kernel
// shows: the orphans' pidfds, /proc, exit statuses.
#include "gospawn_run.hpp"
#include "stop_at_clone.hpp"

using namespace th;
namespace utf = boost::unit_test;

namespace {

constexpr int kOrphans = 500;

const auto kNewPid = CanClone{CLONE_NEWPID, "CLONE_NEWPID"};

// expectOrphansReaped reads gospawn_child's "orphans" report: every orphan
// was reaped while it still ran, by the process it names as its parent,
// which has no zombie left. Returns that parent's pid.
int expectOrphansReaped(Spawned& s, const char* who) {
  const std::string reaped = s.line();
  BOOST_TEST_REQUIRE(reaped == "reaped " + std::to_string(kOrphans), "gospawn_child: " << reaped);
  const std::string parent = s.line();
  BOOST_TEST_REQUIRE(parent.rfind("parent ", 0) == 0);
  const int reaper = std::stoi(parent.substr(7));
  const int zombies = zombiesOf(reaper);
  BOOST_TEST(zombies == 0);
  std::cout << "zombies left: " << zombies << " after " << kOrphans << " orphans of PROGRAM, "
            << who << std::endl;
  return reaper;
}

// lastNsPid: the last field of NSpid, pid's pid in its own namespace.
long lastNsPid(int pid) { return numbers(procStatus(pid, "NSpid")).back(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(gospawn_init)

// A container's entrypoint: the test makes gospawn pid 1 of a new pid
// namespace; PROGRAM's orphans are reparented to it.
BOOST_AUTO_TEST_CASE(as_pid_1_it_reaps_every_orphan, *utf::precondition(kNewPid)) {
  gs::SysProcAttr sys;
  sys.Cloneflags = gs::CLONE_NEWPID_;
  Spawned s(kGospawn, gospawnWith({}, {"orphans", std::to_string(kOrphans), "7"}), sys);
  BOOST_TEST(lastNsPid(s.pid()) == 1);
  const int reaper = expectOrphansReaped(s, "gospawn as pid 1 of a pid namespace");
  BOOST_TEST(reaper == s.pid());
  const Ended e = s.finish();
  BOOST_TEST(e.code() == 7);  // PROGRAM's status
  BOOST_TEST(e.err == "");
}

// -p: gospawn stays outside; its init is pid 1 inside and reaps.
BOOST_AUTO_TEST_CASE(unshare_pid_init_reaps_programs_orphans, *utf::precondition(kNewPid)) {
  Spawned s(kGospawn, gospawnWith({"-p"}, {"orphans", std::to_string(kOrphans), "9"}));
  const int init = expectOrphansReaped(s, "gospawn -p (its init is pid 1)");
  BOOST_TEST(init != s.pid());
  BOOST_TEST(lastNsPid(init) == 1);
  BOOST_TEST(std::stoi(procStatus(init, "PPid")) == s.pid());
  BOOST_TEST(zombiesOf(s.pid()) == 0);
  const Ended e = s.finish();
  BOOST_TEST(e.code() == 9);
  BOOST_TEST(e.err == "");
}

// The pid namespace as PROGRAM sees it with --mount-proc: the init is pid
// 1, PROGRAM pid 2, nothing else.
BOOST_AUTO_TEST_CASE(program_is_pid_2_under_the_init,
                     *utf::precondition(kNewPid) *
                         utf::precondition(CanUnshare{CLONE_NEWNS, "CLONE_NEWNS"})) {
  Spawned s(kGospawn, gospawnWith({"-p", "--mount-proc"}, {"report", "3"}));
  const Ended e = s.finish();
  BOOST_TEST_REQUIRE(e.code() == 3, e.how() << ": " << e.err);
  const Facts f = parseFacts(e.out);
  BOOST_TEST(f.get("pid") == "2");
  BOOST_TEST(f.get("ppid") == "1");
  BOOST_TEST(f.ps == (std::vector<std::string>{"1 gospawn", "2 gospawn_child"}));
  BOOST_TEST(f.get("ns pid") != nsLink(getpid(), "pid"));
  BOOST_TEST(f.get("ns mnt") != nsLink(getpid(), "mnt"));
}

// PROGRAM has no handler: were it pid 1, the kernel would drop each of
// these signals from outside. Under the init it dies of each: 128+N.
BOOST_AUTO_TEST_CASE(a_forwarded_signal_reaches_a_program_without_handler,
                     *utf::precondition(kNewPid)) {
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGALRM}) {
    BOOST_TEST_CONTEXT("signal " << sig) {
      Spawned s(kGospawn, {"gospawn", "-p", "--", "/bin/sh", "-c", "echo ready; exec sleep 600"});
      BOOST_TEST_REQUIRE(s.line() == "ready");
      BOOST_TEST_REQUIRE(kill(s.pid(), sig) == 0);
      BOOST_TEST(s.finish().code() == 128 + sig);
    }
  }
}

// A signal that reaches gospawn before its init exists (ptrace holds
// gospawn at the clone) must reach PROGRAM, across the init's start, when
// it has no handler yet: gospawn creates the init with it blocked, so the
// kernel queues it instead of dropping it.
BOOST_AUTO_TEST_CASE(a_signal_before_the_init_exists_reaches_program,
                     *skip::when(skip::noPtrace) * utf::precondition(kNewPid)) {
  Pipe out;
  const pid_t pid =
      stopclone::stopAtClone({kGospawn, "-p", "--", "/bin/sleep", "600"}, out.w.get());
  out.w.reset();
  BOOST_REQUIRE(kill(pid, SIGTERM) == 0);
  BOOST_REQUIRE(ptrace(PTRACE_DETACH, pid, nullptr, 0) == 0);
  const int st = waitStatus(pid);
  BOOST_TEST(describe(st) == "exited " + std::to_string(128 + SIGTERM));
}

// PROGRAM's exit status, its death by a signal, and gospawn's own failures
// come out of the init unchanged.
BOOST_AUTO_TEST_CASE(statuses_pass_through_the_init, *utf::precondition(kNewPid)) {
  struct Case {
    std::vector<std::string> argv;
    int code;
    std::string err;
  };
  const Case cases[] = {
      {{"/bin/sh", "-c", "exit 7"}, 7, ""},
      {{"/bin/sh", "-c", "kill -USR1 $$"}, 128 + SIGUSR1, ""},
      {{"/nonexistent/prog"}, 127, "gospawn: /nonexistent/prog: no such file or directory\n"},
      {{"/etc/passwd"}, 126, "gospawn: /etc/passwd: permission denied\n"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {"gospawn", "-p", "--"};
    argv.insert(argv.end(), c.argv.begin(), c.argv.end());
    Spawned s(kGospawn, argv);
    const Ended e = s.finish();
    BOOST_TEST(e.code() == c.code, c.argv[0]);
    BOOST_TEST(e.err == c.err);
  }
}

// --pdeathsig with -p: gospawn SIGKILLed, the init gets KILL, and the kernel
// ends the namespace with it. PROGRAM's stdout (held by the init and
// PROGRAM) reaching its end shows both are gone.
BOOST_AUTO_TEST_CASE(pdeathsig_ends_the_namespace_with_gospawn, *utf::precondition(kNewPid)) {
  Spawned s(kGospawn, {"gospawn", "-p", "--pdeathsig", "KILL", "--", "/bin/sh", "-c",
                       "echo ready; exec sleep 600"});
  BOOST_TEST_REQUIRE(s.line() == "ready");
  BOOST_REQUIRE(kill(s.pid(), SIGKILL) == 0);
  BOOST_TEST(s.line() == "");  // the end: no process holds the pipe any more
  const Ended e = s.finish();
  BOOST_TEST(e.how() == "signal 9");
}

BOOST_AUTO_TEST_SUITE_END()
