// What gospawn says, and exits with, when ForkExec did not start PROGRAM.
//
// ForkExec returns the Errno of the step that failed, not which step it
// was. The Errno tells the exec's own failures (127 for ENOENT, 126 for
// EACCES, ENOEXEC and the other errors only execve gives) from those of the
// steps before it (125: a namespace, an id change, a capability), and the
// options given tell which step most likely refused: an option the running
// kernel is too old for says so, with the Errno.
#pragma once

#include <string>

#include "syscall/syscall.hpp"
#include "tools/gospawn_options.hpp"

namespace gospawn {

// ReportStartFailure prints the reason ForkExec failed with err for program
// under options o, and returns the exit status. init: the program was
// gospawn's init (gospawn_init.hpp), whose own exec failing is gospawn's
// failure (125), never PROGRAM's.
int ReportStartFailure(const std::string& program, go::syscall::Errno err, const Options& o,
                       bool init);

}  // namespace gospawn
