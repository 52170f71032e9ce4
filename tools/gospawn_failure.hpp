// SPDX-License-Identifier: BSD-3-Clause
// What gospawn says, and exits with, when ForkExec did not start PROGRAM.
//
// ForkExec returns the Errno, and SysProcAttr::FailedStep the step of the
// child that failed: execve's failures exit 127 (ENOENT) or 126, those of
// the steps before it 125, named as their system call ("gospawn: setpgid:
// operation not permitted"), as does a failure before any child
// (ChildStep::None). gospawn's PATH search counts as execve. An option the running
// kernel is too old for says so, and an EPERM lists the options given that
// need privilege.
#pragma once

#include <string>

#include "syscall/syscall.hpp"
#include "tools/gospawn_options.hpp"

namespace gospawn {

// ReportStartFailure prints the reason ForkExec failed with err for program
// under options o, and returns the exit status. init: the program was
// gospawn's init (gospawn_init.hpp), whose own exec failing is gospawn's
// failure (125), never PROGRAM's.
int ReportStartFailure(const std::string& program, go::syscall::Errno err,
                       go::syscall::ChildStep step, const Options& o, bool init);

}  // namespace gospawn
