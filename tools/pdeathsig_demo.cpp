// SPDX-License-Identifier: BSD-3-Clause
// pdeathsig_demo: what the parent-death signal does, shown with real processes.
//
//   pdeathsig_demo [GOSPAWN]
//
// A supervisor (gospawn, found beside this binary unless given) runs a child
// shell that reports its pid on a pipe and then sleeps. The supervisor is
// killed with SIGKILL, so it can clean up nothing itself:
//
//   1. without --pdeathsig the child lives on as an orphan;
//   2. with --pdeathsig KILL the kernel kills the child as the supervisor dies.
//
// The demo makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so the
// orphan is reparented to it and can be inspected in /proc and reaped. It
// prints a timeline and a verdict, and exits 0 only if the kernel behaved so
// (1 if it did not, 2 if the demo could not run).
//
// Every step is synchronized on an event: the pid arriving on the pipe, a
// pidfd becoming readable, wait4 returning. Timeouts exist only as safety
// nets; when one expires the demo kills what is left, reaps it and fails.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "syscall/syscall.hpp"

extern char** environ;

namespace {

namespace gs = go::syscall;

constexpr int kTimeoutMs = 10000;  // safety net for every wait
// The child's command. It sleeps far longer than the demo runs, and never
// outlives the demo's checks: the demo kills it in every outcome.
constexpr char kChildScript[] = "echo $$; exec sleep 60";

// ---- time -----------------------------------------------------------------

double nowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Timeline prints one line per step, stamped with the ms since start.
class Timeline {
 public:
  Timeline() : t0_(nowMs()) {}
  double elapsed() const { return nowMs() - t0_; }
  void step(const char* format, ...) __attribute__((format(printf, 2, 3))) {
    std::printf("  %9.3f ms  ", elapsed());
    va_list ap;
    va_start(ap, format);
    std::vprintf(format, ap);
    va_end(ap);
    std::putchar('\n');
    std::fflush(stdout);
  }

 private:
  double t0_;
};

// ---- processes ------------------------------------------------------------

std::string describe(gs::WaitStatus ws) {
  if (ws.Exited()) return "exited with status " + std::to_string(ws.ExitStatus());
  if (ws.Signaled())
    return "killed by " + gs::SignalName(ws.Signal()) + " (" + ws.Signal().String() + ")";
  return "status " + std::to_string(ws.raw());
}

// Proc is a process the demo must reap: its pid and a pidfd to wait on with
// a timeout. It may start as a grandchild; it must be the demo's child (by
// birth or by reparenting to the subreaper) by the time it is reaped. The
// destructor kills and reaps whatever is still there.
class Proc {
 public:
  Proc() = default;
  Proc(const Proc&) = delete;
  Proc& operator=(const Proc&) = delete;
  ~Proc() { killAndReap(); }

  // open takes pid over; false (errno set) if no pidfd could be opened.
  bool open(int pid) {
    pid_ = pid;
    const auto r = gs::RawSyscall(gs::SYS_PIDFD_OPEN, gs::uintptr(pid), 0, 0);
    if (r.err) {
      errno = int(r.err.value());
      return false;
    }
    pidfd_ = int(r.r1);
    return true;
  }
  int pid() const { return pid_; }
  bool live() const { return pid_ > 0; }

  // exited tells, without waiting, whether the process has ended.
  bool exited() const {
    pollfd p = {pidfd_, POLLIN, 0};
    return poll(&p, 1, 0) == 1;
  }

  // reap waits up to timeoutMs for the process to end, then reaps it. False
  // on timeout (the process is left running) or if wait4 failed.
  bool reap(int timeoutMs, gs::WaitStatus* ws) {
    pollfd p = {pidfd_, POLLIN, 0};
    const double deadline = nowMs() + timeoutMs;
    for (;;) {
      const int left = int(deadline - nowMs());
      const int n = poll(&p, 1, left > 0 ? left : 0);
      if (n == 1) break;
      if (n == 0 || errno != EINTR) return false;
    }
    for (;;) {
      const gs::Errno err = gs::Wait4(pid_, ws, 0, nullptr).second;
      if (err == gs::EINTR_) continue;
      if (err) return false;
      break;
    }
    release();
    return true;
  }

