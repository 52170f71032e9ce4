// SPDX-License-Identifier: BSD-3-Clause
// SysProcAttr for Linux: the attributes the child applies to itself between
// clone and execve (exec_linux.cpp). The BSD form is exec_bsd.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "syscall/child_step.hpp"
#include "syscall/credential.hpp"
#include "syscall/types.hpp"

namespace go::syscall {

// SysProcIDMap is one line of a user namespace's uid_map or gid_map: Size
// ids from ContainerID up inside map to HostID up outside
// (user_namespaces(7)).
struct SysProcIDMap {
  int ContainerID;
  int HostID;
  int Size;
};

struct SysProcAttr {
  std::string Chroot;                             // chroot to this directory first ("" = none)
  go::syscall::Credential* Credential = nullptr;  // setgroups, setgid, setuid
  bool Ptrace = false;                            // PTRACE_TRACEME just before execve
  bool Setsid = false;                            // a new session
  bool Setpgid = false;  // a process group: Pgid, or a new one the child leads
  bool Noctty = false;   // detach fd 0 from the controlling terminal (TIOCNOTTY)

  // Setctty makes Ctty the child's controlling terminal (TIOCSCTTY, taking
  // it from another session if the child may). Ctty is then a child fd: an
  // index into ProcAttr::Files, else EINVAL. Meaningful only with Setsid.
  bool Setctty = false;
  int Ctty = 0;  // the terminal: a child fd (Setctty) or a parent fd (Foreground)
  // Foreground puts the child's process group in the foreground of the
  // terminal Ctty (TIOCSPGRP), which here is a fd of the *parent's*, as in
  // Go. It implies Setpgid. Not together with Setctty (EINVAL).
  bool Foreground = false;
  // With Setpgid (or Foreground) the child joins process group Pgid, or, if
  // Pgid is 0, a new group that it leads. Pgid must be a group of the
  // child's session.
  int Pgid = 0;

  // PidFD, if set, receives a pidfd of the child (close-on-exec; the caller
  // closes it), made by the kernel at creation (CLONE_PIDFD): it names this
  // child only, even once its pid is reused. See pidfd.hpp for a handle
  // type. After every failure it is -1 (set first thing, so the fd number
  // it held is never closed). Kernels before 5.2 have no CLONE_PIDFD:
  // ForkExec then fails with ENOSYS and leaves no child behind.
  int* PidFD = nullptr;

  // Cloneflags are extra flags for the clone that creates the child: the
  // namespaces CLONE_NEWUSER_, CLONE_NEWPID_, CLONE_NEWNS_, CLONE_NEWNET_,
  // CLONE_NEWUTS_, CLONE_NEWIPC_, CLONE_NEWCGROUP_, CLONE_NEWTIME_.
  // Unshareflags are given to unshare(2) by the child, early (after the
  // process group, before Chroot); with CLONE_NEWNS_ the child then marks
  // every mount private (mount --make-rprivate /), so that its mounts and
  // unmounts do not propagate back, as unshare(1) does.
  uintptr Cloneflags = 0;
  uintptr Unshareflags = 0;

  // UidMappings and GidMappings are written to the new user namespace's
  // uid_map and gid_map (CLONE_NEWUSER_ in Cloneflags or Unshareflags, else
  // EINVAL): by the parent while the child waits on a pipe (Cloneflags), or
  // by the child itself right after unshare (Unshareflags). With
  // GidMappings, setgroups(2) is denied in the namespace unless
  // GidMappingsEnableSetgroups; the child then also skips setgroups for a
  // Credential with no Groups (an unprivileged user's maps need that).
  std::vector<SysProcIDMap> UidMappings;
  std::vector<SysProcIDMap> GidMappings;
  bool GidMappingsEnableSetgroups = false;

  // AmbientCaps are capability numbers (CAP_NET_BIND_SERVICE_, ...) raised
  // in the child's ambient set (Linux 4.3), so that they survive execve of
  // an ordinary program, also after Credential switched to another user.
  // Each must be in the child's bounding set; numbers above 63 are EINVAL.
  std::vector<uintptr> AmbientCaps;

