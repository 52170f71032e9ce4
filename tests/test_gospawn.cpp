// SPDX-License-Identifier: BSD-3-Clause
// End-to-end tests of the gospawn binary (GOSPAWN_PATH) and the demo
// (DEMO_PATH, if defined). Each runs the real binary and asserts on
// what it and the kernel did: exit statuses, stdout/stderr, /proc, wait4.
//
// No sleeps as synchronization: the tests wait on pipes, pidfds (waitid
// where there are none: exited_within.hpp) and wait4; timeouts are safety
// nets only. Every gospawn is started as the leader of a
// new process group, so a test that fails can kill all it started.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "drain.hpp"
#include "exited_within.hpp"
#include "skip.hpp"
#include "stop_at_clone.hpp"
#include "temp_dir.hpp"

#ifndef GOSPAWN_PATH
#error "define GOSPAWN_PATH as the path of the gospawn binary"
#endif

extern char** environ;

namespace {

constexpr int kTimeoutMs = 20000;  // safety net for every wait

const std::string kGospawn = GOSPAWN_PATH;

// ---- waiting ----------------------------------------------------------------

// pollIn waits up to timeoutMs for fd to become readable.
bool pollIn(int fd, int timeoutMs) {
  pollfd p = {fd, POLLIN, 0};
  for (;;) {
    const int n = poll(&p, 1, timeoutMs);
    if (n < 0 && errno == EINTR) continue;
    return n == 1;
  }
}

// waitFor waits up to timeoutMs for pid (a child) to end and reaps it.
// On timeout it kills pid and its process group, reaps it and returns false.
bool waitFor(pid_t pid, int timeoutMs, int* status) {
  const bool ended = th::exitedWithin(pid, timeoutMs);
  if (!ended) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
  }
  while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
  }
  return ended;
}

// ---- running gospawn -----------------------------------------------------------

struct Options {
  std::optional<std::vector<std::string>> env;  // default: the test's environment
  std::string cwd;                              // default: the test's
  bool closeStdin = false;                      // default: /dev/null
  bool leakFd5 = false;                         // gospawn inherits fd 5 without close-on-exec
};

// Child is a started gospawn with its stdout and stderr on pipes.
struct Child {
  pid_t pid = -1;
  int out = -1;
  int err = -1;
};

struct Result {
  int status = -1;  // as waitpid stores it
  std::string out, err;
  int exitCode() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

std::vector<char*> cArgs(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// start runs GOSPAWN_PATH with args, as the leader of a new process group,
// with every signal at its default disposition, an empty signal mask, and
// fds 0-2 only.
Child start(const std::vector<std::string>& args, const Options& o = {}) {
  int out[2], err[2];
  BOOST_REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  BOOST_REQUIRE(pipe2(err, O_CLOEXEC) == 0);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (o.closeStdin)
    posix_spawn_file_actions_addclose(&fa, 0);
  else
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  if (o.leakFd5) posix_spawn_file_actions_addopen(&fa, 5, "/dev/null", O_RDONLY, 0);
  if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, o.cwd.c_str());

  posix_spawnattr_t sa;
  posix_spawnattr_init(&sa);
  sigset_t none, deflt;
  sigemptyset(&none);
  sigfillset(&deflt);
  posix_spawnattr_setsigmask(&sa, &none);
  posix_spawnattr_setsigdefault(&sa, &deflt);
  posix_spawnattr_setpgroup(&sa, 0);
  posix_spawnattr_setflags(&sa,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<std::string> argv = {kGospawn};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envStore;
  if (o.env) envStore = *o.env;
  auto argvp = cArgs(argv);
  auto envp = cArgs(envStore);

  Child c;
  const int rc =
      posix_spawn(&c.pid, kGospawn.c_str(), &fa, &sa, argvp.data(), o.env ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&sa);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(out[0]);
    close(err[0]);
    BOOST_FAIL("posix_spawn " << kGospawn << ": " << std::strerror(rc));
  }
  c.out = out[0];
  c.err = err[0];
  return c;
}

// readLine reads one line (without the newline) from fd; false on EOF or timeout.
bool readLine(int fd, std::string* line) {
  line->clear();
  for (;;) {
    if (!pollIn(fd, kTimeoutMs)) return false;
    char c;
    const ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (c == '\n') return true;
    *line += c;
  }
}

// finish reads c's stdout and stderr to EOF, then reaps it.
Result finish(Child& c) {
  Result r;
  const bool timedOut = !drainpipes::drain(c.out, &r.out, c.err, &r.err, kTimeoutMs);
  close(c.out);
  close(c.err);
  if (timedOut) kill(-c.pid, SIGKILL);
  const bool ended = waitFor(c.pid, kTimeoutMs, &r.status);
  BOOST_CHECK_MESSAGE(!timedOut && ended, "gospawn did not finish in time (killed); stdout: "
                                              << r.out << " stderr: " << r.err);
  return r;
}

Options withEnv(std::vector<std::string> env, std::string cwd = "") {
  Options o;
  o.env = std::move(env);
  o.cwd = std::move(cwd);
  return o;
}

Result run(const std::vector<std::string>& args, const Options& o = {}) {
  Child c = start(args, o);
  return finish(c);
}

// ---- files --------------------------------------------------------------------

// Stat is the start of /proc/<pid>/stat.
struct Stat {
  int pid = 0, ppid = 0, pgrp = 0, session = 0;
};

Stat parseStat(const std::string& text) {
  Stat s;
  const auto paren = text.rfind(')');
  BOOST_REQUIRE(paren != std::string::npos);
  std::istringstream in(text.substr(paren + 2));
  char state;
  in >> state >> s.ppid >> s.pgrp >> s.session;
  s.pid = std::atoi(text.c_str());
  return s;
}

std::string sysPath() { return "/usr/local/bin:/usr/bin:/bin"; }

// Subreaper makes the test process a child subreaper for its lifetime, so
// that the orphans of a killed gospawn are reparented to it and can be
// reaped with wait4.
class Subreaper {
 public:
  Subreaper() { BOOST_REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0); }
  ~Subreaper() { prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0); }
};

int ppidOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, 5, "PPid:") == 0) return std::atoi(line.c_str() + 5);
  return -1;
}

}  // namespace

// Every case starts gospawn with posix_spawn.
BOOST_AUTO_TEST_SUITE(gospawn, *skip::when(skip::noPosixSpawn))

// ---- exit statuses -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(exit_status_is_passed_through) {
  BOOST_TEST(run({"sh", "-c", "exit 7"}).exitCode() == 7);
  BOOST_TEST(run({"true"}).exitCode() == 0);
  BOOST_TEST(run({"sh", "-c", "exit 255"}).exitCode() == 255);
}

BOOST_AUTO_TEST_CASE(death_by_signal_is_128_plus_n) {
  BOOST_TEST(run({"sh", "-c", "kill -USR1 $$"}).exitCode() == 128 + SIGUSR1);
  BOOST_TEST(run({"sh", "-c", "kill -KILL $$"}).exitCode() == 128 + SIGKILL);
}

BOOST_AUTO_TEST_CASE(not_found_is_127) {
  Result r = run({"nosuch-xyz"});
  BOOST_TEST(r.exitCode() == 127);
  BOOST_TEST(r.err == "gospawn: nosuch-xyz: no such file or directory\n");
  BOOST_TEST(r.out == "");

  r = run({"/nonexistent-dir/prog", "arg"});
  BOOST_TEST(r.exitCode() == 127);
  BOOST_TEST(r.err == "gospawn: /nonexistent-dir/prog: no such file or directory\n");
}

BOOST_AUTO_TEST_CASE(not_executable_is_126) {
  TempDir dir;
  const std::string plain = dir.file("plain", "#!/bin/sh\necho ran\n", 0644);
  Result r = run({plain});
  BOOST_TEST(r.exitCode() == 126);
  BOOST_TEST(r.err == "gospawn: " + plain + ": permission denied\n");
  BOOST_TEST(r.out == "");

  r = run({dir.path()});
  BOOST_TEST(r.exitCode() == 126);
  BOOST_TEST(r.err == "gospawn: " + dir.path() + ": permission denied\n");
}

