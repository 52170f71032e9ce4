// SPDX-License-Identifier: BSD-3-Clause
// The death-signal harness that test_pdeathsig (each case once) and
// test_pdeathsig_faults (each fault over many trials) share. Three
// processes:
//
//   T (the test, a child subreaper) ── fork ──> P ── ForkExec ──> G (probe wait)
//
// P starts G with Pdeathsig and waits to be killed; T kills P, at a moment
// of its choosing or, in a race scenario, while G is stopped by ptrace at
// its creation (before it has run one instruction, so before prctl). G
// then belongs to T, which watches it die. G's stdin and stdout are pipes
// whose other ends only T holds: G blocks reading stdin until T closes it,
// and EOF on its stdout proves G ended.
#pragma once

#include <sched.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>

#include "exec_helpers.hpp"
#include "skip.hpp"

namespace th::death {

// Scenario: how P starts G, and where.
struct Scenario {
  gs::Signal sig = gs::SIGKILL_;
  gs::Credential* cred = nullptr;
  bool race = false;    // P dies while G is stopped at its creation (ptrace)
  bool pidns = false;   // G in a new pid namespace, where P is invisible (getppid() == 0)
  bool nsInit = false;  // with pidns: G is that namespace's init (no bystander)
};

// Pipes between T, P and G. After startParent, T holds in.w (G's stdin),
// out.r (G's stdout), ctl.r (P's reports), go.w (race: P's cue) and hold.w
// (the bystander init's life).
struct Pipes {
  Pipe in, out, ctl, go, hold;
};

// becomeSubreaper makes T the parent of G once P is dead. Under qemu-user
// the prctl fails, but tests/emu_launch.c may have made the suite a
// subreaper already: what the kernel does decides.
inline void becomeSubreaper() {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 && !skip::orphansComeHere())
    fail("PR_SET_CHILD_SUBREAPER");
}

// parentSide is P. With pidns it first unshares CLONE_NEWPID, so that G is
// made in a new pid namespace whose init is a bystander that lives until T
// closes hold (G is then pid 2 there), or, with nsInit, G itself. It
// reports on ctl "init <pid>" (the bystander, or 0), then "seize" and waits
// for T's byte on go (race) or "go", then "<pid> <errno>" from ForkExec,
// and blocks until killed.
[[noreturn]] inline void parentSide(const Scenario& s, Pipes& p) {
  p.in.w.reset();
  p.out.r.reset();
  p.ctl.r.reset();
  p.go.w.reset();
  p.hold.w.reset();
  if (s.pidns && unshare(CLONE_NEWPID) != 0) _exit(70);
  pid_t init = 0;
  if (s.pidns && !s.nsInit) {
    init = fork();
    if (init < 0) _exit(71);
    if (init == 0) {
      // It keeps no other fd, so that G's end alone closes out.
      for (int fd : openFds())
        if (fd != p.hold.r.get()) close(fd);
      char c;
      while (read(p.hold.r.get(), &c, 1) > 0) {
      }
      _exit(0);
    }
  }
  p.hold.r.reset();
  writeAll(p.ctl.w.get(), "init " + std::to_string(init) + "\n");
  if (s.race) {
    writeAll(p.ctl.w.get(), "seize\n");
    char c;
    if (read(p.go.r.get(), &c, 1) != 1) _exit(72);
  } else {
    writeAll(p.ctl.w.get(), "go\n");
  }
  gs::SysProcAttr sys;
  sys.Pdeathsig = s.sig;
  sys.Credential = s.cred;
  gs::ProcAttr attr;
  attr.Files = {p.in.r.u(), p.out.w.u(), 2};
  attr.Sys = &sys;
  auto [pid, err] = gs::ForkExec(s.cred ? worldProbe() : kProbe, {"probe", "wait"}, &attr);
  writeAll(p.ctl.w.get(), std::to_string(pid) + " " + std::to_string(err.value()) + "\n");
  if (err) _exit(73);
  for (;;) pause();
}

// startParent forks P and keeps T's ends of the pipes. The world-executable
// probe is made here, not in P.
inline pid_t startParent(const Scenario& s, Pipes& p) {
  (void)worldProbe();
  const pid_t pid = fork();
  if (pid < 0) fail("fork");
  if (pid == 0) parentSide(s, p);
  p.in.r.reset();
  p.out.w.reset();
  p.ctl.w.reset();
  p.go.r.reset();
  p.hold.r.reset();
  return pid;
}

// awaitCue reads P's first two reports and returns the bystander init's
// pid (0 if none). P is then about to call ForkExec ("go") or waiting for
// T to seize it ("seize", race).
inline int awaitCue(const Scenario& s, Pipes& p) {
  const std::string init = readLine(p.ctl.r.get());
  if (init.rfind("init ", 0) != 0) fail("P said \"" + init + "\"");
  const std::string cue = readLine(p.ctl.r.get());
  if (cue != (s.race ? "seize" : "go")) fail("P said \"" + cue + "\"");
  return std::stoi(init.substr(5));
}

// catchAtCreation (race): attaches to P following its children, lets it
// go, and returns G, stopped at its creation: it has not run one
// instruction of the library's child side, so it is before prctl.
inline int catchAtCreation(pid_t parent, Pipes& p) {
  return seizeAndCatchChild(parent, p.go.w.get());
}

// killAndRelease (race): kills P while G is held, reaps P (its raw status
// in *pStatus), and lets G, ours now, run on.
inline void killAndRelease(pid_t parent, int g, int* pStatus) {
  kill(parent, SIGKILL);
  while (waitpid(parent, pStatus, __WALL) != parent)
    if (errno != EINTR) fail("waitpid P");
  if (ptrace(PTRACE_DETACH, g, nullptr, nullptr) != 0) fail("PTRACE_DETACH G");
}

// G died of Pdeathsig: killed by the signal or, as the init of a pid
// namespace (which ignores a signal it sends itself), exited 128+sig by
// the library's check before execve.
inline bool diedOfPdeathsig(const Scenario& s, int status) {
  const int sig = s.sig.value();
  if (WIFSIGNALED(status) && WTERMSIG(status) == sig) return true;
  return s.nsInit && WIFEXITED(status) && WEXITSTATUS(status) == 128 + sig;
}

// reapAll reaps every child T has left: P, G, the bystander (released by
// closing hold) and anything else reparented to T.
inline void reapAll(Pipes& p) {
  p.hold.w.reset();
  p.in.w.reset();
  while (!noChildren()) {
    int st;
    if (waitAny(&st) < 0) break;
  }
}

}  // namespace th::death
