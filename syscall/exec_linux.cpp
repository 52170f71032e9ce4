// The Linux child side of fork/exec (Go's exec_linux.go forkAndExecInChild):
// create the child, which applies SysProcAttr to itself and calls execve.
#include "syscall/exec_linux.hpp"

#include <atomic>

#include "syscall/clone_linux.hpp"
#include "syscall/exec_child.hpp"

namespace go::syscall {

namespace {

using detail::ChildCredential;
using detail::kMaxSignal;

constexpr short kPollIn = 0x1;  // POLLIN, the same on every arch

// Child: everything the child needs, prepared by the parent and only read
// by the child (musl's posix_spawn hands its child one such struct).
struct Child {
  const ExecArgs* args;
  const SysProcAttr* sys;
  int pipe;                // status pipe, write end
  int nextfd;              // see detail::firstFreeFd
  ChildCredential cred;
  int pdeathsig;           // 0: not asked for
  int ppid;                // the parent's pid, saved before the clone
  int ppidfd;              // a pidfd of the parent, or -1
  bool resetHandlers;      // the clone did not already reset them
  uint64_t sigmask;        // the parent's mask, to restore in the child
};

// clone_args as clone3 takes it, up to CLONE_ARGS_SIZE_VER0.
struct CloneArgs {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

// Whether clone3 may be tried: it is ENOSYS before Linux 5.3, and
// CLONE_CLEAR_SIGHAND is EINVAL before 5.5. Cleared at the first failure.
std::atomic<bool> tryClone3{true};

// parentDied tells whether the parent died before prctl armed the signal,
// in which case the kernel will never send it. getppid() differs from the
// saved pid once the child was reparented (to init, to a subreaper, or to
// a container's init: comparing with 1 would be wrong). It is 0 when the
// parent lives outside the child's pid namespace; the parent's pidfd then
// tells, as it becomes readable when the parent exits.
GOSYSCALL_CHILD bool parentDied(const Child& c) {
  const int ppid = int(RawSyscall(SYS_GETPPID, 0, 0, 0).r1);
  if (ppid != 0) return ppid != c.ppid;
  if (c.ppidfd < 0) return false;  // no pidfd (Linux < 5.3): cannot tell
  struct {
    int fd;
    short events, revents;
  } pfd{c.ppidfd, kPollIn, 0};
  const long zero[2] = {0, 0};  // struct timespec of this arch's ppoll
  auto r = RawSyscall6(SYS_PPOLL, uintptr(&pfd), 1, uintptr(zero), 0, 0, 0);
  return !r.err && r.r1 == 1;
}

// Everything from here to execve runs in the child, between clone and
// execve. The child may share the parent's memory: raw syscalls on data the
// parent prepared, no allocation, no libc, no locks, no exceptions, and no
// writes to the parent's memory (c is read-only; only locals change).
[[noreturn]] void forkAndExecInChild1(const Child& c) {
  const ExecArgs& a = *c.args;
  const SysProcAttr& sys = *c.sys;
  int pipe = c.pipe;
  Errno err;

  // Signal handlers: back to default before any signal can be delivered,
  // so that no handler of the parent's ever runs in the child; then the
  // parent's mask, blocked since before the clone.
  if (c.resetHandlers) detail::resetHandlers();
  detail::restoreMask(&c.sigmask);

  // Session ID
  if (sys.Setsid) {
    err = RawSyscall(SYS_SETSID, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Process group
  if (sys.Setpgid) {
    err = RawSyscall(SYS_SETPGID, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Root directory
  if (a.chroot) {
    err = RawSyscall(SYS_CHROOT, uintptr(a.chroot), 0, 0).err;
    if (err) goto childerror;
  }

  // User identity
  if (c.cred.set) {
    err = detail::setCredential(c.cred);
    if (err) goto childerror;
  }

  // Working directory
  if (a.dir) {
    err = RawSyscall(SYS_CHDIR, uintptr(a.dir), 0, 0).err;
    if (err) goto childerror;
  }

  // Parent-death signal: after the credentials, whose change clears it
  // (Go issue 9686). If the parent is already gone it will never come, so
  // the child sends it to itself.
  if (c.pdeathsig) {
    err = RawSyscall6(SYS_PRCTL, PR_SET_PDEATHSIG_, uintptr(c.pdeathsig), 0, 0, 0, 0).err;
    if (err) goto childerror;
    if (parentDied(c)) {
      const uintptr self = RawSyscall(SYS_GETPID, 0, 0, 0).r1;
      err = RawSyscall(SYS_KILL, self, uintptr(c.pdeathsig), 0).err;
      if (err) goto childerror;
      // Still here: a pid namespace's init ignores signals it sends
      // itself, and a handled-then-reset signal may be ignored. The parent
      // is gone, so the child must not exec: end it.
      for (;;) RawSyscall(SYS_EXIT_GROUP, 128 + uintptr(c.pdeathsig), 0, 0);
    }
  }

  // File descriptors
  err = detail::shuffleFds(a, &pipe, c.nextfd);
  if (err) goto childerror;

  // Detach terminal
  if (sys.Noctty) {
    err = RawSyscall(SYS_IOCTL, 0, TIOCNOTTY_, 0).err;
    if (err) goto childerror;
  }

  // Controlling terminal
  if (sys.Setctty) {
    err = RawSyscall(SYS_IOCTL, 0, TIOCSCTTY_, 0).err;
    if (err) goto childerror;
  }

  // Enable tracing: last, so that the tracer sees execve and nothing before
  // it (Go issue 21428).
  if (sys.Ptrace) {
    err = RawSyscall6(SYS_PTRACE, PTRACE_TRACEME_, 0, 0, 0, 0, 0).err;
    if (err) goto childerror;
  }

  // Time to exec.
  err = RawSyscall(SYS_EXECVE, uintptr(a.argv0), uintptr(a.argv), uintptr(a.envv)).err;

childerror:
  detail::childFailed(pipe, err);
}

// childMain is where the child starts, on its own stack (cloneOnStack).
[[noreturn]] void childMain(void* c) { forkAndExecInChild1(*static_cast<const Child*>(c)); }

// shareMemory tells whether the child may share the parent's memory
// (CLONE_VM|CLONE_VFORK: no copy of the page tables, so the cost does not
// grow with the parent's memory; the parent is suspended until the child
// has exec'd or exited). Every attribute so far works in such a child, as
// in Go, which uses it with Ptrace and Credential too: the child makes raw
// syscalls that change only its own task (libc's setuid would act on every
// thread of the parent, which is why CPython forks for credentials);
// PTRACE_TRACEME takes effect at execve, after which the parent resumes.
// Fork semantics are needed only where the parent must act on the child
// before it execs: Go forks when CLONE_NEWUSER is asked for, because the
// parent writes the child's uid and gid maps while the child waits on a
// pipe, and a parent suspended by CLONE_VFORK would never write them. Such a
// case goes here, named, and in docs/PERFORMANCE.md.
bool shareMemory(const SysProcAttr& /*sys*/) { return true; }

// Whether the kernel accepts CLONE_VM|CLONE_VFORK. Cleared at the first
// EINVAL from a kernel, emulator or seccomp profile that refuses a
// shared-memory child; the children are then forked, which is correct, only
// slower. (qemu-user 7.2 accepts the flags and forks on its own: the child
// then runs on its copy of the stack, correct too.)
std::atomic<bool> tryVfork{true};

// cloneChild creates the child on stack; the child runs childMain(&c) and
// never comes back here. It returns the child's pid, or the Errno that kept
// the child from being created. clone3 with CLONE_CLEAR_SIGHAND resets the
// handlers in the kernel; with plain clone the child resets them itself.
SyscallResult cloneChild(Child& c, const detail::ChildStack& stack) {
  uint64_t flags = 0;
  if (shareMemory(*c.sys) && tryVfork.load(std::memory_order_relaxed))
    flags = CLONE_VM_ | CLONE_VFORK_;
  if (tryClone3.load(std::memory_order_relaxed)) {
    CloneArgs ca{};
    ca.flags = flags | CLONE_CLEAR_SIGHAND_;
    ca.exit_signal = uint64_t(SIGCHLD_.value());
    ca.stack = stack.base;
    ca.stack_size = stack.size;
    auto r = detail::cloneOnStack(SYS_CLONE3, uintptr(&ca), sizeof ca, 0, childMain, &c);
    if (r.err != ENOSYS_ && r.err != EINVAL_) return r;
    tryClone3.store(false, std::memory_order_relaxed);
  }
  c.resetHandlers = true;
  const uintptr top = stack.base + stack.size;
  const uintptr sigchld = uintptr(SIGCHLD_.value());
  auto r = detail::cloneOnStack(SYS_CLONE, uintptr(flags) | sigchld, top, 0, childMain, &c);
  if (r.err == EINVAL_ && flags != 0) {
    tryVfork.store(false, std::memory_order_relaxed);
    r = detail::cloneOnStack(SYS_CLONE, sigchld, top, 0, childMain, &c);
  }
  return r;
}

}  // namespace

std::pair<int, Errno> forkAndExecInChild(const ExecArgs& args, const SysProcAttr& sys, int pipe) {
  // Check attributes: a bad one fails here, before any child exists.
  const int sig = sys.Pdeathsig.value();
  if (sig < 0 || sig > kMaxSignal) return {0, EINVAL_};

  // The stack the child runs on; ours alone while ForkLock is held, as our
  // caller (exec_unix.cpp) holds it.
  detail::ChildStack stack;
  if (Errno err = detail::childStack(&stack)) return {0, err};

  Child c{};
  c.args = &args;
  c.sys = &sys;
  c.pipe = pipe;
  c.nextfd = detail::firstFreeFd(args, pipe);
  c.pdeathsig = sig;
  c.ppidfd = -1;
  c.cred = detail::childCredential(sys.Credential);

  // Record parent PID, and a pidfd of it for a child that cannot see it
  // (another pid namespace: getppid() is 0 there). The pidfd is
  // close-on-exec. Before Linux 5.3 there is none, and that case goes
  // undetected.
  c.ppid = int(RawSyscall(SYS_GETPID, 0, 0, 0).r1);
  if (sig != 0) {
    auto r = RawSyscall(SYS_PIDFD_OPEN, uintptr(c.ppid), 0, 0);
    if (!r.err) c.ppidfd = int(r.r1);
    if (c.ppidfd >= 0 && detail::namesFd(args, c.ppidfd)) {
      RawSyscall(SYS_CLOSE, uintptr(c.ppidfd), 0, 0);
      return {0, EBADF_};  // a closed fd in Files, as in exec_unix.cpp
    }
  }

  // Block every signal across the clone: the child must not run a handler
  // of the parent's before it has reset them.
  detail::blockSignals(&c.sigmask);

  auto r = cloneChild(c, stack);

  // Parent: the mask back as it was; the pidfd is no longer needed.
  detail::restoreMask(&c.sigmask);
  if (c.ppidfd >= 0) RawSyscall(SYS_CLOSE, uintptr(c.ppidfd), 0, 0);
  if (r.err) return {0, r.err};
  return {int(r.r1), Errno{}};
}

}  // namespace go::syscall