BOOST_AUTO_TEST_CASE(own_errors_are_125) {
  struct Case {
    std::vector<std::string> args;
    std::string message;  // expected in the first line of stderr
  };
  const Case cases[] = {
      {{"--nosuch", "true"}, "gospawn: unrecognized option '--nosuch'"},
      {{"-x", "true"}, "gospawn: invalid option -- 'x'"},
      {{"--set", "true"}, "gospawn: ambiguous option '--set'"},
      {{"--setsid=1", "true"}, "gospawn: option '--setsid' doesn't allow an argument"},
      {{"--pdeathsig"}, "gospawn: option '--pdeathsig' requires an argument"},
      {{"--pdeathsig", "NOPE", "true"}, "gospawn: invalid signal 'NOPE'"},
      {{"--pdeathsig", "0", "true"}, "gospawn: invalid signal '0'"},
      // One past the last signal: 65, or 128 on mips.
      {{"--pdeathsig", std::to_string(NSIG), "true"},
       "gospawn: invalid signal '" + std::to_string(NSIG) + "'"},
      {{"-S", "nosuch-user-xyz", "true"}, "gospawn: invalid user 'nosuch-user-xyz'"},
      {{"--uid", "4294967295", "true"}, "gospawn: invalid user '4294967295'"},
      {{"-G", "nosuch-group-xyz", "true"}, "gospawn: invalid group 'nosuch-group-xyz'"},
      {{"--gid", "nosuch-group-xyz", "true"}, "gospawn: invalid group 'nosuch-group-xyz'"},
      {{"--groups", "1,nosuch-group-xyz", "true"}, "gospawn: invalid group 'nosuch-group-xyz'"},
      {{"-e", "NOEQUALS", "true"}, "gospawn: invalid --env 'NOEQUALS': expected NAME=VALUE"},
      {{"-s"}, "gospawn: missing PROGRAM"},
      {{"--mount-proc=", "true"}, "gospawn: invalid --mount-proc ''"},
      // unshare(1)'s -f: gospawn always forks, and says so.
      {{"-f", "true"}, "gospawn: invalid option -- 'f' (gospawn always forks, as unshare -f)"},
  };
  for (const auto& c : cases) {
    const Result r = run(c.args);
    BOOST_TEST_CONTEXT("gospawn " << c.args[0]) {
      BOOST_TEST(r.exitCode() == 125);
      BOOST_TEST(r.err == c.message + "\nTry 'gospawn --help' for more information.\n");
      BOOST_TEST(r.out == "");
    }
  }

  // A bad --dir or --chroot is gospawn's error too, not a missing PROGRAM.
  Result r = run({"-w", "/nonexistent-dir", "pwd"});
  BOOST_TEST(r.exitCode() == 125);
  BOOST_TEST(r.err ==
             "gospawn: cannot change directory to '/nonexistent-dir': no such file or directory\n");
  r = run({"-R", "/etc/passwd", "true"});
  BOOST_TEST(r.exitCode() == 125);
  BOOST_TEST(r.err == "gospawn: cannot change root directory to '/etc/passwd': not a directory\n");
}

BOOST_AUTO_TEST_CASE(pdeathsig_accepts_name_sig_name_and_number) {
  for (const char* sig : {"KILL", "SIGKILL", "9", "kill", "TERM", "SIGUSR1"}) {
    const Result r = run({"--pdeathsig", sig, "true"});
    BOOST_TEST_CONTEXT("--pdeathsig " << sig) {
#if defined(GOSYSCALL_EXEC_BSD)
      BOOST_TEST(r.exitCode() == 125);
      BOOST_TEST(r.err ==
                 "gospawn: --pdeathsig is Linux-only; this gospawn uses the BSD child side\n");
#else
      BOOST_TEST(r.exitCode() == 0);
      BOOST_TEST(r.err == "");
#endif
    }
  }
}

// ---- PATH, environment, directory ------------------------------------------------

BOOST_AUTO_TEST_CASE(path_lookup) {
  TempDir dir;
  dir.file("bin1/tool", "#!/bin/sh\necho one\n", 0644);  // not executable: skipped
  dir.file("bin2/tool", "#!/bin/sh\necho two\n", 0755);
  std::filesystem::create_directories(dir.path() + "/bin0/tool");  // a directory: skipped
  const std::string bin0 = dir.path() + "/bin0", bin1 = dir.path() + "/bin1",
                    bin2 = dir.path() + "/bin2";

  Result r =
      run({"tool", "x"}, withEnv({"PATH=" + bin0 + ":" + bin1 + ":" + bin2 + ":" + sysPath()}));
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "two\n");

  // Found only where it cannot be executed: 126, as execvp's EACCES.
  r = run({"tool"}, withEnv({"PATH=" + bin0 + ":" + bin1 + ":" + sysPath()}));
  BOOST_TEST(r.exitCode() == 126);
  BOOST_TEST(r.err == "gospawn: tool: permission denied\n");

  // The search uses gospawn's PATH, not the one given to PROGRAM with -e.
  r = run({"-e", "PATH=/nonexistent", "tool"}, withEnv({"PATH=" + bin2 + ":" + sysPath()}));
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "two\n");

  // An empty PATH entry is the current directory.
  Options o = withEnv({"PATH=" + sysPath() + ":"}, bin2);
  r = run({"tool"}, o);
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "two\n");
  o.env = {{"PATH=" + sysPath()}};
  r = run({"tool"}, o);
  BOOST_TEST(r.exitCode() == 127);
}

