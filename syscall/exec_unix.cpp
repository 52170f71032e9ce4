// SPDX-License-Identifier: BSD-3-Clause
// The parent side of fork/exec (Go's exec_unix.go forkExec): check and
// convert every string, have the backend create the child, and learn from
// the status pipe whether execve succeeded.
#include "syscall/exec_unix.hpp"

#include <sys/resource.h>

#include <climits>
#include <cstdlib>
#include <tuple>

#include "syscall/hooks.hpp"
#include "syscall/internal/exec_args.hpp"
#include "syscall/internal/exec_child.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/syscall_linux.hpp"
#include "syscall/wait.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

namespace go::syscall {

std::shared_mutex ForkLock;

namespace {

// A NUL byte inside a string would silently cut it short in the child. An
// empty argv is refused as well (EINVAL): a program started with argc 0
// may take its environment for its arguments (pkexec, CVE-2021-4034).
bool hasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

// cstrings points out[i] at in[i] and ends out with nullptr; false if any
// string holds a NUL byte. No copy: std::string keeps a terminating NUL.
bool cstrings(const std::vector<std::string>& in, std::vector<const char*>& out) {
  out.reserve(in.size() + 1);
  for (const auto& s : in) {
    if (hasNul(s)) return false;
    out.push_back(s.c_str());
  }
  out.push_back(nullptr);
  return true;
}

// childFds converts Files to the child's fd table: uintptr(-1) is a closed
// fd, anything else must be a valid fd number.
Errno childFds(const std::vector<uintptr>& files, std::vector<int>& fd, int& maxfd) {
  fd.reserve(files.size());
  maxfd = -1;
  for (uintptr f : files) {
    if (f == ~uintptr(0)) {
      fd.push_back(-1);
      continue;
    }
    // INT_MAX is no fd either (the kernel caps fds at fs.nr_open, below
    // it), and the child's first free fd, maxfd + 1, must fit an int.
    if (f >= uintptr(INT_MAX)) return EBADF_;
    fd.push_back(int(f));
    if (int(f) > maxfd) maxfd = int(f);
  }
  return Errno{};
}

// readStatus reads what the child wrote on the status pipe. The pipe is
// close-on-exec, so EOF means execve succeeded; otherwise the child sent
// its errno and the step that failed, native-endian, in one write
// (atomic: far below PIPE_BUF).
std::pair<Errno, ChildStep> readStatus(int fd) {
  uintptr msg[2] = {0, 0};
  for (;;) {
    auto [n, err] = Read(fd, msg, sizeof msg);
    if (err == EINTR_) continue;
    if (err) return {err, ChildStep::None};
    if (n == 0) return {Errno{}, ChildStep::None};
    if (n == sizeof msg) return {Errno{msg[0]}, ChildStep(msg[1])};
    return {EPIPE_, ChildStep::None};  // a short message: the child died while writing it
  }
}

// signalSet converts sigs to the kernel's mask; false if one is no signal
// number.
bool signalSet(const std::vector<Signal>& sigs, detail::Sigset* set) {
  *set = detail::Sigset{};
  for (Signal s : sigs) {
    if (s.value() < 1 || s.value() > detail::kMaxSignal) return false;
    detail::sigsetAdd(*set, s.value());
  }
  return true;
}

// closeRangeWorks asks close_range to close nothing (one fd number above
// any fd): 0 where Linux 5.9+ lets this process use it. The child has the
// same kernel and seccomp filters, so it will not need CloseFds' fallback.
bool closeRangeWorks() { return !RawSyscall(SYS_CLOSE_RANGE, ~0U, ~0U, 0).err; }

// fdTableSize is the size of this process's fd table (FDSize in
// /proc/self/status): every open fd is below it. 0 if /proc cannot tell.
unsigned fdTableSize() {
  auto [fd, err] = Open("/proc/self/status", int(O_RDONLY_ | O_CLOEXEC_), 0);
  if (err) return 0;
  std::string text;
  char buf[1024];
  for (;;) {
    auto [n, rerr] = Read(fd, buf, sizeof buf);
    if (rerr == EINTR_) continue;
    if (rerr || n <= 0) break;
    text.append(buf, size_t(n));
  }
  (void)Close(fd);
  const auto at = text.find("\nFDSize:");
  if (at == std::string::npos) return 0;
  return unsigned(std::strtoul(text.c_str() + at + 8, nullptr, 10));
}

// fdLimit is the bound of CloseFds' fallback, above every fd the child can
// hold: the child closes each number below it where close_range fails. An
// fd can lie above the soft RLIMIT_NOFILE (opened before the limit was
// lowered, or inherited), never above the fd table, which the child copies
// at the clone. Without /proc, the hard limit bounds it, capped at
// fs.nr_open's default (1 << 20), which a process rarely exceeds.
unsigned fdLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) rl.rlim_cur = rl.rlim_max = rlim_t(INT_MAX);
  const unsigned soft = rl.rlim_cur > rlim_t(INT_MAX) ? INT_MAX : unsigned(rl.rlim_cur);
  if (closeRangeWorks()) return soft;
  unsigned table = fdTableSize();
  if (table == 0) table = rl.rlim_max > rlim_t(1 << 20) ? 1U << 20 : unsigned(rl.rlim_max);
  return table > soft ? table : soft;
}

