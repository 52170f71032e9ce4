// SPDX-License-Identifier: BSD-3-Clause
// The Linux child side of fork/exec (Go's exec_linux.go forkAndExecInChild):
// create the child, which applies SysProcAttr to itself and calls execve.
#include "syscall/exec_linux.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "syscall/exec_unix.hpp"
#include "syscall/internal/clone_linux.hpp"
#include "syscall/internal/exec_child.hpp"
#include "syscall/internal/idmap_linux.hpp"
#include "syscall/internal/ppoll_linux.hpp"
#include "syscall/internal/spawn_thread.hpp"
#include "syscall/syscall_linux.hpp"

namespace go::syscall {

namespace {

using detail::ChildCredential;
using detail::kMaxSignal;

// Clone: how the child is created, as Go's forkAndExecInChild1 computes
// it before the clone (cloneFlags). The kernel writes the child's pidfd to
// pidfd (CLONE_PIDFD), in the parent.
struct Clone {
  uint64_t flags;   // Go's flags: Cloneflags, CLONE_VM, CLONE_PIDFD, CLONE_INTO_CGROUP
  uint64_t cgroup;  // with CLONE_INTO_CGROUP: the cgroup directory's fd
  bool clone3;      // Go's "clone3 != nil": only clone3 can do it (UseCgroupFD, CLONE_NEWTIME)
  int pidfd;        // -1 until the kernel writes it
};

// Kernel ABI constants the generated families do not cover, the same on
// every arch: linux/capability.h's _LINUX_CAPABILITY_VERSION_3 (64-bit
// capability sets, two data words).
constexpr uint32_t kCapabilityVersion3 = 0x20080522;
constexpr int kCapWords = 2;

// ChildIdMaps: what a child that unshares its user namespace writes to
// /proc/self/{setgroups,gid_map,uid_map} itself (Unshareflags). The parent
// formats the text; null where a map is not asked for.
struct ChildIdMaps {
  const char* uidmap;
  uintptr uidlen;
  const char* gidmap;
  uintptr gidlen;
  const char* setgroups;  // "allow" or "deny", with gidmap
  uintptr setgroupslen;
};

// Child: everything the child needs, prepared by the parent and only read
// by the child (musl's posix_spawn hands its child one such struct).
struct Child {
  const ExecArgs* args;
  const SysProcAttr* sys;
  int pipe;    // status pipe, write end
  int nextfd;  // see detail::firstFreeFd
  ChildCredential cred;
  int pdeathsig;           // 0: not asked for
  int parentStat;          // the creating thread's /proc stat, open; or -1
  int ppid;                // without parentStat: the parent's pid
  int ppidfd;              // without parentStat: a pidfd of the parent, or -1
  bool resetHandlers;      // the clone did not already reset them
  detail::Sigset sigmask;  // the parent's mask, to restore in the child
  Clone clone;
  int mapPipe[2];       // the parent writes the id maps, then its Errno: {-1, -1} if not
                        // (a socket pair: see writeMapsAndReport)
  ChildIdMaps maps;     // Unshareflags with CLONE_NEWUSER: the child writes them
  bool gidMappings;     // GidMappings is not empty (for Go's setgroups condition)
  const uintptr* caps;  // AmbientCaps
  uintptr ncaps;
};

// cloneArgs is Go's: clone_args as clone3 takes it, up to
// CLONE_ARGS_SIZE_VER2 (cgroup). Kernels that know a shorter struct accept
// it when the rest is zero.
struct cloneArgs {
  uint64_t flags, pidFD, childTID, parentTID, exitSignal, stack, stackSize, tls;
  uint64_t setTID, setTIDSize, cgroup;
};
static_assert(sizeof(cloneArgs) == SIZEOF_CLONE_ARGS_,
              "the kernel's struct clone_args (generated)");

// The Cloneflags a caller may give: namespaces, and flags that change
// nothing the parent relies on. The rest would share the parent's memory,
// files, cwd or signal handlers with a child that rearranges its own, or
// take the child out of the parent's reach (CLONE_PARENT): EINVAL.
constexpr uintptr kCallerCloneflags =
    CLONE_NEWNS_ | CLONE_NEWCGROUP_ | CLONE_NEWUTS_ | CLONE_NEWIPC_ | CLONE_NEWUSER_ |
    CLONE_NEWPID_ | CLONE_NEWNET_ | CLONE_NEWTIME_ | CLONE_IO_ | CLONE_SYSVSEM_ | CLONE_UNTRACED_;

// Whether clone3 may be tried: cleared once it has proved out of reach
// (cloneChild); from then on every child is made with clone.
std::atomic<bool> tryClone3{true};

// parentDied tells whether the parent died before prctl armed the signal,
// in which case the kernel will never send it. The parent is the thread
// that created the child (the kernel sends the signal when that thread
// exits, Go issue 27505), so the child asks about that thread itself: its
// /proc stat, opened by it before the clone, reads ESRCH once it is gone
// and shows state Z (a group leader waiting for its other threads) or X
// once it has exited. A thread's exit reparents its children, signalling
// those armed, and marks it a zombie in one step under the kernel's
// tasklist lock; wait4, which takes that lock even with no child to wait
// for, orders this check after that step or before it (then the signal
// comes). Without /proc: getppid() differs from the saved pid once the
// child was reparented to another process (not to another thread), and is 0
// when the parent lives outside the child's pid namespace, where the
// parent's pidfd, readable when the whole process has exited, tells.
GOSYSCALL_CHILD bool parentDied(const Child& c) {
  if (c.parentStat >= 0) {
    RawSyscall6(SYS_WAIT4, ~uintptr(0), 0, WNOHANG_ | WALL_, 0, 0, 0);  // see above
    char stat[64];  // "tid (comm) S ...": comm is at most 15 bytes
    auto r = RawSyscall(SYS_READ, uintptr(c.parentStat), uintptr(stat), sizeof stat);
    if (r.err == ESRCH_) return true;
    if (!r.err) {
      int close = -1;  // the last ')': comm itself may hold one
      for (int i = 0; i < int(r.r1); i++)
        if (stat[i] == ')') close = i;
      if (close >= 0 && close + 2 < int(r.r1)) {
        const char state = stat[close + 2];
        return state == 'Z' || state == 'X';
      }
    }
  }
  const int ppid = int(RawSyscall(SYS_GETPPID, 0, 0, 0).r1);
  if (ppid != 0) return ppid != c.ppid;
  if (c.ppidfd < 0) return false;  // no pidfd (Linux < 5.3): cannot tell
  return detail::readableNow(c.ppidfd);
}

// Everything from here to execve runs in the child, between clone and
// execve. The child may share the parent's memory: raw syscalls on data the
// parent prepared, no allocation, no libc, no locks, no exceptions, and no
// writes to the parent's memory (c is read-only; only locals change).
// The steps are Go's, in Go's order and under Go's labels; the ones Go
// does not have say so.

// writeProcFile writes n bytes of text to path (under /proc/self) in one
// write, as the kernel wants id maps: Go's open, write, close per file.
GOSYSCALL_CHILD Errno writeProcFile(const char* path, const char* text, uintptr n) {
  auto r =
      RawSyscall6(SYS_OPENAT, uintptr(AT_FDCWD_), uintptr(path), O_WRONLY_ | O_CLOEXEC_, 0, 0, 0);
  if (r.err) return r.err;
  const uintptr fd = r.r1;
  Errno err = RawSyscall(SYS_WRITE, fd, uintptr(text), n).err;
  Errno cerr = RawSyscall(SYS_CLOSE, fd, 0, 0).err;
  return err ? err : cerr;
}

[[noreturn]] GOSYSCALL_CHILD void forkAndExecInChild1(const Child& c) {
  static constexpr char kSetgroups[] = "/proc/self/setgroups";
  static constexpr char kGidMap[] = "/proc/self/gid_map";
  static constexpr char kUidMap[] = "/proc/self/uid_map";
  static constexpr char kNone[] = "none";
  static constexpr char kSlash[] = "/";
  const ExecArgs& a = *c.args;
  const SysProcAttr& sys = *c.sys;
  int pipe = c.pipe;
  Errno err;
  ChildStep step = ChildStep::None;  // not in Go: sent along with err, names the failed step

  // Signal handlers (not in Go's function: Go's runtime resets them in
  // runtime_AfterForkInChild): back to default before any signal can be
  // delivered, so that no handler of the parent's ever runs in the child.
  // The mask, blocked since before the clone, is restored after Foreground.
  if (c.resetHandlers) detail::resetHandlers();

  // Default handlers (not in Go: posix_spawn's SETSIGDEF, for Sigdefault),
  // the ignored ones included.
  if (!detail::sigsetEmpty(a.sigdefault)) detail::defaultHandlers(a.sigdefault);

  // Enable the "keep capabilities" flag, so that AmbientCaps survive the
  // uid change of Credential.
  if (c.ncaps != 0) {
    step = ChildStep::Keepcaps;
    err = RawSyscall6(SYS_PRCTL, PR_SET_KEEPCAPS_, 1, 0, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Wait for User ID/Group ID mappings to be written. Our copy of the
  // write end goes first, so that a parent dying before it writes ends the
  // read with EOF (EINVAL, as Go).
  if (c.mapPipe[0] >= 0) {
    step = ChildStep::IdMaps;
    err = RawSyscall(SYS_CLOSE, uintptr(c.mapPipe[1]), 0, 0).err;
    if (err) goto childerror;
    uintptr perr = 0;
    auto r = RawSyscall(SYS_READ, uintptr(c.mapPipe[0]), uintptr(&perr), sizeof perr);
    err = r.err;
    if (err) goto childerror;
    if (r.r1 != sizeof perr) {
      err = EINVAL_;
      goto childerror;
    }
    err = Errno{perr};
    if (err) goto childerror;
  }

  // Session ID
  if (sys.Setsid) {
    step = ChildStep::Setsid;
    err = RawSyscall(SYS_SETSID, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Set process group: Pgid, or (0) a new one the child leads.
  if (sys.Setpgid || sys.Foreground) {
    step = ChildStep::Setpgid;
    err = RawSyscall(SYS_SETPGID, 0, uintptr(sys.Pgid), 0).err;
    if (err) goto childerror;
  }

  // Place the process group in the foreground of the terminal Ctty (a fd
  // of the parent's). Signals are still blocked: a background group
  // calling TIOCSPGRP would otherwise be stopped by SIGTTOU.
  if (sys.Foreground) {
    step = ChildStep::Foreground;
    int pgrp = sys.Pgid;
    if (pgrp == 0) pgrp = int(RawSyscall(SYS_GETPID, 0, 0, 0).r1);
    err = RawSyscall(SYS_IOCTL, uintptr(sys.Ctty), TIOCSPGRP_, uintptr(&pgrp)).err;
    if (err) goto childerror;
  }

  // Signal mask (not in Go's function: Go's runtime restores it in
  // runtime_AfterForkInChild): the parent's, or Sigmask, now that
  // TIOCSPGRP cannot raise SIGTTOU.
  detail::restoreMask(a.sigmask ? a.sigmask : &c.sigmask);

  // Unshare
  if (sys.Unshareflags != 0) {
    step = ChildStep::Unshare;
    err = RawSyscall(SYS_UNSHARE, sys.Unshareflags, 0, 0).err;
    if (err) goto childerror;

    // The new user namespace's maps, written by the child itself (the
    // parent formatted them): setgroups before gid_map, which the kernel
    // requires for an unprivileged map.
    if (sys.Unshareflags & CLONE_NEWUSER_) {
      step = ChildStep::IdMaps;
      if (c.maps.gidmap) {
        err = writeProcFile(kSetgroups, c.maps.setgroups, c.maps.setgroupslen);
        if (err && err != ENOENT_) goto childerror;  // no such file before Linux 3.19: fine
        err = writeProcFile(kGidMap, c.maps.gidmap, c.maps.gidlen);
        if (err) goto childerror;
      }
      if (c.maps.uidmap) {
        err = writeProcFile(kUidMap, c.maps.uidmap, c.maps.uidlen);
        if (err) goto childerror;
      }
    }

    // unshare(2) leaves mounts that are shared (systemd mounts / shared)
    // shared with the old namespace, so the child's mounts would show up
    // outside. As Go and unshare(1): make every mount private.
    if (sys.Unshareflags & CLONE_NEWNS_) {
      step = ChildStep::Remount;
      err = RawSyscall6(SYS_MOUNT, uintptr(kNone), uintptr(kSlash), 0, MS_REC_ | MS_PRIVATE_, 0, 0)
                .err;
      if (err) goto childerror;
    }
  }

  // Chroot
  if (a.chroot) {
    step = ChildStep::Chroot;
    err = RawSyscall(SYS_CHROOT, uintptr(a.chroot), 0, 0).err;
    if (err) goto childerror;
  }

  // User and groups. Go's condition for setgroups: not with NoSetGroups,
  // and not where the gid map denied setgroups and Groups is empty (EPERM
  // there, for nothing).
  if (c.cred.set) {
    const bool setgroups =
        !(c.gidMappings && !sys.GidMappingsEnableSetgroups && c.cred.ngroups == 0) &&
        !c.cred.noSetGroups;
    err = detail::setCredential(c.cred, setgroups, &step);
    if (err) goto childerror;
  }

  // Ambient capabilities: each one goes into the permitted and inheritable
  // sets first (the kernel raises an ambient one only if it is in both).
  if (c.ncaps != 0) {
    step = ChildStep::AmbientCaps;
    struct {
      uint32_t version;
      int pid;
    } hdr{kCapabilityVersion3, 0};
    struct {
      uint32_t effective, permitted, inheritable;
    } data[kCapWords] = {};
    err = RawSyscall(SYS_CAPGET, uintptr(&hdr), uintptr(data), 0).err;
    if (err) goto childerror;
    for (uintptr i = 0; i < c.ncaps; i++) {
      const uint32_t bit = uint32_t(1) << (c.caps[i] & 31);
      data[c.caps[i] >> 5].permitted |= bit;  // the parent checked caps[i] < 64
      data[c.caps[i] >> 5].inheritable |= bit;
    }
    err = RawSyscall(SYS_CAPSET, uintptr(&hdr), uintptr(data), 0).err;
    if (err) goto childerror;
    for (uintptr i = 0; i < c.ncaps; i++) {
      err = RawSyscall6(SYS_PRCTL, PR_CAP_AMBIENT_, PR_CAP_AMBIENT_RAISE_, c.caps[i], 0, 0, 0).err;
      if (err) goto childerror;
    }
  }

  // Chdir
  if (a.dir) {
    step = ChildStep::Chdir;
    err = RawSyscall(SYS_CHDIR, uintptr(a.dir), 0, 0).err;
    if (err) goto childerror;
  }

  // Parent death signal: after the credentials, whose change clears it
  // (Go issue 9686). If the parent is already gone it will never come, so
  // the child sends it to itself (parentDied asks more than Go's getppid).
  if (c.pdeathsig) {
    step = ChildStep::Pdeathsig;
    err = RawSyscall6(SYS_PRCTL, PR_SET_PDEATHSIG_, uintptr(c.pdeathsig), 0, 0, 0, 0).err;
    if (err) goto childerror;
    if (parentDied(c)) {
      const uintptr self = RawSyscall(SYS_GETPID, 0, 0, 0).r1;
      err = RawSyscall(SYS_KILL, self, uintptr(c.pdeathsig), 0).err;
      if (err) goto childerror;
      // Not in Go: still here, because a pid namespace's init ignores
      // signals it sends itself, and a handled-then-reset signal may be
      // ignored. The parent is gone, so the child must not exec: end it.
      for (;;) RawSyscall(SYS_EXIT_GROUP, 128 + uintptr(c.pdeathsig), 0, 0);
    }
  }

  // Pass 1 and Pass 2: child fd i becomes Files[i] (detail::shuffleFds,
  // Go's two passes, shared with the BSD child).
  step = ChildStep::Fds;
  err = detail::shuffleFds(a, &pipe, c.nextfd);
  if (err) goto childerror;

  // Close other fds (not in Go: CloseFds).
  if (a.closeFds) detail::closeOtherFds(a, pipe);

  // Detach fd 0 from tty
  if (sys.Noctty) {
    step = ChildStep::Noctty;
    err = RawSyscall(SYS_IOCTL, 0, TIOCNOTTY_, 0).err;
    if (err) goto childerror;
  }

  // Set the controlling TTY to Ctty, a child fd now; 1 takes it from
  // another session where the child is allowed to (as Go).
  if (sys.Setctty) {
    step = ChildStep::Setctty;
    err = RawSyscall(SYS_IOCTL, uintptr(sys.Ctty), TIOCSCTTY_, 1).err;
    if (err) goto childerror;
  }

  // Enable tracing if requested. Last, so that the tracer sees execve and
  // nothing before it (Go issue 21428).
  if (sys.Ptrace) {
    step = ChildStep::Ptrace;
    err = RawSyscall6(SYS_PTRACE, PTRACE_TRACEME_, 0, 0, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Time to exec.
  step = ChildStep::Execve;
  err = RawSyscall(SYS_EXECVE, uintptr(a.argv0), uintptr(a.argv), uintptr(a.envv)).err;

childerror:
  detail::childFailed(pipe, err, step);
}

// childMain is where the child starts, on its own stack (cloneOnStack).
[[noreturn]] GOSYSCALL_NO_SANITIZE void childMain(void* c) {
  forkAndExecInChild1(*static_cast<const Child*>(c));
}

// Whether the kernel accepts CLONE_VM for a child. Cleared at the first
// EINVAL from a kernel, emulator or seccomp profile that refuses a
// shared-memory child (qemu-user takes CLONE_VM for a thread's); the
// children are then forked, which is correct, only slower.
std::atomic<bool> tryShareMemory{true};

// cloneChild creates the child on stack; the child runs childMain(&c) and
// never comes back here. It returns the child's pid, or the Errno that kept
// the child from being created, and sets *shared when the child shares our
// memory (CLONE_VM). clone3 with CLONE_CLEAR_SIGHAND resets the handlers in
// the kernel; with plain clone the child resets them itself.
SyscallResult cloneChild(Child& c, const detail::ChildStack& stack, bool* shared) {
  Clone& x = c.clone;
  const bool wantPidfd = (x.flags & CLONE_PIDFD_) != 0;
  uint64_t flags = x.flags;
  if (!tryShareMemory.load(std::memory_order_relaxed)) flags &= ~uint64_t(CLONE_VM_);
  *shared = (flags & CLONE_VM_) != 0;
  if (x.clone3 || tryClone3.load(std::memory_order_relaxed)) {
    cloneArgs ca{};
    ca.flags = flags | CLONE_CLEAR_SIGHAND_;
    ca.exitSignal = uint64_t(SIGCHLD_.value());
    if (wantPidfd) ca.pidFD = uint64_t(uintptr(&x.pidfd));
    ca.cgroup = x.cgroup;
    ca.stack = stack.base;
    ca.stackSize = stack.size;
    auto r = detail::cloneOnStack(SYS_CLONE3, uintptr(&ca), sizeof ca, 0, childMain, &c);
    if (r.err != ENOSYS_ && r.err != EINVAL_ && r.err != EPERM_) return r;
    if (x.clone3) return r;  // clone cannot do what was asked: say why
    // ENOSYS: no clone3 (Linux < 5.3, Docker's default seccomp profile).
    // EPERM: a seccomp profile that refuses it (older container runtimes,
    // systemd's SystemCallFilter=), as Go and Rust's std fall back. EINVAL:
    // a kernel without CLONE_CLEAR_SIGHAND (Linux < 5.5). EPERM and EINVAL
    // may also be the caller's namespace flags, which clone then answers
    // alike: only a failure without them proves clone3 is out of reach.
    if (r.err == ENOSYS_ || (x.flags & kCallerCloneflags) == 0)
      tryClone3.store(false, std::memory_order_relaxed);
  }
  c.resetHandlers = true;
  // With CLONE_PIDFD the kernel stores the pidfd through clone's third
  // argument (parent_tid), the third on every arch this port supports.
  const uintptr top = stack.base + stack.size;
  const uintptr ptid = wantPidfd ? uintptr(&x.pidfd) : 0;
  const uintptr sigchld = uintptr(SIGCHLD_.value());
  auto r = detail::cloneOnStack(SYS_CLONE, uintptr(flags) | sigchld, top, ptid, childMain, &c);
  if (r.err == EINVAL_ && *shared) {
    // Refused for CLONE_VM alone if a fork is accepted: remembered then.
    r = detail::cloneOnStack(SYS_CLONE, uintptr(flags & ~uint64_t(CLONE_VM_)) | sigchld, top, ptid,
                             childMain, &c);
    if (!r.err) {
      tryShareMemory.store(false, std::memory_order_relaxed);
      *shared = false;
    }
  }
  return r;
}

// cloneFlags is how sys asks for the child to be created. No system call:
// the default path costs nothing here.
Clone cloneFlags(const SysProcAttr& sys) {
  Clone x{};
  x.pidfd = -1;
  x.flags = sys.Cloneflags;
  // Shared memory (CLONE_VM), as Go: no copy of the page tables, so a
  // spawn's cost does not grow with the parent's memory. Every attribute
  // works in such a child, Ptrace and Credential included: the child's raw
  // syscalls change only its own task. Not CLONE_VFORK, which Go adds: it
  // would keep this thread in the clone until the child's execve, and
  // ForkLock with it; forkAndExec waits for the child itself, after the
  // lock. The one exception, as in Go, is a new user namespace: with
  // Cloneflags the child waits for id maps that the parent writes after
  // the clone, and with Unshareflags the kernel refuses
  // unshare(CLONE_NEWUSER) to a task that shares its memory (EINVAL).
  // Those children are forked (docs/PERFORMANCE.md).
  if (((sys.Cloneflags | sys.Unshareflags) & CLONE_NEWUSER_) == 0) x.flags |= CLONE_VM_;
  // CLONE_PIDFD and CLONE_INTO_CGROUP are fine with CLONE_VM: the kernel
  // writes the pidfd before the clone returns.
  if (sys.PidFD != nullptr) x.flags |= CLONE_PIDFD_;
  if (sys.UseCgroupFD) {
    x.flags |= CLONE_INTO_CGROUP_;
    x.cgroup = uint64_t(sys.CgroupFD);
  }
  // clone's flags word holds the exit signal in its low byte, where
  // CLONE_NEWTIME sits in clone3's: only clone3 can ask for it.
  x.clone3 = sys.UseCgroupFD || (sys.Cloneflags & CLONE_NEWTIME_) != 0;
  return x;
}

// checkAttributes rejects what the child could not do, before any child
// exists: EINVAL, as Go where Go checks.
Errno checkAttributes(const ExecArgs& args, const SysProcAttr& sys) {
  const int sig = sys.Pdeathsig.value();
  if (sig < 0 || sig > kMaxSignal) return EINVAL_;
  if (sys.Setctty && sys.Foreground) return EINVAL_;
  if (sys.Setctty && (sys.Ctty < 0 || sys.Ctty >= args.nfd)) return EINVAL_;
  if (sys.Foreground && sys.Ctty < 0) return EBADF_;
  if (sys.Pgid < 0) return EINVAL_;
  if (sys.Cloneflags & ~kCallerCloneflags) return EINVAL_;
  if (sys.UseCgroupFD && sys.CgroupFD < 0) return EBADF_;
  // With Ptrace the library's spawn thread would be the tracer, and only
  // the tracer may continue the child: the caller never could.
  if (sys.Ptrace && sys.PdeathsigProcessLifetime) return EINVAL_;
  const bool newUser = ((sys.Cloneflags | sys.Unshareflags) & CLONE_NEWUSER_) != 0;
  if (!newUser && (!sys.UidMappings.empty() || !sys.GidMappings.empty())) return EINVAL_;
  for (uintptr cap : sys.AmbientCaps)
    if (cap >= uintptr(32 * kCapWords)) return EINVAL_;
  return Errno{};
}

// closeFd closes an fd that forkAndExecInChild made, if open, and marks it
// closed.
void closeFd(int& fd) {
  if (fd >= 0) (void)Close(fd);
  fd = -1;
}

// closeParentFds closes every fd forkAndExecInChild made for the child.
void closeParentFds(Child& c) {
  closeFd(c.mapPipe[0]);
  closeFd(c.mapPipe[1]);
  closeFd(c.parentStat);
  closeFd(c.ppidfd);
}

// openDeathCheck opens what parentDied reads, close-on-exec: this thread's
// /proc stat, or, without /proc, a pidfd of this process (Linux 5.3; before
// it that case goes undetected).
void openDeathCheck(Child& c) {
  c.ppid = int(RawSyscall(SYS_GETPID, 0, 0, 0).r1);
  auto [fd, err] = Open("/proc/thread-self/stat", int(O_RDONLY_ | O_CLOEXEC_), 0);
  if (!err) {
    c.parentStat = fd;
    return;
  }
  auto r = RawSyscall(SYS_PIDFD_OPEN, uintptr(c.ppid), 0, 0);
  if (!r.err) c.ppidfd = int(r.r1);
}

// writeMapsAndReport writes the id maps of the child's new user namespace,
// then sends the waiting child the Errno that gave (its read ends with it;
// a failure comes back on the status pipe). mapPipe is a socket pair, not a
// pipe as in Go: a child that died before reading (killed, or failed at an
// earlier step) makes send fail with EPIPE, where a write to a pipe would
// raise SIGPIPE in the caller, whose default action ends the process.
void writeMapsAndReport(Child& c, int pid, const std::string& uidmap, const std::string& gidmap) {
  closeFd(c.mapPipe[0]);
  uintptr err = detail::writeUidGidMappings(pid, *c.sys, uidmap, gidmap).value();
  while (send(c.mapPipe[1], &err, sizeof err, MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
  closeFd(c.mapPipe[1]);
}

}  // namespace

void forkExecBegin(const SysProcAttr& sys) {
  if (sys.PidFD != nullptr) *sys.PidFD = -1;
}

void forkAndExecFailureCleanup(const SysProcAttr& sys) {
  // The child is reaped; its pidfd names nothing the caller will get.
  if (sys.PidFD != nullptr && *sys.PidFD >= 0) {
    (void)Close(*sys.PidFD);
    *sys.PidFD = -1;
  }
}

namespace {

// kChildStackSize is the child's stack, a local of forkAndExec's (see
// there). What the child uses is measured on the child by
// test_child_creation, which holds it to half of this: 168 bytes on amd64
// and 176 on 386 at -O2; 4.6 KiB was measured once at -O0. 16 KiB leaves
// room for more child steps.
constexpr size_t kChildStackSize = 16 * 1024;

// awaitChildLeft returns once a child that shares our memory no longer
// runs on it, as CLONE_VFORK would have waited in the clone: the child has
// exec'd (execve closed the status pipe's write end, whose last copy it
// held: POLLHUP), or it failed (it wrote its Errno: POLLIN) and then
// exited, which waitid(WNOWAIT) waits for without reaping it. ECHILD ends
// that wait too: reaped or auto-reaped, the child is gone either way.
void awaitChildLeft(int status, int pid) {
  short revents = 0;
  while (detail::ppollIn<false>(status, -1, &revents).err == EINTR_) {
  }
  if ((revents & POLLIN_) == 0) return;
  Siginfo info{};
  while (
      Syscall6(SYS_WAITID, P_PID_, uintptr(pid), uintptr(&info), WEXITED_ | WNOWAIT_, 0, 0).err ==
      EINTR_) {
  }
}

// forkAndExec is forkAndExecInChild once the attributes are checked, on
// the thread that is to be the child's parent.
std::pair<int, Errno> forkAndExec(const ExecArgs& args, const SysProcAttr& sys,
                                  const detail::Sigset& mask, int* status) {
  const int sig = sys.Pdeathsig.value();

  Child c{};
  c.args = &args;
  c.sys = &sys;
  c.pdeathsig = sig;
  c.sigmask = mask;
  c.parentStat = c.ppidfd = -1;
  c.cred = detail::childCredential(sys.Credential);
  c.clone = cloneFlags(sys);
  c.mapPipe[0] = c.mapPipe[1] = -1;
  c.gidMappings = !sys.GidMappings.empty();
  c.caps = sys.AmbientCaps.data();
  c.ncaps = sys.AmbientCaps.size();

  // Id maps: formatted here (the child cannot allocate). Who writes them:
  // the child itself right after unshare(CLONE_NEWUSER), else the parent
  // while the child waits on mapPipe.
  const bool hasMaps = !sys.UidMappings.empty() || !sys.GidMappings.empty();
  std::string uidmap, gidmap;
  if (hasMaps) {
    uidmap = detail::formatIDMappings(sys.UidMappings);
    gidmap = detail::formatIDMappings(sys.GidMappings);
  }
  const bool childWritesMaps = hasMaps && (sys.Unshareflags & CLONE_NEWUSER_) != 0;
  if (childWritesMaps) {
    static constexpr char kAllow[] = "allow", kDeny[] = "deny";
    if (!uidmap.empty()) c.maps.uidmap = uidmap.c_str(), c.maps.uidlen = uidmap.size();
    if (!gidmap.empty()) c.maps.gidmap = gidmap.c_str(), c.maps.gidlen = gidmap.size();
    c.maps.setgroups = sys.GidMappingsEnableSetgroups ? kAllow : kDeny;
    c.maps.setgroupslen = sys.GidMappingsEnableSetgroups ? sizeof kAllow - 1 : sizeof kDeny - 1;
  } else if (hasMaps) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c.mapPipe) != 0)
      return {0, Errno(uintptr(errno))};  // see writeMapsAndReport
  }

  // Parent death signal: what the child reads to learn whether this thread
  // died before the signal was armed.
  if (sig != 0) openDeathCheck(c);

  // A Files entry equal to an fd made here named a closed fd: EBADF, as in
  // exec_unix.cpp, not our fd in its place.
  for (int fd : {c.mapPipe[0], c.mapPipe[1], c.parentStat, c.ppidfd}) {
    if (fd >= 0 && detail::namesFd(args, fd)) {
      closeParentFds(c);
      return {0, EBADF_};
    }
  }

  // The stack the child runs on until it execs: on this thread's own
  // stack, in this frame, which lives until the child is done with it
  // (awaitChildLeft), as musl's posix_spawn gives its child a local array.
  // Nothing to allocate, free, or share with other threads' spawns, which
  // run at the same time, each on its own thread's stack. A forked child
  // runs on its copy of it.
  alignas(16) unsigned char stack[kChildStackSize];

  // Create the child under ForkLock, from the status pipe to the closing of
  // our write end (exec_args.hpp). Every signal is blocked (see
  // forkAndExecInChild): the child cannot run a handler of the parent's
  // before it has reset them.
  int p[2];
  SyscallResult r;
  bool shared = false;
  {
    std::unique_lock<std::shared_mutex> forking(ForkLock);
    if (Errno err = openStatusPipe(args, p)) {
      closeParentFds(c);
      return {0, err};
    }
    c.pipe = p[1];
    c.nextfd = detail::firstFreeFd(args, p[1]);
    r = cloneChild(c, detail::ChildStack{uintptr(stack), sizeof stack}, &shared);
    (void)Close(p[1]);
  }

  // A child that shares our memory reads c, and runs on stack, until it
  // execs or exits: nothing of either may change before then.
  if (!r.err && shared) awaitChildLeft(p[0], int(r.r1));

  // Parent: the death check's fds are the child's now.
  closeFd(c.parentStat);
  closeFd(c.ppidfd);
  if (r.err) {
    closeParentFds(c);
    (void)Close(p[0]);
    return {0, r.err};
  }
  const int pid = int(r.r1);

  // A kernel before 5.2 ignores CLONE_PIDFD in clone: no pidfd came back.
  // The child must not outlive a failed ForkExec: end and reap it.
  if ((c.clone.flags & CLONE_PIDFD_) && c.clone.pidfd < 0) {
    closeParentFds(c);
    (void)Close(p[0]);
    (void)Kill(pid, SIGKILL_);
    WaitStatus ws;
    while (Wait4(pid, &ws, 0, nullptr).second == EINTR_) {
    }
    return {0, ENOSYS_};
  }
  if (sys.PidFD != nullptr) *sys.PidFD = c.clone.pidfd;

  // Write maps, then tell the waiting child how it went.
  if (c.mapPipe[1] >= 0) writeMapsAndReport(c, pid, uidmap, gidmap);
  *status = p[0];
  return {pid, Errno{}};
}

}  // namespace

std::pair<int, Errno> forkAndExecInChild(const ExecArgs& args, const SysProcAttr& sys,
                                         const detail::Sigset& mask, int* status) {
  // Check attributes: a bad one fails here, before any child or thread exists.
  if (Errno err = checkAttributes(args, sys)) return {0, err};
  if (!sys.PdeathsigProcessLifetime) return forkAndExec(args, sys, mask, status);

  // Not in Go: the child is created from a thread of the library's, which
  // lives as long as the child, so that the death signal follows the
  // process (spawn_thread.hpp).
  struct Request {
    const ExecArgs* args;
    const SysProcAttr* sys;
    const detail::Sigset* mask;
    int* status;
    std::pair<int, Errno> result;
  } req{&args, &sys, &mask, status, {0, Errno{}}};
  auto run = [](void* p) -> int {
    auto* r = static_cast<Request*>(p);
    r->result = forkAndExec(*r->args, *r->sys, *r->mask, r->status);
    return r->result.first;  // the child the spawn thread lives for
  };
  if (Errno err = detail::onSpawnThread(run, &req)) return {0, err};
  return req.result;
}

}  // namespace go::syscall