BOOST_AUTO_TEST_CASE(environment_is_inherited_and_extended, *skip::when(skip::envRebuilt)) {
  const Options o = withEnv({"PATH=" + sysPath(), "GS_KEEP=1", "GS_REPLACE=old"});
  Result r = run({"-e", "GS_REPLACE=new", "-e", "GS_NEW=x=y", "env"}, o);
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "PATH=" + sysPath() + "\nGS_KEEP=1\nGS_REPLACE=new\nGS_NEW=x=y\n");
}

BOOST_AUTO_TEST_CASE(ignore_environment_keeps_only_the_e_entries) {
  const Options o = withEnv({"PATH=" + sysPath(), "GS_KEEP=1"});
  Result r = run({"--ignore-environment", "-e", "A=1", "--env", "B=2", "-e", "A=3", "env"}, o);
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "A=3\nB=2\n");
  r = run({"--ignore-environment", "env"}, o);
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "");
}

BOOST_AUTO_TEST_CASE(dir_changes_the_working_directory) {
  TempDir dir;
  Result r = run({"-w", dir.path(), "pwd"});
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == dir.path() + "\n");
  r = run({"--dir", dir.path(), "pwd"});
  BOOST_TEST(r.out == dir.path() + "\n");
}

// ---- sessions, process groups, credentials ------------------------------------------

BOOST_AUTO_TEST_CASE(setsid_and_setpgid_seen_in_proc) {
  // gospawn leads its own process group here (see start), in the test's session.
  const pid_t session = getsid(0);

  Result r = run({"cat", "/proc/self/stat"});
  BOOST_TEST_REQUIRE(r.exitCode() == 0);
  Stat s = parseStat(r.out);
  BOOST_TEST(s.pgrp == s.ppid);  // gospawn's group
  BOOST_TEST(s.session == session);

  for (const char* flag : {"-g", "--setpgid"}) {
    r = run({flag, "cat", "/proc/self/stat"});
    BOOST_TEST_REQUIRE(r.exitCode() == 0);
    s = parseStat(r.out);
    BOOST_TEST(s.pgrp == s.pid);       // its own group...
    BOOST_TEST(s.session == session);  // ...in the same session
  }
  for (const char* flag : {"-s", "--setsid"}) {
    r = run({flag, "cat", "/proc/self/stat"});
    BOOST_TEST_REQUIRE(r.exitCode() == 0);
    s = parseStat(r.out);
    BOOST_TEST(s.pgrp == s.pid);
    BOOST_TEST(s.session == s.pid);
  }
}

BOOST_AUTO_TEST_CASE(credential_as_root) {
  if (geteuid() != 0) {
    BOOST_TEST_MESSAGE("not root: skipping the -u/--gid/--groups success case");
    return;
  }
  Result r = run({"-S", "65534", "--gid", "65533", "--groups", "65532,65531", "sh", "-c",
                  "id -u; id -g; id -G"});
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "65534\n65533\n65533 65531 65532\n");
  // -u alone: the group is the user's primary group (from passwd), no supplementary ones.
  r = run({"--uid", "0", "sh", "-c", "id -G"});
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "0\n");
}

// ---- fds, signal mask ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(child_gets_fds_0_1_2_only) {
  Result r = run({"sh", "-c", "ls /proc/$$/fd"});
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "0\n1\n2\n");

  // gospawn itself (the shell's parent) holds nothing else once ForkExec has
  // returned. It forwards a signal only from then on, so the shell lists
  // gospawn's fds from its SIGTERM trap.
  Child c = start(
      {"sh", "-c",
       "trap 'ls /proc/$PPID/fd; kill -KILL $!; wait; exit 0' TERM; sleep 600 & echo ready; wait"});
  std::string line;
  BOOST_TEST_REQUIRE(readLine(c.out, &line));
  BOOST_TEST_REQUIRE(kill(c.pid, SIGTERM) == 0);
  r = finish(c);
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "0\n1\n2\n");

  // A closed stdin stays closed in the child (and is no error).
  Options o;
  o.closeStdin = true;
  r = run({"sh", "-c", "ls /proc/$$/fd"}, o);
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "1\n2\n");
}

