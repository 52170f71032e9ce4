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
  // that outlives them. The kernel also clears it when a set-user-ID,
  // set-group-ID or file-capability program is executed, and a child's own
  // children do not inherit it. It is armed after Credential is applied,
  // because the kernel clears it on every change of credentials (Go issue 9686).
  Signal Pdeathsig{0};
};

}  // namespace go::syscall