  // kill sends sig through the pidfd: never to a reused pid.
  gs::Errno kill(gs::Signal sig) const {
    return gs::RawSyscall6(gs::SYS_PIDFD_SEND_SIGNAL, gs::uintptr(pidfd_), gs::uintptr(sig.value()),
                           0, 0, 0, 0)
        .err;
  }

  // killAndReap makes sure the process is gone and reaped.
  void killAndReap() {
    if (!live()) return;
    (void)kill(gs::SIGKILL_);
    gs::WaitStatus ws;
    if (!reap(kTimeoutMs, &ws)) {
      std::fprintf(stderr, "pdeathsig_demo: could not reap pid %d\n", pid_);
      release();
    }
  }

 private:
  void release() {
    if (pidfd_ >= 0) (void)gs::Close(pidfd_);
    pidfd_ = -1;
    pid_ = 0;
  }

  int pid_ = 0;
  int pidfd_ = -1;
};

// ProcStatus holds the lines of /proc/<pid>/status the demo looks at.
struct ProcStatus {
  bool ok = false;
  std::string state;  // "S (sleeping)"
  int ppid = -1;
  std::string sigPnd;  // signals pending for the thread, hex
  std::string shdPnd;  // signals pending for the process, hex
};

ProcStatus readStatus(int pid) {
  ProcStatus st;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    const auto start = line.find_first_not_of(" \t", colon + 1);
    const std::string value = start == std::string::npos ? "" : line.substr(start);
    if (key == "State") st.state = value;
    if (key == "PPid") st.ppid = std::atoi(value.c_str());
    if (key == "SigPnd") st.sigPnd = value;
    if (key == "ShdPnd") st.shdPnd = value;
  }
  st.ok = !st.state.empty() && st.ppid >= 0;
  return st;
}

bool noneSet(const std::string& hexMask) {
  return !hexMask.empty() && hexMask.find_first_not_of('0') == std::string::npos;
}

// readLine reads one line from fd, waiting at most timeoutMs in all.
// False on EOF, error or timeout.
bool readLine(int fd, int timeoutMs, std::string* line) {
  const double deadline = nowMs() + timeoutMs;
  line->clear();
  for (;;) {
    pollfd p = {fd, POLLIN, 0};
    const int left = int(deadline - nowMs());
    const int n = poll(&p, 1, left > 0 ? left : 0);
    if (n < 0 && errno == EINTR) continue;
    if (n != 1) return false;
    char c;
    const auto [got, err] = gs::Read(fd, &c, 1);
    if (err == gs::EINTR_) continue;
    if (err || got == 0) return false;
    if (c == '\n') return true;
    *line += c;
  }
}

// ---- the scenario -----------------------------------------------------------

struct Outcome {
  bool ok = false;
  std::string why;     // on failure: what the kernel (or the demo) did wrong
  double deathMs = 0;  // scenario 2: from SIGKILL of the supervisor to the child's reaping
};

Outcome fail(const std::string& why) { return Outcome{false, why, 0}; }