// An fd gospawn inherited without close-on-exec reaches PROGRAM through
// execve, unless --close-fds closes it in the child.
BOOST_AUTO_TEST_CASE(close_fds_closes_what_gospawn_inherited) {
  Options o;
  o.leakFd5 = true;
  Result r = run({"sh", "-c", "ls /proc/$$/fd"}, o);
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "0\n1\n2\n5\n");
  r = run({"--close-fds", "sh", "-c", "ls /proc/$$/fd"}, o);
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "0\n1\n2\n");
}

BOOST_AUTO_TEST_CASE(child_signal_mask_is_empty) {
  // Forwarding must not leave signals blocked for the child to inherit.
  Result r = run({"grep", "^SigBlk", "/proc/self/status"});
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "SigBlk:\t0000000000000000\n");

  // Ignored signals are passed on as they are (execve would do the same),
  // and gospawn ignores nothing more. (glibc's posix_spawn leaves its
  // internal signals 32 and 33 ignored in gospawn, so compare with gospawn's
  // own set, that of the shell's parent.)
  r = run({"sh", "-c", "cat /proc/$PPID/status /proc/$$/status | grep ^SigIgn"});
  BOOST_TEST(r.exitCode() == 0);
  const auto nl = r.out.find('\n');
  BOOST_TEST_REQUIRE(nl != std::string::npos);
  BOOST_TEST(r.out.substr(0, nl + 1) == r.out.substr(nl + 1));
}

BOOST_AUTO_TEST_CASE(sigmask) {
  // --sigmask: exactly these blocked (SIGHUP is bit 0, SIGUSR2 bit 11).
  Result r = run({"--sigmask", "HUP,USR2", "grep", "^SigBlk", "/proc/self/status"});
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "SigBlk:\t0000000000000801\n");
}

// qemu-user starts its guest with every signal at SIG_DFL, whatever the
// host process inherited as ignored.
std::string ignoredNotInherited() {
  if (skip::emulator().empty()) return "";
  return "the program runs under " + skip::emulator() +
         ", which does not keep inherited ignored signals";
}

BOOST_AUTO_TEST_CASE(sigdefault, *skip::when(ignoredNotInherited)) {
  Result r;
  // --sigdefault: SIGUSR1 (bit 9), ignored by the shell that execs
  // gospawn, is ignored in PROGRAM too, but for --sigdefault USR1.
  const std::string gospawn = GOSPAWN_PATH;
  for (const std::string& opt : {std::string(""), std::string("--sigdefault USR1 ")}) {
    r = run({"sh", "-c",
             "trap '' USR1; exec " + gospawn + " " + opt + "grep ^SigIgn /proc/self/status"});
    BOOST_TEST_REQUIRE(r.exitCode() == 0);
    const unsigned long long ign = std::stoull(r.out.substr(r.out.find('\t') + 1), nullptr, 16);
    BOOST_TEST(bool(ign & 0x200) == opt.empty());
  }
}

// A step before PROGRAM fails: 125, and the step named as its system call.
BOOST_AUTO_TEST_CASE(failed_step_is_named) {
  Result r = run({"--dir", "/nonexistent", "true"});
  BOOST_TEST(r.exitCode() == 125);
  BOOST_TEST(r.err ==
             "gospawn: cannot change directory to '/nonexistent': no such file or directory\n");
#if !defined(GOSYSCALL_EXEC_BSD)     // --pgid is Linux-only
  r = run({"--pgid", "1", "true"});  // a group of another session
  BOOST_TEST(r.exitCode() == 125);
  BOOST_TEST(r.err == "gospawn: setpgid: operation not permitted\n");
#endif
}

