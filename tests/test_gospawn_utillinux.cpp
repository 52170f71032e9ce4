// SPDX-License-Identifier: BSD-3-Clause
// gospawn held against util-linux (unshare(1), setpriv(1)) on the same
// inputs: for each scenario both run the same PROGRAM (gospawn_child), and
// the case compares what the kernel shows (/proc/self/status, the id maps,
// the namespace links, the processes of /proc inside, exit statuses). Where
// gospawn differs on purpose, the case says so in its verdict. The last
// case prints the table, util-linux's and gospawn's results side by side.
#include <sys/prctl.h>

#include "gospawn_run.hpp"

using namespace th;
namespace utf = boost::unit_test;

namespace {

const std::string kUnshare = "/usr/bin/unshare";
const std::string kSetpriv = "/usr/bin/setpriv";

std::string noUtilLinux() {
  for (const std::string& tool : {kUnshare, kSetpriv})
    if (access(tool.c_str(), X_OK) != 0) return "util-linux's " + tool + " is not installed";
  return "";
}

std::string notRoot() {
  return geteuid() == 0 ? "" : "not root: the uid change needs CAP_SETUID and CAP_SETGID";
}

// ---- the table ------------------------------------------------------------

struct Row {
  std::string scenario, util, gospawn, verdict;
};

std::vector<Row>& table() {
  static std::vector<Row> rows;
  return rows;
}

void addRow(const Row& r) {
  std::cout << "scenario: " << r.scenario << "\n  util-linux: " << r.util
            << "\n  gospawn:    " << r.gospawn << "\n  verdict:    " << r.verdict << std::endl;
  table().push_back(r);
}

// shortened: text with the paths of gospawn and PROGRAM cut to their names.
std::string shortened(std::string text) {
  for (const auto& [path, name] :
       {std::pair{kGospawn, "gospawn"}, std::pair{kChild, "gospawn_child"}})
    for (auto at = text.find(path); at != std::string::npos; at = text.find(path, at))
      text.replace(at, path.size(), name);
  return text;
}

// shown: a command line as the table prints it.
std::string shown(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv)
    s += (s.empty() ? "" : " ") + (a.find(' ') != std::string::npos ? "'" + a + "'" : a);
  return "`" + shortened(s) + "`";
}

// ---- running --------------------------------------------------------------

struct Result {
  std::vector<std::string> argv;
  Ended ended;
  Facts facts;
};

// run runs argv (argv[0] is util-linux's tool or "gospawn") to its end.
Result run(const std::vector<std::string>& argv) {
  const std::string path = argv[0] == "gospawn" ? kGospawn : "/usr/bin/" + argv[0];
  Spawned s(path, argv);
  Result r{argv, s.finish(), {}};
  r.facts = parseFacts(r.ended.out);
  return r;
}

// newNamespaces: which namespaces of PROGRAM are not the test's.
std::string newNamespaces(const Facts& f) {
  std::string s;
  for (const char* ns : {"user", "pid", "mnt", "net", "uts", "ipc", "cgroup"})
    if (f.get(std::string("ns ") + ns) != nsLink(getpid(), ns))
      s += (s.empty() ? "" : "+") + std::string(ns);
  return s.empty() ? "none" : s;
}

// facts: what a report run showed, for the table.
std::string facts(const Result& r, bool ps) {
  const Facts& f = r.facts;
  std::string s = r.ended.how() + "; Uid " + f.get("Uid") + "; Gid " + f.get("Gid") +
                  "; new ns: " + newNamespaces(f);
  if (f.get("uid_map") != "0 0 4294967295") s += "; uid_map " + f.get("uid_map");
  if (f.get("pdeathsig") != "0") s += "; pdeathsig " + f.get("pdeathsig");
  if (ps) {
    s += "; ps:";
    for (const auto& p : f.ps) s += " [" + p + "]";
  }
  return s;
}

// failed: how a run that should not start PROGRAM ended, and what it said.
std::string failed(const Result& r) {
  return r.ended.how() + ", \"" + shortened(r.ended.err.substr(0, r.ended.err.find('\n'))) + "\"";
}

// expectSameIds: the ids, capabilities, maps and namespaces agree.
void expectSameIds(const Result& u, const Result& g) {
  for (const char* key :
       {"Uid", "Gid", "Groups", "CapEff", "uid_map", "gid_map", "setgroups", "pdeathsig"})
    BOOST_TEST(u.facts.get(key) == g.facts.get(key), key);
  BOOST_TEST(newNamespaces(u.facts) == newNamespaces(g.facts));
}

