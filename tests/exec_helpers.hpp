// SPDX-License-Identifier: BSD-3-Clause
// Shared helpers for the fork/exec suites: fd accounting, probe reports,
// ptrace catching and forked helper processes, over pipe.hpp, reap.hpp and
// probe_run.hpp. Header-only, and included by exactly one .cpp per test
// executable.
//
// Synchronization is by pipes, wait4, pidfds and waitid only
// (exited_within.hpp); the timeouts here are safety bounds that turn a hang
// into a failure, never a way to wait for something to happen.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "exited_within.hpp"
#include "pipe.hpp"
#include "probe_run.hpp"
#include "reap.hpp"
#include "syscall/syscall.hpp"

// How Boost.Test prints the library's value types in a failed assertion.
namespace go::syscall {
inline std::ostream& boost_test_print_type(std::ostream& os, const Errno& e) {
  return os << "Errno(" << e.value() << ": " << e.Error() << ")";
}
inline std::ostream& boost_test_print_type(std::ostream& os, const Signal& s) {
  return os << "Signal(" << s.value() << ": " << s.String() << ")";
}
}  // namespace go::syscall

namespace th {

namespace gs = go::syscall;

// reportIfHandlerRuns installs a handler for sig that writes "handler ran
// in the child" to fd, so that a child that runs a handler of its
// parent's is caught by whoever reads fd.
inline void reportIfHandlerRuns(int sig, int fd) {
  static int reportFd;
  reportFd = fd;
  struct sigaction sa {};
  sa.sa_handler = [](int) {
    const char m[] = "handler ran in the child";
    ssize_t n = write(reportFd, m, sizeof m - 1);
    (void)n;
  };
  sigaction(sig, &sa, nullptr);
}

inline std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

// sigsLine is the named line ("caught", "ignored", "blocked") of `probe
// sigs`, without its name: " 10 15", or "" when the set is empty.
inline std::string sigsLine(const std::string& out, const std::string& name) {
  for (const std::string& l : lines(out))
    if (l.rfind(name, 0) == 0) return l.substr(name.size());
  return "missing";
}

// openFds lists this process's open fds (the directory's own fd excluded).
inline std::set<int> openFds() {
  std::set<int> fds;
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) fail("opendir /proc/self/fd");
  const int self = dirfd(d);
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    int fd = atoi(e->d_name);
    if (fd != self) fds.insert(fd);
  }
  closedir(d);
  return fds;
}

// fdTarget is what fd points to in this process, as /proc shows it.
inline std::string fdTarget(int fd) {
  char buf[4096];
  ssize_t n = readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), buf, sizeof buf);
  if (n < 0) fail("readlink fd " + std::to_string(fd));
  return std::string(buf, size_t(n));
}

// lowestFreeFd is the fd the next open/pipe would get.
inline int lowestFreeFd() {
  int fd = 0;
  while (fcntl(fd, F_GETFD) >= 0) fd++;
  return fd;
}

// seizeAndCatchChild makes the window between a child's creation and its
// execve deterministic. p is our child, blocked until it reads a byte from
// goFd's pipe, after which it creates one child G (ForkExec). We attach to p
// with PTRACE_SEIZE, following fork, vfork and clone (clone3 with exit
// signal SIGCHLD reports as a fork), and return G's pid once p is stopped
// in the fork event and G is stopped at its creation: before G has run a
// single instruction of the library's child side. Both stay traced by us;
// PTRACE_DETACH lets each go on.
inline int seizeAndCatchChild(int p, int goFd) {
  if (ptrace(PTRACE_SEIZE, p, nullptr,
             (void*)long(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE)) != 0)
    fail("PTRACE_SEIZE");
  writeAll(goFd, "g");
  int g = 0;
  bool forked = false, gStopped = false;
  while (!(forked && gStopped)) {
    int st;
    int pid = waitAny(&st);
    if (pid == p) {
      if (!WIFSTOPPED(st)) fail("the parent ended early: " + describe(st));
      const int event = st >> 16;
      if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
          event == PTRACE_EVENT_CLONE) {
        unsigned long msg = 0;
        ptrace(PTRACE_GETEVENTMSG, p, nullptr, &msg);
        if (g != 0 && g != int(msg)) fail("fork event names another child");
        g = int(msg);
        forked = true;  // p stays stopped in the event
      } else {
        // Any other stop of p: let it go on, with its signal if it has one.
        const int sig = (event == 0 && WSTOPSIG(st) != SIGTRAP) ? WSTOPSIG(st) : 0;
        ptrace(PTRACE_CONT, p, nullptr, (void*)long(sig));
      }
    } else if (pid > 0) {
      if (g != 0 && pid != g) fail("an unexpected child stopped");
      if (!WIFSTOPPED(st)) fail("the new child ended early: " + describe(st));
      g = pid;  // its stop may come before p's event
      gStopped = true;
    }
  }
  return g;
}