BOOST_AUTO_TEST_CASE(program_options_pass_through) {
  Result r =
      run({"sh", "-c", "printf '%s\\n' \"$@\"", "sh", "-p", "KILL", "-s", "--help", "--", "-e"});
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "-p\nKILL\n-s\n--help\n--\n-e\n");
  r = run({"-s", "--", "echo", "-x"});
  BOOST_TEST(r.exitCode() == 0);
  BOOST_TEST(r.out == "-x\n");
}

// ---- signals --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(signals_are_forwarded) {
  for (const char* name : {"TERM", "INT", "HUP", "QUIT"}) {
    BOOST_TEST_CONTEXT("SIG" << name) {
      const int sig = std::string(name) == "TERM"  ? SIGTERM
                      : std::string(name) == "INT" ? SIGINT
                      : std::string(name) == "HUP" ? SIGHUP
                                                   : SIGQUIT;
      // The shell reports the signal and exits 3; `wait` returns as soon as a
      // trapped signal arrives. The background sleep is killed with SIGKILL:
      // a SIGTERM could reach it between fork and exec, while it still runs
      // the shell's trap, and be lost.
      const std::string script = std::string("trap 'echo got; kill -KILL $!; wait; exit 3' ") +
                                 name + "; sleep 600 & echo ready; wait";
      Child c = start({"sh", "-c", script});
      std::string line;
      BOOST_TEST_REQUIRE(readLine(c.out, &line));
      BOOST_TEST(line == "ready");
      BOOST_TEST_REQUIRE(kill(c.pid, sig) == 0);
      const Result r = finish(c);
      BOOST_TEST(r.exitCode() == 3);
      BOOST_TEST(r.out == "got\n");
      BOOST_TEST(r.err == "");
    }
  }

  // A child that does not catch it dies of it: 128+15.
  Child c = start({"sh", "-c", "echo ready; exec sleep 600"});
  std::string line;
  BOOST_TEST_REQUIRE(readLine(c.out, &line));
  BOOST_TEST_REQUIRE(kill(c.pid, SIGTERM) == 0);
  BOOST_TEST(finish(c).exitCode() == 128 + SIGTERM);
}

// A signal that reaches gospawn before ForkExec has returned the child's pid
// must still be forwarded. The window is made deterministic with ptrace:
// gospawn is stopped as it enters clone (inside ForkExec, after its handlers
// are installed), SIGTERM is sent, and it is let go.
BOOST_AUTO_TEST_CASE(signal_before_the_pid_is_known_is_forwarded, *skip::when(skip::noPtrace)) {
  int out[2];
  BOOST_REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  const pid_t pid = stopclone::stopAtClone({kGospawn, "sleep", "600"}, out[1]);
  close(out[1]);
  int status;
  // gospawn is about to create its child: no pid is known yet.
  BOOST_REQUIRE(kill(pid, SIGTERM) == 0);
  BOOST_REQUIRE(ptrace(PTRACE_DETACH, pid, nullptr, 0) == 0);

  // The forwarded SIGTERM kills sleep, and gospawn reports it.
  const bool ended = waitFor(pid, kTimeoutMs, &status);
  close(out[0]);
  BOOST_TEST_REQUIRE(ended, "gospawn did not end: the early SIGTERM was lost");
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 128 + SIGTERM);
}

// ---- the parent-death signal ------------------------------------------------------------

// runSupervised starts gospawn [flags] sh -c 'echo $$; exec sleep 600' under a
// subreaper test process, kills gospawn with SIGKILL and returns the pid of
// the orphaned shell, now the test's child.
pid_t killSupervisor(const std::vector<std::string>& flags, int* gospawnStatus) {
  std::vector<std::string> args = flags;
  args.insert(args.end(), {"sh", "-c", "echo $$; exec sleep 600"});
  Child c = start(args);
  std::string line;
  const bool got = readLine(c.out, &line);
  close(c.out);
  close(c.err);
  if (!got) {
    waitFor(c.pid, 0, gospawnStatus);
    BOOST_FAIL("the child did not report its pid");
  }
  const pid_t child = std::atoi(line.c_str());
  BOOST_REQUIRE(child > 0);
  BOOST_TEST(ppidOf(child) == c.pid);
  BOOST_REQUIRE(kill(c.pid, SIGKILL) == 0);
  BOOST_REQUIRE(waitFor(c.pid, kTimeoutMs, gospawnStatus));
  return child;
}