// dropCaps: a prefix that runs a command as root without capabilities
// (empty bounding and inheritable sets, so execve grants none), where a
// privileged step fails as it would for a user; none when not root.
std::vector<std::string> dropCaps(std::vector<std::string> argv) {
  if (geteuid() != 0) return argv;
  std::vector<std::string> v = {"setpriv", "--bounding-set=-all", "--inh-caps=-all", "--"};
  if (argv[0] == "gospawn") argv[0] = kGospawn;
  v.insert(v.end(), argv.begin(), argv.end());
  return v;
}

// ---- a signal to the supervisor --------------------------------------------

bool bitOf(int pid, const char* key, int sig) {
  return ((std::stoull(procStatus(pid, key), nullptr, 16) >> (sig - 1)) & 1) != 0;
}

// signalSupervisor runs argv (a supervisor of `gospawn_child signals`),
// sends sig to the supervisor once PROGRAM is ready, and describes what
// followed. Every outcome is awaited on an event: the supervisor's
// disposition, read from /proc before the signal, says which one comes. A
// handler is looked for first: gospawn may still block its signals for a
// moment as PROGRAM starts (ForwardTo), where unshare blocks for good.
std::string signalSupervisor(const std::vector<std::string>& argv, int sig, Ended* ended) {
  const std::string path = argv[0] == "gospawn" ? kGospawn : "/usr/bin/" + argv[0];
  Spawned s(path, argv);
  const std::string ready = s.line();
  BOOST_TEST_REQUIRE(ready.rfind("ready ", 0) == 0);
  const int program = std::stoi(ready.substr(6));
  const bool blocked = bitOf(s.pid(), "SigBlk", sig), ignored = bitOf(s.pid(), "SigIgn", sig),
             caught = bitOf(s.pid(), "SigCgt", sig);
  BOOST_TEST_REQUIRE(kill(s.pid(), sig) == 0);
  std::string what;
  if (caught) {
    const std::string got = s.line();
    BOOST_TEST(got == "got " + std::to_string(sig));
    what = "passed on: PROGRAM " + got;
  } else if (blocked) {
    what = "the supervisor blocks it: held, not passed on";  // pending from the kill on
  } else if (ignored) {
    what = "the supervisor ignores it";
  } else {
    BOOST_TEST_REQUIRE(exitedWithin(s.pid(), kTimeoutMs), "the supervisor did not die of it");
    const bool orphan = kill(program, 0) == 0;
    what = std::string("the supervisor dies of it") +
           (orphan ? "; PROGRAM is left running, an orphan" : "");
  }
  *ended = s.finish();
  waitpid(program, nullptr,
          WNOHANG);  // an orphan that came to us (a subreaper) ended with its stdin
  return what + "; " + ended->how();
}

// Subreaper: orphans of the cases come to the test, which reaps them.
struct Subreaper {
  Subreaper() { prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }  // where it fails, init reaps them
  ~Subreaper() { prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0); }
};

// BothSignaled: sig sent to `unshare --fork` and to gospawn, each over
// `gospawn_child signals`.
struct BothSignaled {
  std::string util, gospawn;  // what followed
  Ended utilEnded, gospawnEnded;
  std::string utilShown, gospawnShown;  // command: what followed, for the table
};

BothSignaled signalBoth(int sig) {
  Subreaper subreaper;
  const std::vector<std::string> ua = {"unshare", "--fork", kChild, "signals"};
  const std::vector<std::string> ga = {"gospawn", "--", kChild, "signals"};
  BothSignaled b;
  b.util = signalSupervisor(ua, sig, &b.utilEnded);
  b.gospawn = signalSupervisor(ga, sig, &b.gospawnEnded);
  b.utilShown = shown(ua) + ": " + b.util;
  b.gospawnShown = shown(ga) + ": " + b.gospawn;
  return b;
}

const auto kUserPid = CanClone{CLONE_NEWUSER | CLONE_NEWPID, "CLONE_NEWUSER|CLONE_NEWPID"};
const auto kUserPidMnt = CanUnshare{CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS,
                                    "CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNS"};
const auto kUser = CanClone{CLONE_NEWUSER, "CLONE_NEWUSER"};

}  // namespace

