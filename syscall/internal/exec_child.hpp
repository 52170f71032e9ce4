// SPDX-License-Identifier: BSD-3-Clause
// The steps the Linux and BSD child sides share: credentials and the fd
// shuffle.
//
// These run in the child, between clone and execve. The child may share the
// parent's memory, so they make raw syscalls on data the parent prepared and
// nothing else: no allocation, no libc, no locks, no exceptions, and no
// writes to the parent's memory (only to the child's own locals).
#pragma once

#include <cstdint>

#include "syscall/child_step.hpp"
#include "syscall/credential.hpp"
#include "syscall/internal/exec_args.hpp"
#include "syscall/internal/sigset.hpp"
#include "syscall/no_instrument.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/syscall_linux.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

// GOSYSCALL_CHILD marks the helpers the child runs: always inlined into
// the child's entry, at -O0 too, and not instrumented (no_instrument.hpp).
#define GOSYSCALL_CHILD inline GOSYSCALL_CHILD_INLINE

// GOSYSCALL_NO_SANITIZE marks the child's entry function, the only one the
// child runs that is not inlined (exec_linux.cpp's childMain): no sanitizer,
// coverage, stack protector or profiling code in it (no_instrument.hpp).
// Their instrumentation calls into a runtime (shadow memory, reports,
// locks), which is libc-like code the child must not run; once the child
// shares the parent's memory (CLONE_VM), it would also write the parent's
// state. The GOSYSCALL_CHILD helpers are inlined into it.
#define GOSYSCALL_NO_SANITIZE GOSYSCALL_NO_INSTRUMENT
// GOSYSCALL_NO_SANITIZE_FORKED is the same for a child that has its own
// copy of memory (exec_bsd.cpp), kept a function of its own (noinline):
// inlined into its caller, the parent's forkAndExecInChild, it would take
// the caller's instrumentation, and the child's code could no longer be
// told from the parent's (tests/childcheck). GCC 12 crashed (internal
// compiler error) on no_sanitize("address") there while the helpers
// inlined into it lacked the attribute; they now carry the same ones.
#define GOSYSCALL_NO_SANITIZE_FORKED GOSYSCALL_NO_SANITIZE __attribute__((noinline))

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::syscall::detail {

// ChildCredential is a Credential flattened by the parent.
struct ChildCredential {
  bool set;
  uint32_t uid, gid;
  const uint32_t* groups;
  uintptr ngroups;
  bool noSetGroups;  // Credential::NoSetGroups
};

// childCredential flattens cred (nullptr: none) for the child.
inline ChildCredential childCredential(const Credential* cred) {
  if (cred == nullptr) return ChildCredential{};
  return {true, cred->Uid, cred->Gid, cred->Groups.data(), cred->Groups.size(), cred->NoSetGroups};
}

// blockSignals blocks every signal and saves the old mask in *old. The
// parent calls it before creating the child, so that the child cannot run
// one of the parent's handlers before they are reset.
inline void blockSignals(Sigset* old) {
  static constexpr Sigset kAll = fullSigset();
  RawSyscall6(SYS_RT_SIGPROCMASK, SIG_SETMASK_, uintptr(&kAll), uintptr(old), kSigsetSize, 0, 0);
}

// restoreMask sets the mask back to what blockSignals saved.
GOSYSCALL_CHILD void restoreMask(const Sigset* mask) {
  RawSyscall6(SYS_RT_SIGPROCMASK, SIG_SETMASK_, uintptr(mask), 0, kSigsetSize, 0, 0);
}

// KernelSigaction (arch_linux_<arch>.hpp) is the kernel's own struct
// sigaction, which rt_sigaction reads and writes; glibc's is another
// layout. Its mask is a Sigset.
static_assert(sizeof(KernelSigaction::mask) == kSigsetSize, "the kernel's sigset_t in the struct");

// kDefaultAction is SIG_DFL (0) with no flags and an empty mask: read-only
// data, so that no build zeroes a local with a call to memset in the child.
inline constexpr KernelSigaction kDefaultAction{};

// resetHandlers sets every caught signal back to SIG_DFL in the child,
// leaving ignored ones ignored, as execve would. Used where the clone did
// not do it (clone3's CLONE_CLEAR_SIGHAND).
GOSYSCALL_CHILD void resetHandlers() {
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    KernelSigaction old;  // the kernel fills it
    if (RawSyscall6(SYS_RT_SIGACTION, uintptr(sig), 0, uintptr(&old), kSigsetSize, 0, 0).err)
      continue;           // SIGKILL, SIGSTOP
    if (old.handler > 1)  // neither SIG_DFL (0) nor SIG_IGN (1)
      RawSyscall6(SYS_RT_SIGACTION, uintptr(sig), uintptr(&kDefaultAction), 0, kSigsetSize, 0, 0);
  }
}

// setCredential switches groups (if setgroups), then gid, then uid: after
// setuid the child may no longer be allowed to change the others. As root,
// setgid and setuid change the real, effective and saved ids alike. *step
// says which call failed.
GOSYSCALL_CHILD Errno setCredential(const ChildCredential& cred, bool setgroups, ChildStep* step) {
  Errno err;
  if (setgroups) {
    *step = ChildStep::Setgroups;
    err = RawSyscall(sys_SETGROUPS, cred.ngroups, uintptr(cred.groups), 0).err;
    if (err) return err;
  }
  *step = ChildStep::Setgid;
  err = RawSyscall(sys_SETGID, cred.gid, 0, 0).err;
  if (err) return err;
  *step = ChildStep::Setuid;
  return RawSyscall(sys_SETUID, cred.uid, 0, 0).err;
}

