// SPDX-License-Identifier: BSD-3-Clause
// forkexec_check: the program every consumer project builds against gosyscall
// (installed, as a subproject, with -fno-exceptions, with clang++). It starts
// a shell through ForkExec and checks the exit status the kernel reports,
// then checks that a missing program comes back as ENOENT with no child.
// It uses no exceptions, so it also builds with -fno-exceptions.
#include <cstdio>

#include "check.hpp"
#include "syscall/syscall.hpp"

namespace sc = go::syscall;

int main() {
  sc::SysProcAttr sys;
#if !defined(GOSYSCALL_EXEC_BSD)
  sys.Pdeathsig = sc::SIGKILL_;  // Linux only; the BSD SysProcAttr has none
#endif
  sc::ProcAttr attr;
  attr.Files = {0, 1, 2};
  attr.Sys = &sys;

  auto [pid, err] = sc::ForkExec("/bin/sh", {"sh", "-c", "exit 7"}, &attr);
  check(!err && pid > 0, "ForkExec /bin/sh returns a pid and no error");
  if (!err) {
    sc::WaitStatus ws;
    auto [wpid, werr] = sc::Wait4(pid, &ws, 0, nullptr);
    check(!werr && wpid == pid, "Wait4 reaps that pid");
    check(ws.Exited() && ws.ExitStatus() == 7, "the child exited with status 7");
  }

  auto [pid2, err2] = sc::ForkExec("/nonexistent/program", {"program"}, &attr);
  check(pid2 == 0 && err2 == sc::ENOENT_, "a missing program is ENOENT, and no pid");
  std::printf("%s (%s)\n", failures ? "FAILED" : "PASSED", err2.Error().c_str());
  return failures ? 1 : 0;
}