BOOST_AUTO_TEST_SUITE(gospawn_vs_util_linux, *skip::when(noUtilLinux))

BOOST_AUTO_TEST_CASE(user_pid_mount_namespaces_with_proc_mounted,
                     *utf::precondition(kUserPid) * utf::precondition(kUserPidMnt)) {
  const Result u = run({"unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
                        kChild, "report"});
  const Result g = run({"gospawn", "--unshare-user", "--map-root", "--unshare-pid", "--mount-proc",
                        "--", kChild, "report"});
  BOOST_TEST(u.ended.code() == 0);
  BOOST_TEST(g.ended.code() == 0);
  expectSameIds(u, g);
  BOOST_TEST(newNamespaces(g.facts) == "user+pid+mnt");
  BOOST_TEST(u.facts.ps == (std::vector<std::string>{"1 gospawn_child"}));
  BOOST_TEST(g.facts.ps == (std::vector<std::string>{"1 gospawn", "2 gospawn_child"}));
  addRow({"user+pid+mount namespaces, /proc mounted", shown(u.argv) + ": " + facts(u, true),
          shown(g.argv) + ": " + facts(g, true),
          "same ids, maps and namespaces; differs on purpose: gospawn's init is pid 1 and PROGRAM "
          "pid 2 (under unshare PROGRAM is pid 1, which drops the signals it has no handler for, "
          "and inherits every orphan)"});
}

BOOST_AUTO_TEST_CASE(map_root_implies_a_user_namespace, *utf::precondition(kUser)) {
  const Result u = run({"unshare", "--map-root-user", kChild, "report"});
  const Result g = run({"gospawn", "--map-root", "--", kChild, "report"});
  BOOST_TEST(u.ended.code() == 0);
  BOOST_TEST(g.ended.code() == 0);
  expectSameIds(u, g);
  BOOST_TEST(newNamespaces(g.facts) == "user");
  BOOST_TEST(g.facts.get("Uid") == "0 0 0 0");
  addRow({"--map-root (implies a user namespace)", shown(u.argv) + ": " + facts(u, false),
          shown(g.argv) + ": " + facts(g, false), "same"});
}

BOOST_AUTO_TEST_CASE(uid_change_with_a_death_signal, *skip::when(notRoot)) {
  const Result u = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        "--pdeathsig=TERM", kChild, "report"});
  const Result g = run({"gospawn", "--uid", "65534", "--gid", "65534", "--pdeathsig", "TERM", "--",
                        kChild, "report"});
  BOOST_TEST(u.ended.code() == 0);
  BOOST_TEST(g.ended.code() == 0);
  expectSameIds(u, g);
  BOOST_TEST(g.facts.get("Uid") == "65534 65534 65534 65534");
  BOOST_TEST(g.facts.get("Groups") == "");
  BOOST_TEST(g.facts.get("pdeathsig") == std::to_string(SIGTERM));
  addRow({"uid change with a death signal", shown(u.argv) + ": " + facts(u, false),
          shown(g.argv) + ": " + facts(g, false),
          "same ids and death signal (setpriv execs in place, so the signal follows setpriv's "
          "caller; under gospawn it follows gospawn)"});
}

BOOST_AUTO_TEST_CASE(missing_program) {
  const Result u = run({"unshare", "/nonexistent/prog"});
  const Result g = run({"gospawn", "/nonexistent/prog"});
  BOOST_TEST(u.ended.code() == 127);
  BOOST_TEST(g.ended.code() == 127);
  addRow({"missing program", shown(u.argv) + ": " + failed(u), shown(g.argv) + ": " + failed(g),
          "same status"});
}

BOOST_AUTO_TEST_CASE(non_executable_file) {
  TempDir dir;
  const std::string file = dir.path + "/plain";
  std::ofstream(file) << "#!/bin/sh\n";
  BOOST_REQUIRE(chmod(file.c_str(), 0644) == 0);
  const Result u = run({"unshare", file});
  const Result g = run({"gospawn", file});
  BOOST_TEST(u.ended.code() == 126);
  BOOST_TEST(g.ended.code() == 126);
  addRow({"non-executable file", shown(u.argv) + ": " + failed(u), shown(g.argv) + ": " + failed(g),
          "same status"});
}