// FdInfo is one line of `probe fds`.
struct FdInfo {
  bool cloexec = false;
  std::string target;
  bool operator==(const FdInfo& o) const { return cloexec == o.cloexec && target == o.target; }
};

inline std::map<int, FdInfo> parseFds(const std::string& out) {
  std::map<int, FdInfo> m;
  for (const auto& l : lines(out)) {
    std::istringstream in(l);
    int fd, cloexec;
    FdInfo info;
    in >> fd >> cloexec;
    std::getline(in >> std::ws, info.target);
    info.cloexec = cloexec != 0;
    m[fd] = info;
  }
  return m;
}

inline std::set<int> keys(const std::map<int, FdInfo>& m) {
  std::set<int> s;
  for (const auto& kv : m) s.insert(kv.first);
  return s;
}

// parseKV parses "a=1 b=2" (probe stat) into a map.
inline std::map<std::string, long> parseKV(const std::string& s) {
  std::map<std::string, long> m;
  std::istringstream in(s);
  for (std::string kv; in >> kv;) {
    auto eq = kv.find('=');
    if (eq != std::string::npos) m[kv.substr(0, eq)] = std::stol(kv.substr(eq + 1));
  }
  return m;
}

// procStatus is the line "Key:\t..." of /proc/<pid>/status, value only.
inline std::string procStatus(int pid, const std::string& key) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  for (std::string l; std::getline(f, l);)
    if (l.compare(0, key.size() + 1, key + ":") == 0) {
      std::string v = l.substr(key.size() + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
      return v;
    }
  fail("no " + key + " in /proc/" + std::to_string(pid) + "/status");
}

inline std::vector<long> numbers(const std::string& s) {
  std::vector<long> v;
  std::istringstream in(s);
  for (long n; in >> n;) v.push_back(n);
  return v;
}

// Fds at and above kHelperFd belong to inHelper; a helper's fn may close
// everything below.
constexpr int kHelperFd = 1000;

// closeFdsFrom closes every fd in [from, kHelperFd).
inline void closeFdsFrom(int from) {
  for (int fd : openFds())
    if (fd >= from && fd < kHelperFd) close(fd);
}

// inHelper runs fn in a forked copy of this process (single-threaded: the
// suites fork helpers only from the main thread) and returns what it
// reported: "" for success, else a message. Boost.Test is not used in the
// helper; it ends with _exit. A helper never outlives its case: it is
// killed when it overruns timeoutMs, and by its death signal when the
// suite itself dies (killed by ctest's timeout, say), so that a hung
// helper cannot load the machine for the suites that follow.
inline std::string inHelper(const std::function<std::string()>& fn, int timeoutMs = kTimeoutMs) {
  Pipe report;
  const pid_t suite = getpid();
  pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != suite) _exit(1);
    // The report pipe moves to kHelperFd and up, so that fn may close or
    // reuse every fd below (closeFdsFrom).
    const int rep = fcntl(report.w.get(), F_DUPFD_CLOEXEC, kHelperFd);
    report.r.reset();
    report.w.reset();
    std::string msg;
    try {
      msg = fn();
    } catch (const std::exception& e) {
      msg = std::string("exception: ") + e.what();
    } catch (...) {
      msg = "unknown exception";
    }
    ssize_t ignored = write(rep, msg.data(), msg.size());
    (void)ignored;
    _exit(0);
  }
  report.w.reset();
  std::string msg;
  try {
    msg = readAll(report.r.get(), timeoutMs);
  } catch (...) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, __WALL);
    throw;
  }
  int st = waitStatus(pid, timeoutMs);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) msg += " [helper " + describe(st) + "]";
  return msg;
}

// TempDir is a fresh directory under /tmp, mode 0755, removed at the end.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/gosyscall-test-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) fail("mkdtemp");
    path = tmpl;
    chmod(path.c_str(), 0755);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// worldProbe is a copy of the probe that any uid can execute (the build
// tree may not be reachable by uid 65534), as Go's TestDeathSignal copies
// its own binary.
inline const std::string& worldProbe() {
  static TempDir dir;
  static std::string path = [] {
    std::string p = dir.path + "/probe";
    std::filesystem::copy_file(kProbe, p);
    chmod(p.c_str(), 0755);
    return p;
  }();
  return path;
}

// Every fd this process inherited is made close-on-exec once, at start, as
// Go's runtime does with its own fds: the library passes only Files, and
// relies on every other fd being close-on-exec.
struct CloexecAll {
  CloexecAll() {
    for (int fd : openFds())
      if (fd > 2) fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
  }
};

}  // namespace th

using th::CloexecAll;
BOOST_TEST_GLOBAL_FIXTURE(CloexecAll);
