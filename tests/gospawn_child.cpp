// SPDX-License-Identifier: BSD-3-Clause
// gospawn_child: the PROGRAM that the gospawn suites run under gospawn (and
// under unshare(1) and setpriv(1), to compare). It reports what it sees on
// fd 1, one fact a line.
//
//   gospawn_child signals        catches every signal it may, prints
//                                "ready <pid>", then "got N" for each signal
//                                N it receives, until its stdin ends; then
//                                "eof" and exits 0
//   gospawn_child orphans N S    makes N orphans (children of a child that
//                                exited), which end together; waits until
//                                each is reaped by its new parent, prints
//                                "reaped N" (or "unreaped K" when the safety
//                                bound passed) and "parent P" (its parent's
//                                pid as /proc shows it), then waits for its
//                                stdin to end and exits S
//   gospawn_child report [S]     prints what the kernel shows it (below),
//                                then exits S (default 0)
//
// report prints: "pid N" and "ppid N" (getpid, getppid), the Uid, Gid,
// Groups, CapEff and NSpid lines of /proc/self/status, "pdeathsig N", its
// uid_map, gid_map and setgroups files (lines joined by ";"), "ns NAME
// LINK" for its namespaces, and "ps PID COMM" for every process of /proc,
// sorted by pid: the view of `ps -e` inside.
//
// Synchronization is by pipes and pidfds; the one bounded loop is the
// fallback for a kernel without pidfds.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr int kBoundMs = 20000;  // safety bound on waiting for the reaping

void emit(const std::string& s) {
  for (size_t off = 0; off < s.size();) {
    const ssize_t n = write(1, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(120);
    off += size_t(n);
  }
}

// waitEof reads stdin until it ends (every write end closed).
void waitEof() {
  char buf[256];
  for (;;) {
    const ssize_t n = read(0, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EINTR)) return;
  }
}

// ---- signals -------------------------------------------------------------

// onSignal writes "got N\n" with write(2) alone: async-signal-safe.
void onSignal(int sig) {
  char line[16] = "got ";
  int i = 4;
  if (sig >= 10) line[i++] = char('0' + sig / 10);
  line[i++] = char('0' + sig % 10);
  line[i++] = '\n';
  const ssize_t n = write(1, line, size_t(i));  // one write under PIPE_BUF: one line
  (void)n;
}

int signals() {
  struct sigaction sa = {};
  sa.sa_handler = onSignal;
  sa.sa_flags = SA_RESTART;
  sigfillset(&sa.sa_mask);  // one handler at a time: lines in order
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &sa, nullptr);  // glibc refuses 32, 33
  emit("ready " + std::to_string(getpid()) + "\n");
  waitEof();
  emit("eof\n");
  return 0;
}

// ---- orphans -------------------------------------------------------------

// reaped waits until pid, once an orphan of ours, has been reaped by its
// new parent, and tells whether that happened before deadline. Its pidfd
// (fd) reports POLLHUP then, and recent kernels wake a poller at that
// moment. Older ones never report it, and without a pidfd (fd < 0) there
// is nothing to poll: kill(pid, 0) fails with ESRCH once it is reaped (a
// zombie still takes signals), asked first and then every 10 ms. (Asked
// first: the orphans end together, so by the time the first is reaped
// most of the others are too; a tick for each would cost 500 orphans 5 s.)
bool reaped(pid_t pid, int fd, const timespec& deadline) {
  const timespec tick = {0, 10 * 1000 * 1000};
  for (;;) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return true;
    pollfd p = {fd, POLLHUP, 0};
    if (fd < 0)
      nanosleep(&tick, nullptr);
    else if (poll(&p, 1, 10) > 0 && (p.revents & POLLHUP))
      return true;
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > deadline.tv_sec ||
        (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
      return false;
  }
}

std::string statusLine(const std::string& key);

