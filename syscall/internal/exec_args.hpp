// SPDX-License-Identifier: BSD-3-Clause
// ExecArgs: what the parent side (exec_unix.cpp) hands to the child side
// (exec_linux.cpp or exec_bsd.cpp).
//
// Every pointer here is prepared before the child exists and is only read
// after it does: the child may share the parent's memory.
#pragma once

#include <utility>

#include "syscall/internal/sigset.hpp"
#include "syscall/types.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::syscall {

struct SysProcAttr;

struct ExecArgs {
  const char* argv0;
  const char* const* argv;  // nullptr-terminated
  const char* const* envv;  // nullptr-terminated
  const char* chroot;       // nullptr: no chroot
  const char* dir;          // nullptr: no chdir
  const int* fd;            // child fd i = fd[i]; -1 = closed
  int nfd;
  int maxfd;                      // the largest fd[i], or -1
  bool closeFds;                  // SysProcAttr::CloseFds
  unsigned fdLimit;               // with closeFds: above every fd, for the fallback
  const detail::Sigset* sigmask;  // SysProcAttr::Sigmask; nullptr: the caller's mask
  detail::Sigset sigdefault;      // SysProcAttr::Sigdefault
};

// forkAndExecInChild creates the status pipe and the child, which applies
// sys and execs. It holds ForkLock exclusively from before the pipe is made
// until the child exists and our copy of the pipe's write end is closed,
// and no longer: forks exclude fd creators under ForkLock, not each other
// (Go 1.21, issue 23558). Made under the lock, the write end reaches no
// child another thread creates, whose execve our read would wait for. The
// caller has blocked every signal (forkExec, around the fork hooks too);
// mask is the mask it had, which the child gets back unless Sigmask says
// otherwise. It returns the child's pid and the pipe's read end in
// *status, once the child no longer runs on this process's memory (it has
// exec'd or exited); or the Errno that kept the child from being created,
// with no child, and no fd open, then. Each backend defines it; exactly
// one is linked.
std::pair<int, Errno> forkAndExecInChild(const ExecArgs& args, const SysProcAttr& sys,
                                         const detail::Sigset& mask, int* status);

// openStatusPipe makes the status pipe, both ends close-on-exec in one
// step (exec_unix.cpp). A Files entry equal to one of its ends named a
// closed fd: EBADF then, as for any closed fd, not our pipe in its place,
// and no end stays open.
Errno openStatusPipe(const ExecArgs& args, int (&p)[2]);

// forkExecBegin resets what forkAndExecInChild hands the caller (Linux:
// *PidFD becomes -1), first thing in ForkExec, so that every failure leaves
// it so, the earliest checks included. Each backend defines it.
void forkExecBegin(const SysProcAttr& sys);

// forkAndExecFailureCleanup undoes what forkAndExecInChild handed the
// caller for a child that then failed to exec (and is reaped): Linux
// closes *PidFD, as Go's. Each backend defines it.
void forkAndExecFailureCleanup(const SysProcAttr& sys);

}  // namespace go::syscall

#pragma GCC visibility pop