#if !defined(GOSYSCALL_EXEC_BSD)  // the BSD child side has no Pdeathsig
BOOST_AUTO_TEST_CASE(pdeathsig_is_delivered_when_gospawn_is_killed,
                     *skip::when(skip::noSubreaper)) {
  Subreaper subreaper;
  for (const char* flag : {"--pdeathsig"}) {
    BOOST_TEST_CONTEXT(flag) {
      int status;
      const pid_t child = killSupervisor({flag, "KILL"}, &status);
      BOOST_TEST((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
      // The child is the test's now (subreaper); the kernel must have killed it.
      BOOST_TEST_REQUIRE(waitFor(child, kTimeoutMs, &status), "the child outlived gospawn");
      BOOST_TEST(WIFSIGNALED(status));
      BOOST_TEST(WTERMSIG(status) == SIGKILL);
    }
  }
}

#endif

BOOST_AUTO_TEST_CASE(without_pdeathsig_the_child_is_orphaned, *skip::when(skip::noSubreaper)) {
  Subreaper subreaper;
  int status;
  const pid_t child = killSupervisor({}, &status);
  // Reparenting happened before gospawn could be reaped: the orphan is ours, alive.
  BOOST_TEST(ppidOf(child) == getpid());
  BOOST_TEST(waitpid(child, &status, WNOHANG) == 0);
  BOOST_REQUIRE(kill(child, SIGKILL) == 0);
  BOOST_REQUIRE(waitFor(child, kTimeoutMs, &status));
  BOOST_TEST((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
}

// ---- help, version ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(help_mentions_every_option) {
  for (const char* flag : {"--help", "-h"}) {
    const Result r = run({flag});
    BOOST_TEST_CONTEXT(flag) {
      BOOST_TEST(r.exitCode() == 0);
      BOOST_TEST(r.err == "");
      BOOST_TEST(r.out.rfind("Usage: gospawn [OPTIONS] [--] PROGRAM [ARG]...\n", 0) == 0);
      for (const char* text : {"--pdeathsig SIG",
                               "-s, --setsid",
                               "-g, --setpgid",
                               "--setctty",
                               "--noctty",
                               "-R, --chroot DIR",
                               "-w, --dir DIR",
                               "-S, --uid UID",
                               "-G, --gid GID",
                               "--groups G1,G2,...",
                               "-e, --env NAME=VALUE",
                               "--ignore-environment",
                               "--close-fds",
                               "-h, --help",
                               "-V, --version",
                               "PATH",
                               "Init duties",
                               "pid 1",
                               "Signals:",
                               "TERM, INT,",
                               "\n  125 ",
                               "\n  126 ",
                               "\n  127 ",
                               "128+N",
                               "Example:"})
        BOOST_TEST(r.out.find(text) != std::string::npos, "--help does not mention " << text);
    }
  }
  // util-linux's form, for -V and --version.
  for (const char* flag : {"--version", "-V"}) {
    const Result r = run({flag});
    BOOST_TEST(r.exitCode() == 0);
    BOOST_TEST(r.out.rfind("gospawn from gosyscall ", 0) == 0, r.out);
  }
}

// ---- the demo ------------------------------------------------------------------------------

#if defined(DEMO_PATH) && !defined(GOSYSCALL_EXEC_BSD)  // the demo needs --pdeathsig
// The demo is a subreaper, and waits for its processes on their pidfds.
std::string noDemo() {
  if (std::string why = skip::noSubreaper(); !why.empty()) return why;
  const std::string why = skip::noPidfdOpen();
  return why.empty() ? "" : why + ": the demo waits on pidfds";
}

BOOST_AUTO_TEST_CASE(demo_passes, *skip::when(noDemo)) {
  int out[2];
  BOOST_REQUIRE(pipe2(out, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  std::vector<std::string> argv = {DEMO_PATH, kGospawn};
  auto argvp = cArgs(argv);
  pid_t pid;
  const int rc = posix_spawn(&pid, argvp[0], &fa, nullptr, argvp.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  BOOST_REQUIRE_MESSAGE(rc == 0, "posix_spawn: " << std::strerror(rc));

  std::string text, line;
  while (readLine(out[0], &line)) text += line + "\n";
  close(out[0]);
  int status;
  BOOST_REQUIRE(waitFor(pid, kTimeoutMs, &status));
  BOOST_TEST_MESSAGE(text);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0, "the demo failed:\n" << text);
  BOOST_TEST(text.find("\nverdict: PASS") != std::string::npos);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