int orphans(int count, int status) {
  int hold[2], report[2];
  if (pipe2(hold, O_CLOEXEC) != 0 || pipe2(report, O_CLOEXEC) != 0) return 121;
  std::vector<pid_t> pids;
  std::vector<int> fds;
  for (int i = 0; i < count; i++) {
    const pid_t c = fork();
    if (c < 0) return 122;
    if (c == 0) {
      const pid_t g = fork();
      if (g == 0) {  // the orphan-to-be: ends when hold's write end closes
        close(hold[1]);
        char b;
        while (read(hold[0], &b, 1) < 0 && errno == EINTR) {
        }
        _exit(0);
      }
      const ssize_t n = write(report[1], &g, sizeof g);
      _exit(n == ssize_t(sizeof g) ? 0 : 1);  // g is an orphan from here on
    }
    pid_t g = -1;
    if (read(report[0], &g, sizeof g) != ssize_t(sizeof g) || g <= 0) return 123;
    int st;
    while (waitpid(c, &st, 0) < 0 && errno == EINTR) {
    }
    pids.push_back(g);
    // g is alive (it waits on hold), so its pid names it.
    fds.push_back(int(syscall(SYS_pidfd_open, g, 0)));
  }
  close(hold[1]);  // every orphan ends now, together
  timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += kBoundMs / 1000;
  int unreaped = 0;
  for (size_t i = 0; i < pids.size(); i++) {
    unreaped += reaped(pids[i], fds[i], deadline) ? 0 : 1;
    if (fds[i] >= 0) close(fds[i]);
  }
  emit(unreaped == 0 ? "reaped " + std::to_string(count) + "\n"
                     : "unreaped " + std::to_string(unreaped) + "\n");
  emit("parent " + statusLine("PPid") + "\n");
  waitEof();
  return status;
}

// ---- report --------------------------------------------------------------

// squeeze turns each run of blanks into one space and trims both ends
// (/proc pads its columns).
std::string squeeze(const std::string& line) {
  std::string v;
  for (char c : line) {
    if (c == '\t') c = ' ';
    if (c == ' ' && (v.empty() || v.back() == ' ')) continue;
    v += c;
  }
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

// statusLine is the value of key in /proc/self/status.
std::string statusLine(const std::string& key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, key.size() + 1, key + ":") == 0)
      return squeeze(line.substr(key.size() + 1));
  return "?";
}

// procFile is /proc/self/NAME, its lines squeezed and joined by ";".
std::string procFile(const std::string& name) {
  std::ifstream in("/proc/self/" + name);
  std::string all;
  for (std::string line; std::getline(in, line);) all += (all.empty() ? "" : ";") + squeeze(line);
  return all;
}

std::string comm(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/comm");
  std::string c;
  std::getline(in, c);
  return c;
}

int report(int status) {
  emit("pid " + std::to_string(getpid()) + "\nppid " + std::to_string(getppid()) + "\n");
  for (const char* key : {"Uid", "Gid", "Groups", "CapEff", "NSpid"})
    emit(std::string(key) + " " + statusLine(key) + "\n");
  int sig = 0;
  prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0);
  emit("pdeathsig " + std::to_string(sig) + "\n");
  for (const char* file : {"uid_map", "gid_map", "setgroups"})
    emit(std::string(file) + " " + procFile(file) + "\n");
  for (const char* ns : {"user", "pid", "mnt", "net", "uts", "ipc", "cgroup"}) {
    char link[256];
    const ssize_t n = readlink((std::string("/proc/self/ns/") + ns).c_str(), link, sizeof link);
    emit(std::string("ns ") + ns + " " + (n > 0 ? std::string(link, size_t(n)) : "?") + "\n");
  }
  std::map<long, std::string> ps;
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] >= '1' && e->d_name[0] <= '9') ps[std::atol(e->d_name)] = comm(e->d_name);
    closedir(d);
  }
  for (const auto& p : ps) emit("ps " + std::to_string(p.first) + " " + p.second + "\n");
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "signals") return signals();
  if (cmd == "orphans" && argc == 4) return orphans(std::atoi(argv[2]), std::atoi(argv[3]));
  if (cmd == "report") return report(argc > 2 ? std::atoi(argv[2]) : 0);
  std::fprintf(stderr, "usage: gospawn_child signals | orphans N STATUS | report [STATUS]\n");
  return 2;
}
