// SPDX-License-Identifier: BSD-3-Clause
// exec_helper fallback: go::exec in a process where pidfds fail. The suite
// (test_exec_fallback.cpp) starts it under a seccomp filter that answers
// the pidfd calls, clone3 and faccessat2 as an old kernel or a container
// profile does; this checks that every Cmd still works, through pids, and
// prints one line per check ("ok ..." or "FAIL ...").
#include <cstdio>
#include <string>

#include "exec/exec.hpp"
#include "syscall/syscall.hpp"

namespace {

namespace ex = go::exec;
namespace sc = go::syscall;
using namespace std::chrono_literals;

int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) failures++;
}

}  // namespace

int fallback() {
  // LookPath: faccessat answered with EPERM, the mode bits decide.
  auto [sh, lerr] = ex::LookPath("sh");
  check(!lerr && !sh.empty(), "LookPath(sh) = " + sh + " " + lerr.Error());

  // Output: the pipes are copied while a thread waits for the exit.
  auto cmd = ex::Command("sh", {"-c", "echo out; echo err >&2; exit 3"});
  const go::error serr = cmd.Start();
  check(!serr, "Start " + serr.Error());
  std::fflush(stdout);  // a crash below must not lose the report
  check(cmd.Process && !cmd.Process->HasPidfd(), "the process has no pidfd");
  cmd.Wait();
  auto out = ex::Command("sh", {"-c", "echo out; echo err >&2; exit 3"});
  auto [text, err] = out.Output();
  const auto* ee = go::errors::As<ex::ExitError>(err);
  check(text == "out\n" && ee && ee->ExitCode() == 3 && ee->Stderr == "err\n",
        "Output: " + text + err.Error());

  // A context's deadline kills the process through its pid.
  auto [ctx, cancel] = go::context::WithTimeout(go::context::Background(), 50ms);
  auto slow = ex::CommandContext(ctx, "sleep", {"60"});
  const go::error werr = slow.Run();
  check(werr.Error() == "signal: killed" && ctx.Err() == go::context::DeadlineExceeded,
        "deadline: " + werr.Error());
  cancel();

  // After Wait, the pid is not signalled again.
  check(slow.Process && go::errors::Is(slow.Process->Kill(), go::os::ErrProcessDone),
        "Kill after Wait");

  // Nothing is left to reap.
  sc::Siginfo info{};
  check(sc::Waitid(int(sc::P_ALL_), 0, &info, int(sc::WEXITED_ | sc::WNOHANG_), nullptr) ==
            sc::ECHILD_,
        "no child left");
  return failures == 0 ? 0 : 1;
}