// reap collects a child that failed, so that it leaves no zombie.
void reap(int pid) {
  WaitStatus ws;
  while (Wait4(pid, &ws, 0, nullptr).second == EINTR_) {
  }
}

std::pair<int, Errno> forkExec(const std::string& argv0, const std::vector<std::string>& argv,
                               const ProcAttr* attr) {
  static const ProcAttr zeroProcAttr;
  static const SysProcAttr zeroSysProcAttr;
  if (attr == nullptr) attr = &zeroProcAttr;
  const SysProcAttr& sys = attr->Sys ? *attr->Sys : zeroSysProcAttr;
  forkExecBegin(sys);
  if (sys.FailedStep != nullptr) *sys.FailedStep = ChildStep::None;

  // Convert args to C form: here, before the child exists, so that bad
  // input creates no child and the child needs no allocation.
  std::vector<const char*> argvp, envvp;
  std::vector<int> fd;
  ExecArgs args{};
  if (argv.empty() || hasNul(argv0) || hasNul(attr->Dir) || hasNul(sys.Chroot) ||
      !cstrings(argv, argvp) || !cstrings(attr->Env, envvp))
    return {0, EINVAL_};
  if (Errno err = childFds(attr->Files, fd, args.maxfd)) return {0, err};
  // The signal sets, as the kernel takes them. SIGKILL and SIGSTOP cannot
  // be changed: left out of Sigdefault.
  detail::Sigset sigmask;
  if (sys.Sigmask && !signalSet(*sys.Sigmask, &sigmask)) return {0, EINVAL_};
  if (!signalSet(sys.Sigdefault, &args.sigdefault)) return {0, EINVAL_};
  detail::sigsetDel(args.sigdefault, SIGKILL_.value());
  detail::sigsetDel(args.sigdefault, SIGSTOP_.value());
  args.sigmask = sys.Sigmask ? &sigmask : nullptr;
  args.argv0 = argv0.c_str();
  args.argv = argvp.data();
  args.envv = envvp.data();
  // Go's "if chroot != nil", "if dir != nil": nullptr where not asked for.
  args.chroot = sys.Chroot.empty() ? nullptr : sys.Chroot.c_str();
  args.dir = attr->Dir.empty() ? nullptr : attr->Dir.c_str();
  args.fd = fd.data();
  args.nfd = int(fd.size());
  args.closeFds = sys.CloseFds;
  if (sys.CloseFds) args.fdLimit = fdLimit();

  // Every signal blocked from before the runtime's BeforeFork hook until
  // after its AfterFork, as Go's runtime_BeforeFork and runtime_AfterFork
  // do: no handler runs while the child is being made, nor in a child
  // that has not reset the handlers yet; the child gets mask back. The
  // backend takes ForkLock itself, for the clone alone (exec_args.hpp).
  const ForkHooks* hooks = GetForkHooks();
  detail::Sigset mask;
  detail::blockSignals(&mask);
  if (hooks && hooks->BeforeFork) hooks->BeforeFork();
  int status = -1;
  auto [pid, err] = forkAndExecInChild(args, sys, mask, &status);
  if (hooks && hooks->AfterFork) hooks->AfterFork();
  detail::restoreMask(&mask);
  if (err) return {0, err};

  ChildStep step;
  std::tie(err, step) = readStatus(status);
  (void)Close(status);
  if (err) {
    if (sys.FailedStep != nullptr) *sys.FailedStep = step;
    reap(pid);
    forkAndExecFailureCleanup(sys);
    return {0, err};
  }
  return {pid, Errno{}};
}

}  // namespace

Errno openStatusPipe(const ExecArgs& args, int (&p)[2]) {
  if (Errno err = Pipe2(p, int(O_CLOEXEC_))) return err;
  if (detail::namesFd(args, p[0]) || detail::namesFd(args, p[1])) {
    (void)Close(p[0]);
    (void)Close(p[1]);
    return EBADF_;
  }
  return Errno{};
}

std::pair<int, Errno> ForkExec(const std::string& argv0, const std::vector<std::string>& argv,
                               const ProcAttr* attr) {
  return forkExec(argv0, argv, attr);
}

std::tuple<int, uintptr, Errno> StartProcess(const std::string& argv0,
                                             const std::vector<std::string>& argv,
                                             const ProcAttr* attr) {
  auto [pid, err] = forkExec(argv0, argv, attr);
  return {pid, 0, err};
}

Errno Exec(const std::string& argv0, const std::vector<std::string>& argv,
           const std::vector<std::string>& envv) {
  std::vector<const char*> argvp, envvp;
  if (argv.empty() || hasNul(argv0) || !cstrings(argv, argvp) || !cstrings(envv, envvp))
    return EINVAL_;
  return RawSyscall(SYS_EXECVE, uintptr(argv0.c_str()), uintptr(argvp.data()),
                    uintptr(envvp.data()))
      .err;
}

}  // namespace go::syscall
