// SPDX-License-Identifier: BSD-3-Clause
// The BSD child side of fork/exec (Go's exec_bsd.go forkAndExecInChild):
// Linux's without the parent-death signal, in the BSD order, where tracing
// comes first.
//
// This port builds it on Linux only, as the generic-POSIX backend
// (GOSYSCALL_EXEC_BSD), so that the same tests run against it: it uses the
// Linux syscall numbers, and clone(SIGCHLD) for fork because arm64 has no
// fork syscall. A real BSD port would swap those two for the BSD ones.
#include "syscall/exec_bsd.hpp"

#include <mutex>
#include <shared_mutex>

#include "syscall/exec_unix.hpp"
#include "syscall/internal/clone_linux.hpp"
#include "syscall/internal/exec_child.hpp"

namespace go::syscall {

namespace {

using detail::ChildCredential;

// Everything from here to execve runs in the child, between fork and
// execve: raw syscalls on data the parent prepared, no allocation, no libc,
// no locks, no exceptions, no writes to the parent's memory.
[[noreturn]] GOSYSCALL_NO_SANITIZE_FORKED void forkAndExecInChild1(const ExecArgs& a,
                                                                   const SysProcAttr& sys,
                                                                   const ChildCredential& cred,
                                                                   const detail::Sigset* sigmask,
                                                                   int pipe, int nextfd) {
  Errno err;
  ChildStep step = ChildStep::None;  // not in Go: sent along with err, names the failed step

  // Signal handlers, Sigdefault and the mask (not in Go's function: Go's
  // runtime does it in runtime_AfterForkInChild; see exec_linux.cpp).
  detail::resetHandlers();
  if (!detail::sigsetEmpty(a.sigdefault)) detail::defaultHandlers(a.sigdefault);
  detail::restoreMask(a.sigmask ? a.sigmask : sigmask);

  // Enable tracing if requested. First, as Go on the BSDs.
  if (sys.Ptrace) {
    step = ChildStep::Ptrace;
    err = RawSyscall6(SYS_PTRACE, PTRACE_TRACEME_, 0, 0, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Session ID
  if (sys.Setsid) {
    step = ChildStep::Setsid;
    err = RawSyscall(SYS_SETSID, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Set process group
  if (sys.Setpgid) {
    step = ChildStep::Setpgid;
    err = RawSyscall(SYS_SETPGID, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Chroot
  if (a.chroot) {
    step = ChildStep::Chroot;
    err = RawSyscall(SYS_CHROOT, uintptr(a.chroot), 0, 0).err;
    if (err) goto childerror;
  }

  // User and groups
  if (cred.set) {
    err = detail::setCredential(cred, !cred.noSetGroups, &step);
    if (err) goto childerror;
  }

  // Chdir
  if (a.dir) {
    step = ChildStep::Chdir;
    err = RawSyscall(SYS_CHDIR, uintptr(a.dir), 0, 0).err;
    if (err) goto childerror;
  }

  // Pass 1 and Pass 2: child fd i becomes Files[i] (detail::shuffleFds).
  step = ChildStep::Fds;
  err = detail::shuffleFds(a, &pipe, nextfd);
  if (err) goto childerror;

  // Close other fds (not in Go: CloseFds).
  if (a.closeFds) detail::closeOtherFds(a, pipe);

  // Detach fd 0 from tty
  if (sys.Noctty) {
    step = ChildStep::Noctty;
    err = RawSyscall(SYS_IOCTL, 0, TIOCNOTTY_, 0).err;
    if (err) goto childerror;
  }

  // Set the controlling TTY to Ctty
  if (sys.Setctty) {
    step = ChildStep::Setctty;
    err = RawSyscall(SYS_IOCTL, 0, TIOCSCTTY_, 0).err;
    if (err) goto childerror;
  }

  // Time to exec.
  step = ChildStep::Execve;
  err = RawSyscall(SYS_EXECVE, uintptr(a.argv0), uintptr(a.argv), uintptr(a.envv)).err;

childerror:
  detail::childFailed(pipe, err, step);
}

}  // namespace

std::pair<int, Errno> forkAndExecInChild(const ExecArgs& args, const SysProcAttr& sys,
                                         const detail::Sigset& mask, int* status) {
  const ChildCredential cred = detail::childCredential(sys.Credential);

  // Under ForkLock from the pipe to the closing of our write end: see
  // exec_args.hpp. The child has a copy of our memory, so once the fork
  // returns nothing of ours is in use.
  int p[2];
  SyscallResult r;
  {
    std::unique_lock<std::shared_mutex> forking(ForkLock);
    if (Errno err = openStatusPipe(args, p)) return {0, err};
    const int nextfd = detail::firstFreeFd(args, p[1]);
    r = detail::rawFork();
    if (!r.err && r.r1 == 0) forkAndExecInChild1(args, sys, cred, &mask, p[1], nextfd);
    (void)Close(p[1]);
  }
  if (r.err) {
    (void)Close(p[0]);
    return {0, r.err};
  }
  *status = p[0];
  return {int(r.r1), Errno{}};
}

// Nothing to reset or undo: the BSD SysProcAttr hands the caller no fd.
void forkExecBegin(const SysProcAttr&) {}
void forkAndExecFailureCleanup(const SysProcAttr&) {}

}  // namespace go::syscall