  // UseCgroupFD starts the child in the cgroup v2 directory open as
  // CgroupFD (CLONE_INTO_CGROUP, clone3, Linux 5.7): it is never seen
  // outside it. Where clone3 or the flag is missing, ForkExec fails with
  // that Errno (ENOSYS, EINVAL) and no child exists.
  bool UseCgroupFD = false;
  int CgroupFD = -1;

  // Pdeathsig is the signal the child gets when its parent dies; Signal{0}
  // leaves it unset. "Parent" means the *thread* that called ForkExec: the
  // kernel sends the signal when that thread exits, even while the rest of
  // the process lives on (Go issue 27505). Start such children from a thread
  // that outlives them, or set PdeathsigProcessLifetime. The kernel also clears it when a
  // set-user-ID, set-group-ID or file-capability program is executed, and a child's own children do
  // not inherit it. It is armed after Credential is applied, because the kernel clears it on every
  // change of credentials (Go issue 9686).
  Signal Pdeathsig{0};

  // PdeathsigProcessLifetime makes Pdeathsig follow the process instead of
  // the calling thread: the child is created from a thread of the
  // library's that the calling thread starts for it and that lives exactly
  // as long as the child, so the child gets the signal when the whole
  // process dies, not when the thread that called ForkExec exits. Being
  // made by the calling thread, that thread has all of its per-thread
  // state, and so does the child, as without the opt-in: credentials and
  // capabilities (also those set with raw syscalls), no_new_privs, seccomp
  // filters, Landlock and LSM contexts, namespaces entered with
  // setns/unshare, cwd/root/umask after unshare(CLONE_FS), the fd table
  // after unshare(CLONE_FILES), cgroup, scheduling and signal mask. The
  // calling thread waits meanwhile (not cancellable: a pthread_cancel acts
  // after ForkExec returns). Costs: one thread per running child, which
  // counts against RLIMIT_NPROC and a cgroup's pids.max like a process and
  // ends once the child has exited (it never reaps it); a thread start per
  // spawn (docs/PERFORMANCE.md). Errors: EINVAL with Ptrace (the library's
  // thread would be the tracer, and only the tracer can continue the
  // child), and when the calling thread has called unshare(CLONE_NEWPID),
  // since the kernel gives such a thread no thread (put the child in a new
  // pid namespace with Cloneflags instead); EAGAIN
  // when no thread can be started, EPERM where clone3 is refused with EPERM
  // (an old container seccomp profile: glibc 2.34+ then starts no thread).
  // Not Go's: Go has no such field (Go issue 27505 is answered there with
  // LockOSThread).
  bool PdeathsigProcessLifetime = false;

  // CloseFds closes, in the child, every fd that Files does not name, also
  // those a careless library left without close-on-exec (CPython's
  // close_fds, systemd's close_all_fds). close_range on Linux 5.9+; before
  // that (or where a seccomp profile refuses it) a close() per fd number up
  // to the size of the fd table, so also an fd above RLIMIT_NOFILE. Not Go's.
  bool CloseFds = false;

  // Sigmask, if set, is the child's signal mask, exactly (posix_spawn's
  // POSIX_SPAWN_SETSIGMASK); unset, the child starts with the caller's
  // mask, as in Go. SIGKILL and SIGSTOP are never blocked. Not Go's.
  std::optional<std::vector<Signal>> Sigmask;
  // Sigdefault lists signals set to SIG_DFL in the child, also those the
  // caller ignores, which execve would keep ignored (posix_spawn's
  // POSIX_SPAWN_SETSIGDEF). Caught signals are SIG_DFL in the child anyway.
  // Not Go's.
  std::vector<Signal> Sigdefault;
  // FailedStep, if set, receives the step of the child that failed when
  // ForkExec returns an Errno the child sent, and ChildStep::None otherwise
  // (child_step.hpp). Not Go's: Go's children report the errno alone.
  ChildStep* FailedStep = nullptr;
};

}  // namespace go::syscall
