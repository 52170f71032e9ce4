// SPDX-License-Identifier: BSD-3-Clause
// exec_check: the go::exec program every consumer project builds (installed,
// as a subproject, with -fno-exceptions, with clang++, with pkg-config). It
// captures a command's output and exit status, as an embedder's first use
// of the layer would, and checks LookPath's and a context's errors. It uses
// no exceptions, so it also builds with -fno-exceptions.
#include <chrono>
#include <cstdio>
#include <string>

#include "check.hpp"
#include "exec/exec.hpp"

namespace ex = go::exec;

int main() {
  auto cmd = ex::Command("echo", {"hi"});
  auto [out, err] = cmd.Output();
  check(out == "hi\n" && !err, "Command(\"echo\", {\"hi\"}).Output() is \"hi\\n\" and no error");

  auto sh = ex::Command("sh", {"-c", "echo oops >&2; exit 7"});
  auto [out2, err2] = sh.Output();
  const auto* ee = go::errors::As<ex::ExitError>(err2);
  check(ee && ee->ExitCode() == 7 && ee->Stderr == "oops\n" && err2.Error() == "exit status 7",
        "an exit status 7 is an ExitError with the standard error");

  auto [path, lerr] = ex::LookPath("no-such-program-here");
  check(path.empty() && go::errors::Is(lerr, ex::ErrNotFound),
        "LookPath of a missing name is ErrNotFound");

  auto [ctx, cancel] =
      go::context::WithTimeout(go::context::Background(), std::chrono::milliseconds(50));
  const go::error kerr = ex::CommandContext(ctx, "sleep", {"10"}).Run();
  check(kerr.Error() == "signal: killed" && ctx.Err() == go::context::DeadlineExceeded,
        "a context's deadline kills the command");
  cancel();
  std::printf("%s\n", failures ? "FAILED" : "PASSED");
  return failures ? 1 : 0;
}
