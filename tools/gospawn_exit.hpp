// SPDX-License-Identifier: BSD-3-Clause
// gospawn's exit statuses, shared by every stage of gospawn (the process a
// user starts and the init it may start, gospawn_init.hpp), so that a status
// passes through both unchanged.
#pragma once

#include "syscall/syscall.hpp"

namespace gospawn {

// gospawn's own, as env(1), chroot(1) and POSIX shells use them.
constexpr int kExitFailure = 125;     // gospawn's own error, or a step before PROGRAM
constexpr int kExitCannotExec = 126;  // PROGRAM found but not executable
constexpr int kExitNotFound = 127;    // PROGRAM not found

// ExitCode is the status gospawn exits with for a child that ended with ws:
// N for exit(N), 128+N for death by signal N (a shell's $? for it). gospawn
// does not kill itself with N, as `unshare --fork` does: as pid 1 it could
// not (the kernel ignores such a signal to a namespace's init).
inline int ExitCode(const go::syscall::WaitStatus& ws) {
  if (ws.Exited()) return ws.ExitStatus();
  if (ws.Signaled()) return 128 + ws.Signal().value();
  return kExitFailure;  // cannot happen: nothing waits with WUNTRACED
}

}  // namespace gospawn
