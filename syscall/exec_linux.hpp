// SysProcAttr for Linux: the attributes the child applies to itself between
// clone and execve (exec_linux.cpp). The BSD form is exec_bsd.hpp.
#pragma once

#include <string>

#include "syscall/credential.hpp"
#include "syscall/types.hpp"

namespace go::syscall {

struct SysProcAttr {
  std::string Chroot;             // chroot to this directory first ("" = none)
  go::syscall::Credential* Credential = nullptr;  // setgroups, setgid, setuid
  bool Ptrace = false;            // PTRACE_TRACEME just before execve
  bool Setsid = false;            // a new session
  bool Setpgid = false;           // a new process group, led by the child
  bool Setctty = false;           // make fd 0 the controlling terminal (TIOCSCTTY)
  bool Noctty = false;            // detach fd 0 from the controlling terminal (TIOCNOTTY)

  // Pdeathsig is the signal the child gets when its parent dies; Signal{0}
  // leaves it unset. "Parent" means the *thread* that called ForkExec: the
  // kernel sends the signal when that thread exits, even while the rest of
  // the process lives on (Go issue 27505). Start such children from a thread
  // that outlives them, or set PdeathsigProcessLifetime. The kernel also clears it when a set-user-ID,
  // set-group-ID or file-capability program is executed, and a child's own
  // children do not inherit it. It is armed after Credential is applied,
  // because the kernel clears it on every change of credentials (Go issue 9686).
  Signal Pdeathsig{0};

  // PdeathsigProcessLifetime makes Pdeathsig follow the process instead of
  // the calling thread: the child is created from one long-lived thread of
  // the library (started at the first such ForkExec, never ended), so it
  // gets the signal when the whole process dies, not when the thread that
  // called ForkExec exits. The calling thread waits meanwhile; the child
  // still starts with the calling thread's signal mask. Not Go's: Go has
  // no such field (Go issue 27505 is answered there with LockOSThread).
  bool PdeathsigProcessLifetime = false;

  // CloseFds closes, in the child, every fd that Files does not name, also
  // those a careless library left without close-on-exec (CPython's
  // close_fds, systemd's close_all_fds). close_range on Linux 5.9+; before
  // that a close() per fd number up to RLIMIT_NOFILE. Not Go's.
  bool CloseFds = false;
};

}  // namespace go::syscall
