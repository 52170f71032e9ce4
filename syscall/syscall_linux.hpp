// SPDX-License-Identifier: BSD-3-Clause
// Thin wrappers over single Linux system calls, named and shaped as Go's
// syscall package (syscall_linux.go and friends).
//
// Each is one RawSyscall or Syscall with a generated SYS_* number, and
// returns what Go's returns: std::pair<value, Errno> where Go returns a value
// and an error, Errno alone where Go returns only an error, the value alone
// where Go's cannot fail. None reads or writes errno.
//
// Raw or hooked, as Go's //sysnb and //sys: calls that can block (wait4,
// read, write, open, close, dup2/dup3, fcntl, chdir, chroot, prctl) go
// through Syscall so an embedding runtime's hooks (hooks.hpp) run around
// them; calls that cannot block use RawSyscall. None of these is meant for a
// child after clone(CLONE_VM): the child side calls RawSyscall directly.
//
// Types: Go's int becomes int (pids, fds, ids, flags: 32 bits in the kernel
// too) except for byte counts, which are ssize_t because Go's int is a word.
#pragma once

#include <sys/types.h>  // ssize_t

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "syscall/hooks.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/types.hpp"
#include "syscall/wait.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

namespace go::syscall {

// The kernel's struct rusage as wait4 and getrusage fill it. Every field is a
// C long in the kernel (__kernel_long_t; timeval is __kernel_old_timeval, two
// longs, on every arch: there is no 64-bit-time rusage syscall), so `long`
// gives the right layout on both word sizes: 72 bytes on 386/arm, 144 on
// amd64/arm64. Field names are Go's.
struct Timeval {
  long Sec;
  long Usec;
};

struct Rusage {
  Timeval Utime;  // user CPU time
  Timeval Stime;  // system CPU time
  long Maxrss;    // maximum resident set size, KiB
  long Ixrss;     // unused by Linux (always 0) from here to Isrss
  long Idrss;
  long Isrss;
  long Minflt;    // page faults served without I/O
  long Majflt;    // page faults that needed I/O
  long Nswap;     // unused
  long Inblock;   // block input operations
  long Oublock;   // block output operations
  long Msgsnd;    // unused
  long Msgrcv;    // unused
  long Nsignals;  // unused
  long Nvcsw;     // voluntary context switches
  long Nivcsw;    // involuntary context switches
};
static_assert(sizeof(Rusage) == SIZEOF_RUSAGE_ &&
                  offsetof(Rusage, Nivcsw) == OFFSETOF_RUSAGE_NIVCSW_,
              "Rusage must match the kernel's struct rusage (generated)");

// Process and thread ids (cannot fail).
int Getpid() noexcept;
int Getppid() noexcept;
int Gettid() noexcept;
int Getuid() noexcept;
int Geteuid() noexcept;
int Getgid() noexcept;
int Getegid() noexcept;

// Signals.
Errno Kill(int pid, Signal sig) noexcept;
Errno Tgkill(int tgid, int tid, Signal sig) noexcept;

// As Go: *wstatus is written whenever wstatus is non-null, also when wait4
// fails or (WNOHANG) no child changed state; then it holds 0. rusage may be
// null.
std::pair<int, Errno> Wait4(int pid, WaitStatus* wstatus, int options, Rusage* rusage) noexcept;

// File descriptors. Pipe2 writes p only on success.
Errno Pipe2(int (&p)[2], int flags) noexcept;
// dup2(fd, fd) is a no-op that succeeds if fd is open and fails with EBADF
// if not, on every arch (on arm64 too, where it is built from dup3, which
// rejects equal fds with EINVAL).
Errno Dup2(int oldfd, int newfd) noexcept;
Errno Dup3(int oldfd, int newfd, int flags) noexcept;
Errno Close(int fd) noexcept;
std::pair<ssize_t, Errno> Read(int fd, void* p, size_t n) noexcept;
std::pair<ssize_t, Errno> Write(int fd, const void* p, size_t n) noexcept;
// openat(AT_FDCWD, ...), as Go (and the only open arm64 has); O_LARGEFILE is
// added as Go adds it, so 32-bit arches can open files over 2 GiB.
std::pair<int, Errno> Open(const char* path, int mode, uint32_t perm) noexcept;
// Go's fcntl(fd, cmd, arg int): integer-argument commands (F_GETFD, F_SETFD,
// F_GETFL, F_SETFL, F_DUPFD, F_DUPFD_CLOEXEC, ...). Uses fcntl64 on 32-bit
// arches.
std::pair<int, Errno> Fcntl(int fd, int cmd, int arg) noexcept;

// As golang.org/x/sys/unix.Prctl: only the error is returned. For the
// PR_GET_* options that return their answer through a pointer (as
// PR_GET_PDEATHSIG does), pass the pointer as arg2.
Errno Prctl(int option, uintptr arg2, uintptr arg3, uintptr arg4, uintptr arg5) noexcept;

// Sessions and process groups.
std::pair<int, Errno> Setsid() noexcept;
Errno Setpgid(int pid, int pgid) noexcept;
std::pair<int, Errno> Getpgid(int pid) noexcept;
int Getpgrp() noexcept;

// Filesystem root and working directory (path: NUL-terminated).
Errno Chdir(const char* path) noexcept;
Errno Chroot(const char* path) noexcept;

// Credentials. These are the bare system calls, so, unlike glibc's setuid()
// (which signals every thread to make the same call), they change only the
// calling thread's credentials: use them where one thread runs, as in a
// freshly created child. On 386 and arm they use the 32-bit-id calls.
Errno Setuid(int uid) noexcept;
Errno Setgid(int gid) noexcept;
// gid_t is 32 bits in the kernel (setgroups32 on 32-bit arches), as is int,
// so gids.data() is handed to the kernel as it is, with no copy.
Errno Setgroups(const std::vector<int>& gids) noexcept;
// Allocates (may throw std::bad_alloc).
std::pair<std::vector<int>, Errno> Getgroups();

// Siginfo is the kernel's siginfo_t (128 bytes) as waitid fills it for a
// child (SIGCHLD): the fields after Code are the union's _sigchld member,
// which starts at the first word boundary after three ints; mips has
// si_code before si_errno. Field names follow golang.org/x/sys/unix's
// Siginfo where it has them.
struct alignas(sizeof(long)) Siginfo {
  int32_t Signo;
#if defined(__mips__)
  int32_t Code;  // CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, ...
  int32_t Errno;
#else
  int32_t Errno;
  int32_t Code;
#endif
#if defined(__LP64__)
  int32_t pad_;  // the union is word-aligned
#endif
  int32_t Pid;     // si_pid
  uint32_t Uid;    // si_uid
  int32_t Status;  // si_status: the exit code, or the signal
  char rest_[128 - 6 * sizeof(int32_t) - (sizeof(long) == 8 ? sizeof(int32_t) : 0)];
};
static_assert(sizeof(Siginfo) == SIZEOF_SIGINFO_ &&
                  offsetof(Siginfo, Signo) == OFFSETOF_SIGINFO_SIGNO_ &&
                  offsetof(Siginfo, Errno) == OFFSETOF_SIGINFO_ERRNO_ &&
                  offsetof(Siginfo, Code) == OFFSETOF_SIGINFO_CODE_ &&
                  offsetof(Siginfo, Pid) == OFFSETOF_SIGINFO_PID_ &&
                  offsetof(Siginfo, Uid) == OFFSETOF_SIGINFO_UID_ &&
                  offsetof(Siginfo, Status) == OFFSETOF_SIGINFO_STATUS_,
              "Siginfo must match the kernel's siginfo_t (generated)");

// waitid(2), with the kernel's fifth argument (rusage, may be null). idtype
// is P_ALL_, P_PID_, P_PGID_ or P_PIDFD_ (id then is a pidfd). info is
// zeroed by the kernel when WNOHANG finds nothing.
Errno Waitid(int idtype, int id, Siginfo* info, int options, Rusage* rusage) noexcept;

// Namespaces and mounts (strings NUL-terminated; fstype and data may be null).
Errno Unshare(int flags) noexcept;
Errno Mount(const char* source, const char* target, const char* fstype, uintptr flags,
            const char* data) noexcept;

// pidfds (Linux 5.3): a file descriptor that names one process for its whole
// life, so that it can never name a later process that reuses the pid.
// PidfdOpen returns a close-on-exec pidfd; PidfdSendSignal signals through
// one (info may be null: as kill(2) does) and fails with ESRCH once the
// process has been reaped.
std::pair<int, Errno> PidfdOpen(int pid, int flags) noexcept;
Errno PidfdSendSignal(int pidfd, Signal sig, Siginfo* info, int flags) noexcept;

// exit_group: ends every thread of the process. Never returns.
[[noreturn]] void Exit(int code) noexcept;

}  // namespace go::syscall
