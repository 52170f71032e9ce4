// SPDX-License-Identifier: BSD-3-Clause
// The wrappers declared in syscall_linux.hpp. Each is one system call
// (Getgroups: two), through RawSyscall where Go uses //sysnb and Syscall
// where Go uses //sys (see the header).
#include "syscall/syscall_linux.hpp"

namespace go::syscall {

namespace {

// An int argument as the kernel wants it in a register: sign-extended to the
// word, so -1 stays -1 (the kernel reads the low 32 bits of an int argument
// on 64-bit arches, and either way the value is the same).
constexpr uintptr arg(int v) { return uintptr(intptr_t(v)); }

// Same for a pointer.
uintptr arg(const void* p) { return reinterpret_cast<uintptr>(p); }

}  // namespace

int Getpid() noexcept { return int(RawSyscall(SYS_GETPID, 0, 0, 0).r1); }
int Getppid() noexcept { return int(RawSyscall(SYS_GETPPID, 0, 0, 0).r1); }
int Gettid() noexcept { return int(RawSyscall(SYS_GETTID, 0, 0, 0).r1); }
int Getuid() noexcept { return int(RawSyscall(sys_GETUID, 0, 0, 0).r1); }
int Geteuid() noexcept { return int(RawSyscall(sys_GETEUID, 0, 0, 0).r1); }
int Getgid() noexcept { return int(RawSyscall(sys_GETGID, 0, 0, 0).r1); }
int Getegid() noexcept { return int(RawSyscall(sys_GETEGID, 0, 0, 0).r1); }

Errno Kill(int pid, Signal sig) noexcept {
  return RawSyscall(SYS_KILL, arg(pid), arg(sig.value()), 0).err;
}

Errno Tgkill(int tgid, int tid, Signal sig) noexcept {
  return RawSyscall(SYS_TGKILL, arg(tgid), arg(tid), arg(sig.value())).err;
}

std::pair<int, Errno> Wait4(int pid, WaitStatus* wstatus, int options, Rusage* rusage) noexcept {
  // The kernel stores a C int; Go's WaitStatus is that int as a uint32.
  int status = 0;
  SyscallResult r = Syscall6(SYS_WAIT4, arg(pid), arg(&status), arg(options), arg(rusage), 0, 0);
  if (wstatus != nullptr) *wstatus = WaitStatus(uint32_t(status));
  return {int(r.r1), r.err};
}

Errno Pipe2(int (&p)[2], int flags) noexcept {
  // Into a local first, as Go: p is left alone if the call fails.
  int pp[2] = {-1, -1};
  SyscallResult r = RawSyscall(SYS_PIPE2, arg(pp), arg(flags), 0);
  if (!r.err) {
    p[0] = pp[0];
    p[1] = pp[1];
  }
  return r.err;
}

#if defined(GOSYSCALL_ASM_GENERIC)
// The asm-generic syscall table (arm64, riscv64) has no dup2: it is dup3(old, new, 0),
// as in Go's syscall_linux_arm64.go, except for one case dup3 answers
// differently. dup2(fd, fd) must return fd if fd is open (and EBADF if not)
// while dup3(fd, fd, 0) is EINVAL. So test fd with F_GETFD, as glibc does.
Errno Dup2(int oldfd, int newfd) noexcept {
  if (oldfd == newfd) {
    return Syscall(sys_FCNTL, arg(oldfd), arg(int(F_GETFD_)), 0).err;
  }
  return Syscall(SYS_DUP3, arg(oldfd), arg(newfd), 0).err;
}
#else
Errno Dup2(int oldfd, int newfd) noexcept {
  return Syscall(SYS_DUP2, arg(oldfd), arg(newfd), 0).err;
}
#endif

Errno Dup3(int oldfd, int newfd, int flags) noexcept {
  return Syscall(SYS_DUP3, arg(oldfd), arg(newfd), arg(flags)).err;
}

Errno Close(int fd) noexcept { return Syscall(SYS_CLOSE, arg(fd), 0, 0).err; }

std::pair<ssize_t, Errno> Read(int fd, void* p, size_t n) noexcept {
  SyscallResult r = Syscall(SYS_READ, arg(fd), arg(p), uintptr(n));
  return {ssize_t(r.r1), r.err};
}

std::pair<ssize_t, Errno> Write(int fd, const void* p, size_t n) noexcept {
  SyscallResult r = Syscall(SYS_WRITE, arg(fd), arg(p), uintptr(n));
  return {ssize_t(r.r1), r.err};
}

std::pair<int, Errno> Open(const char* path, int mode, uint32_t perm) noexcept {
  SyscallResult r = Syscall6(SYS_OPENAT, arg(int(AT_FDCWD_)), arg(path), arg(mode) | O_LARGEFILE_,
                             uintptr(perm), 0, 0);
  return {int(r.r1), r.err};
}

std::pair<int, Errno> Fcntl(int fd, int cmd, int a) noexcept {
  SyscallResult r = Syscall(sys_FCNTL, arg(fd), arg(cmd), arg(a));
  return {int(r.r1), r.err};
}

Errno Prctl(int option, uintptr arg2, uintptr arg3, uintptr arg4, uintptr arg5) noexcept {
  return Syscall6(SYS_PRCTL, arg(option), arg2, arg3, arg4, arg5, 0).err;
}

std::pair<int, Errno> Setsid() noexcept {
  SyscallResult r = RawSyscall(SYS_SETSID, 0, 0, 0);
  return {int(r.r1), r.err};
}

Errno Setpgid(int pid, int pgid) noexcept {
  return RawSyscall(SYS_SETPGID, arg(pid), arg(pgid), 0).err;
}

std::pair<int, Errno> Getpgid(int pid) noexcept {
  SyscallResult r = RawSyscall(SYS_GETPGID, arg(pid), 0, 0);
  return {int(r.r1), r.err};
}

#if defined(GOSYSCALL_ASM_GENERIC)
// No getpgrp in the asm-generic table: it is getpgid(0), as in Go's
// syscall_linux_arm64.go (getpgid(0) cannot fail).
int Getpgrp() noexcept { return Getpgid(0).first; }
#else
int Getpgrp() noexcept { return int(RawSyscall(SYS_GETPGRP, 0, 0, 0).r1); }
#endif

Errno Chdir(const char* path) noexcept { return Syscall(SYS_CHDIR, arg(path), 0, 0).err; }
Errno Chroot(const char* path) noexcept { return Syscall(SYS_CHROOT, arg(path), 0, 0).err; }

Errno Setuid(int uid) noexcept { return RawSyscall(sys_SETUID, arg(uid), 0, 0).err; }
Errno Setgid(int gid) noexcept { return RawSyscall(sys_SETGID, arg(gid), 0, 0).err; }

static_assert(sizeof(int) == 4, "the kernel's gid_t is 32 bits: Setgroups passes int[] as gid_t[]");

Errno Setgroups(const std::vector<int>& gids) noexcept {
  // Go passes a null pointer for an empty list, which clears the groups.
  const int* p = gids.empty() ? nullptr : gids.data();
  return RawSyscall(sys_SETGROUPS, uintptr(gids.size()), arg(p), 0).err;
}

std::pair<std::vector<int>, Errno> Getgroups() {
  // First ask how many, then fetch; as Go. Another thread may change the list
  // in between, and then the kernel's EINVAL (too small) is returned.
  SyscallResult r = RawSyscall(sys_GETGROUPS, 0, 0, 0);
  if (r.err) return {{}, r.err};
  int n = int(r.r1);
  if (n == 0) return {{}, Errno()};
  // Go's sanity bound; the kernel's is NGROUPS_MAX, 65536.
  if (n < 0 || n > (1 << 20)) return {{}, EINVAL_};
  std::vector<int> gids(static_cast<size_t>(n));
  r = RawSyscall(sys_GETGROUPS, arg(n), arg(gids.data()), 0);
  if (r.err) return {{}, r.err};
  gids.resize(size_t(r.r1));
  return {std::move(gids), Errno()};
}

Errno Waitid(int idtype, int id, Siginfo* info, int options, Rusage* rusage) noexcept {
  return Syscall6(SYS_WAITID, arg(idtype), arg(id), arg(info), arg(options), arg(rusage), 0).err;
}

Errno Unshare(int flags) noexcept { return RawSyscall(SYS_UNSHARE, arg(flags), 0, 0).err; }

Errno Mount(const char* source, const char* target, const char* fstype, uintptr flags,
            const char* data) noexcept {
  return Syscall6(SYS_MOUNT, arg(source), arg(target), arg(fstype), flags, arg(data), 0).err;
}

std::pair<int, Errno> PidfdOpen(int pid, int flags) noexcept {
  SyscallResult r = RawSyscall(SYS_PIDFD_OPEN, arg(pid), arg(flags), 0);
  return {int(r.r1), r.err};
}

Errno PidfdSendSignal(int pidfd, Signal sig, Siginfo* info, int flags) noexcept {
  return RawSyscall6(SYS_PIDFD_SEND_SIGNAL, arg(pidfd), arg(sig.value()), arg(info), arg(flags), 0,
                     0)
      .err;
}

void Exit(int code) noexcept {
  // exit_group cannot return; the loop only tells the compiler so without
  // relying on a builtin, and would retry should it ever come back.
  for (;;) RawSyscall(SYS_EXIT_GROUP, arg(code), 0, 0);
}

}  // namespace go::syscall