// runScenario starts `gospawn [--pdeathsig KILL] -- sh -c SCRIPT`, learns the
// child's pid through the pipe on its stdout, kills the supervisor with
// SIGKILL and observes the child.
Outcome runScenario(const std::string& gospawn, bool pdeathsig) {
  std::vector<std::string> argv = {"gospawn"};
  if (pdeathsig) argv.insert(argv.end(), {"--pdeathsig", "KILL"});
  argv.insert(argv.end(), {"--", "/bin/sh", "-c", kChildScript});

  std::string shown;
  for (const auto& a : argv)
    shown += (shown.empty() ? "" : " ") + (a == kChildScript ? "'" + a + "'" : a);
  std::printf("\n%s: %s\n", pdeathsig ? "Scenario 2, with the death signal" : "Scenario 1, without",
              shown.c_str());

  // The child's stdout is a pipe to the demo; stdin is /dev/null.
  int p[2];
  if (gs::Errno err = gs::Pipe2(p, int(gs::O_CLOEXEC_))) return fail("pipe2: " + err.Error());
  const auto [devnull, nerr] = gs::Open("/dev/null", int(gs::O_RDONLY_ | gs::O_CLOEXEC_), 0);
  if (nerr) {
    (void)gs::Close(p[0]);
    (void)gs::Close(p[1]);
    return fail("/dev/null: " + nerr.Error());
  }

  gs::SysProcAttr sys;
#if !defined(GOSYSCALL_EXEC_BSD)  // the BSD child side has no Pdeathsig
  sys.Pdeathsig = gs::SIGKILL_;   // the demo's own safety net: no supervisor outlives the demo
#endif
  gs::ProcAttr attr;
  for (char** e = environ; *e != nullptr; e++) attr.Env.emplace_back(*e);
  attr.Files = {gs::uintptr(devnull), gs::uintptr(p[1]), 2};
  attr.Sys = &sys;

  Timeline tl;
  Proc child;  // destroyed last: once the supervisor is reaped, the child is the demo's
  Proc supervisor;
  const auto [spid, serr] = gs::ForkExec(gospawn, argv, &attr);
  (void)gs::Close(p[1]);
  (void)gs::Close(devnull);
  if (serr) {
    (void)gs::Close(p[0]);
    return fail("cannot start " + gospawn + ": " + serr.Error());
  }
  if (!supervisor.open(spid)) {
    (void)gs::Close(p[0]);
    (void)gs::Kill(spid, gs::SIGKILL_);
    gs::WaitStatus ws;
    gs::Wait4(spid, &ws, 0, nullptr);
    return fail(std::string("pidfd_open: ") + std::strerror(errno) + " (needs Linux 5.3)");
  }
  tl.step("started supervisor gospawn, pid %d", spid);

  // The child is running once it has written its pid.
  std::string line;
  const bool gotLine = readLine(p[0], kTimeoutMs, &line);
  (void)gs::Close(p[0]);
  const int cpid = gotLine ? std::atoi(line.c_str()) : 0;
  if (cpid <= 0) {
    gs::WaitStatus ws;
    if (supervisor.reap(1000, &ws))  // EOF: the supervisor is exiting or has exited
      return fail("the child did not report its pid: the supervisor " + describe(ws));
    return fail("the child did not report its pid");
  }
  if (!child.open(cpid))
    return fail(std::string("pidfd_open of the child: ") + std::strerror(errno));
  const ProcStatus before = readStatus(cpid);
  if (!before.ok || before.ppid != spid)
    return fail("pid " + std::to_string(cpid) + " is not the supervisor's child");
  tl.step("child pid %d reported on the pipe: running, its parent is the supervisor %d", cpid,
          spid);

  // Kill the supervisor and reap it. The kernel reparents its children, and
  // sends their death signals, while the supervisor exits: by the time it
  // can be reaped, both have happened.
  const double killedAt = tl.elapsed();
  if (gs::Errno err = supervisor.kill(gs::SIGKILL_)) return fail("kill: " + err.Error());
  tl.step("SIGKILL -> supervisor %d", spid);
  gs::WaitStatus ws;
  if (!supervisor.reap(kTimeoutMs, &ws)) return fail("the supervisor did not die");
  tl.step("reaped supervisor %d: %s", spid, describe(ws).c_str());
  if (!ws.Signaled() || ws.Signal() != gs::SIGKILL_)
    return fail("the supervisor was not killed by SIGKILL");

  if (!pdeathsig) {
    // The orphan: alive, adopted by the demo, and nothing was queued for it.
    const ProcStatus after = readStatus(cpid);
    const int self = gs::Getpid();
    if (!after.ok || child.exited()) return fail("the child died although no death signal was set");
    if (after.ppid != self)
      return fail("the orphan's parent is " + std::to_string(after.ppid) +
                  ", not the subreaper demo " + std::to_string(self));
    if (after.state[0] == 'Z' || after.state[0] == 'X') return fail("the orphan is " + after.state);
    if (!noneSet(after.sigPnd) || !noneSet(after.shdPnd))
      return fail("a signal is pending for the orphan: SigPnd " + after.sigPnd + ", ShdPnd " +
                  after.shdPnd);
    tl.step("child %d lives on as an orphan: PPid %d (the demo), State %s, no signal pending", cpid,
            after.ppid, after.state.c_str());
    const int orphan = child.pid();
    if (gs::Errno err = child.kill(gs::SIGKILL_)) return fail("kill: " + err.Error());
    tl.step("SIGKILL -> orphan %d (only someone else can clean it up)", orphan);
    if (!child.reap(kTimeoutMs, &ws)) return fail("the orphan did not die");
    tl.step("reaped orphan %d: %s", orphan, describe(ws).c_str());
    return Outcome{true, "", 0};
  }

  // With the death signal the child must be gone without anyone else's help.
  if (!child.reap(kTimeoutMs, &ws))
    return fail("the child was still alive " + std::to_string(kTimeoutMs / 1000) +
                " s after its supervisor died: no death signal");
  const double deathMs = tl.elapsed() - killedAt;
  tl.step("reaped child %d: %s, %.3f ms after the supervisor was killed", cpid,
          describe(ws).c_str(), deathMs);
  if (!ws.Signaled() || ws.Signal() != gs::SIGKILL_)
    return fail("the child was not killed by SIGKILL but " + describe(ws));
  return Outcome{true, "", deathMs};
}