// defaultHandlers sets SIG_DFL for every signal in set (bit n-1 for
// signal n: SysProcAttr::Sigdefault), ignored ones included. SIGKILL and
// SIGSTOP, which cannot be changed, are left out by the parent.
GOSYSCALL_CHILD void defaultHandlers(const Sigset& set) {
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    if (!sigsetHas(set, sig)) continue;
    RawSyscall6(SYS_RT_SIGACTION, uintptr(sig), uintptr(&kDefaultAction), 0, kSigsetSize, 0, 0);
  }
}

// shuffleFds makes child fd i a duplicate of args.fd[i] and closes the
// standard fds that Files leaves out. *pipe is the status pipe; it moves
// when it sits where a child fd goes. nextfd is the first fd above every
// fd in Files, above the pipe and at least 3: nothing is overwritten there.
GOSYSCALL_CHILD Errno shuffleFds(const ExecArgs& args, int* pipe, int nextfd) {
  const int* fd = args.fd;
  const int nfd = args.nfd;
  Errno err;

  // Pass 1: move the pipe, and every fd[i] < i, up to nextfd and beyond,
  // where pass 2 cannot overwrite them before they are used. The copies are
  // close-on-exec.
  if (*pipe < nfd || *pipe < 3) {
    err = RawSyscall(SYS_DUP3, uintptr(*pipe), uintptr(nextfd), O_CLOEXEC_).err;
    if (err) return err;
    *pipe = nextfd++;
  }
  const int firstMoved = nextfd;
  for (int i = 0; i < nfd; i++) {
    if (fd[i] >= 0 && fd[i] < i) {
      err = RawSyscall(SYS_DUP3, uintptr(fd[i]), uintptr(nextfd++), O_CLOEXEC_).err;
      if (err) return err;
    }
  }

  // Pass 2: dup each fd down onto its place. The moved ones are found again
  // by counting in the same order, so pass 1 needs no table to write to.
  int moved = firstMoved;
  for (int i = 0; i < nfd; i++) {
    if (fd[i] == -1) {
      RawSyscall(SYS_CLOSE, uintptr(i), 0, 0);
      continue;
    }
    if (fd[i] == i) {
      // dup3(i, i) is EINVAL and dup2(i, i) keeps close-on-exec: clear it.
      err = RawSyscall(SYS_FCNTL, uintptr(i), F_SETFD_, 0).err;
      if (err) return err;
      continue;
    }
    const int from = fd[i] < i ? moved++ : fd[i];
    err = RawSyscall(SYS_DUP3, uintptr(from), uintptr(i), 0).err;
    if (err) return err;
  }

  // Standard fds: a child given fewer than 3 fds gets the rest closed, so
  // that it cannot write to the parent's stdout by accident.
  for (int i = nfd; i < 3; i++) RawSyscall(SYS_CLOSE, uintptr(i), 0, 0);
  return err;
}

// closeOtherFds closes every fd above the child's Files (from max(nfd, 3)
// up) except the status pipe, which shuffleFds left in that range and the
// child still needs. close_range (Linux 5.9) does it in two calls; where it
// fails (ENOSYS, or a seccomp filter that refuses it) the child closes each
// fd number below args.fdLimit, which the parent made larger than every fd
// the child can hold (exec_unix.cpp): no allocation, no /proc (which a
// chroot may lack). Errors are ignored: most of those numbers are not open,
// which is what was wanted.
GOSYSCALL_CHILD void closeOtherFds(const ExecArgs& args, int pipe) {
  const uintptr first = uintptr(args.nfd > 3 ? args.nfd : 3);
  const uintptr p = uintptr(pipe);    // >= first: shuffleFds put it there
  const uintptr last = uintptr(~0U);  // the highest fd number close_range takes
  bool ok = true;
  if (p > first) ok = !RawSyscall(SYS_CLOSE_RANGE, first, p - 1, 0).err;
  if (ok) ok = !RawSyscall(SYS_CLOSE_RANGE, p + 1, last, 0).err;
  if (ok) return;
  for (uintptr fd = first; fd < uintptr(args.fdLimit); fd++)
    if (fd != p) RawSyscall(SYS_CLOSE, fd, 0, 0);
}

// namesFd tells whether Files names fd. Used on fds the library just made:
// a Files entry equal to one named an fd that was closed then, and the
// child would get the library's fd in its place.
inline bool namesFd(const ExecArgs& args, int fd) {
  for (int i = 0; i < args.nfd; i++)
    if (args.fd[i] == fd) return true;
  return false;
}

// firstFreeFd is the nextfd that shuffleFds wants; the parent computes it.
inline int firstFreeFd(const ExecArgs& args, int pipe) {
  int next = args.nfd > 3 ? args.nfd : 3;
  if (args.maxfd >= next) next = args.maxfd + 1;
  if (pipe >= next) next = pipe + 1;
  return next;
}

// childFailed reports err on the status pipe and exits with 253, as Go's
// child does. It never returns. With the errno goes the step that failed
// (ChildStep; not in Go): two words in one write, atomic on a pipe.
[[noreturn]] GOSYSCALL_CHILD void childFailed(int pipe, Errno err, ChildStep step) {
  const uintptr msg[2] = {err.value(), uintptr(step)};
  RawSyscall(SYS_WRITE, uintptr(pipe), uintptr(msg), sizeof msg);
  for (;;) RawSyscall(SYS_EXIT, 253, 0, 0);
}

}  // namespace go::syscall::detail

#pragma GCC visibility pop