BOOST_AUTO_TEST_CASE(failing_privileged_step_uid_change) {
  const Result u = run(
      dropCaps({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", kChild, "report"}));
  const Result g =
      run(dropCaps({"gospawn", "--uid", "65534", "--gid", "65534", "--", kChild, "report"}));
  BOOST_TEST(u.ended.code() == 127);  // setpriv's SETPRIV_EXIT_PRIVERR
  BOOST_TEST(g.ended.code() == 125);
  BOOST_TEST(u.ended.out == "");  // PROGRAM never ran
  BOOST_TEST(g.ended.out == "");
  BOOST_TEST(g.ended.err.find("operation not permitted") != std::string::npos);
  addRow({"failing privileged step: uid change without CAP_SETUID",
          shown(u.argv) + ": " + failed(u), shown(g.argv) + ": " + failed(g),
          "differs on purpose: gospawn exits 125 for a step of its own (setpriv exits 127, as for "
          "a missing program)"});
}

BOOST_AUTO_TEST_CASE(failing_privileged_step_pid_namespace) {
  const Result u = run(dropCaps({"unshare", "--pid", "--fork", kChild, "report"}));
  const Result g = run(dropCaps({"gospawn", "--unshare-pid", "--", kChild, "report"}));
  BOOST_TEST(u.ended.code() == 1);
  BOOST_TEST(g.ended.code() == 125);
  BOOST_TEST(u.ended.out == "");
  BOOST_TEST(g.ended.out == "");
  addRow({"failing privileged step: pid namespace without CAP_SYS_ADMIN",
          shown(u.argv) + ": " + failed(u), shown(g.argv) + ": " + failed(g),
          "differs on purpose: gospawn exits 125 for a step of its own (unshare exits 1)"});
}

BOOST_AUTO_TEST_CASE(term_to_the_supervisor) {
  const BothSignaled b = signalBoth(SIGTERM);
  BOOST_TEST(b.utilEnded.out == "eof\n");     // PROGRAM got nothing
  BOOST_TEST(b.gospawnEnded.out == "eof\n");  // (its "got 15" was read already)
  BOOST_TEST(b.util.rfind("the supervisor blocks it", 0) == 0);
  BOOST_TEST(b.gospawn.rfind("passed on: PROGRAM got 15", 0) == 0);
  addRow({"SIGTERM to the supervisor", b.utilShown, b.gospawnShown,
          "differs on purpose: gospawn passes it on (unshare --fork blocks SIGTERM and SIGINT "
          "while it waits)"});
}

BOOST_AUTO_TEST_CASE(usr1_to_the_supervisor) {
  const BothSignaled b = signalBoth(SIGUSR1);
  BOOST_TEST(b.utilEnded.how() == "signal " + std::to_string(SIGUSR1));
  BOOST_TEST(b.util.find("PROGRAM is left running") != std::string::npos);
  BOOST_TEST(b.gospawn.rfind("passed on: PROGRAM got " + std::to_string(SIGUSR1), 0) == 0);
  BOOST_TEST(b.gospawnEnded.code() == 0);
  addRow({"SIGUSR1 to the supervisor", b.utilShown, b.gospawnShown,
          "differs on purpose: gospawn passes every catchable signal on and lives"});
}

BOOST_AUTO_TEST_CASE(program_killed_by_a_signal) {
  const Result u = run({"unshare", "--fork", "/bin/sh", "-c", "kill -TERM $$"});
  const Result g = run({"gospawn", "--", "/bin/sh", "-c", "kill -TERM $$"});
  BOOST_TEST(u.ended.how() == "signal " + std::to_string(SIGTERM));
  BOOST_TEST(g.ended.how() == "exit " + std::to_string(128 + SIGTERM));
  addRow({"PROGRAM killed by a signal", shown(u.argv) + ": " + u.ended.how(),
          shown(g.argv) + ": " + g.ended.how(),
          "differs on purpose: gospawn exits 128+N, as a shell reports it (unshare --fork kills "
          "itself with N, which an init could not)"});
}

// The table, for the report: run last.
BOOST_AUTO_TEST_CASE(scenario_table) {
  std::cout << "\ngospawn against util-linux, same PROGRAM (gospawn_child), same inputs:\n\n"
            << "| scenario | util-linux | gospawn | verdict |\n|---|---|---|---|\n";
  for (const Row& r : table())
    std::cout << "| " << r.scenario << " | " << r.util << " | " << r.gospawn << " | " << r.verdict
              << " |\n";
  std::cout << std::endl;
  BOOST_TEST(!table().empty());
}

BOOST_AUTO_TEST_SUITE_END()