// findGospawn returns argv[1], or the gospawn beside this binary.
std::string findGospawn(int argc, char** argv) {
  if (argc > 1) return argv[1];
  std::vector<char> buf(4096);
  const ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return "gospawn";
  std::string self(buf.data(), size_t(n));
  return self.substr(0, self.rfind('/') + 1) + "gospawn";
}

// reapStrays reaps whatever else was reparented to the demo and has ended.
void reapStrays() {
  gs::WaitStatus ws;
  while (gs::Wait4(-1, &ws, int(gs::WNOHANG_), nullptr).first > 0) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
    std::fprintf(stderr, "usage: pdeathsig_demo [GOSPAWN]\n");
    return 2;
  }
  const std::string gospawn = findGospawn(argc, argv);
  if (access(gospawn.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "pdeathsig_demo: cannot run %s: %s\n", gospawn.c_str(),
                 std::strerror(errno));
    return 2;
  }
  if (gs::Errno err = gs::Prctl(int(gs::PR_SET_CHILD_SUBREAPER_), 1, 0, 0, 0)) {
    std::fprintf(stderr, "pdeathsig_demo: PR_SET_CHILD_SUBREAPER: %s\n", err.Error().c_str());
    return 2;
  }

  std::printf(
      "A supervisor (gospawn) runs a child; the supervisor is killed with SIGKILL.\n"
      "The demo (pid %d) is a child subreaper: orphans are reparented to it.\n",
      gs::Getpid());
  std::fflush(stdout);

  const Outcome without = runScenario(gospawn, false);
  reapStrays();
  if (!without.ok) std::printf("  FAILED: %s\n", without.why.c_str());
  const Outcome with = runScenario(gospawn, true);
  reapStrays();
  if (!with.ok) std::printf("  FAILED: %s\n", with.why.c_str());

  if (without.ok && with.ok) {
    std::printf(
        "\nverdict: PASS: without --pdeathsig the child outlived its killed supervisor as an "
        "orphan;\n"
        "         with --pdeathsig KILL the kernel killed it %.3f ms after the supervisor was "
        "killed.\n",
        with.deathMs);
    return 0;
  }
  std::printf("\nverdict: FAIL: %s\n", (!without.ok ? without : with).why.c_str());
  return 1;
}
