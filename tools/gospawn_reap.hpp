// SPDX-License-Identifier: BSD-3-Clause
// gospawn's wait for PROGRAM, with the init duties of tini and dumb-init:
// every child that ends is reaped, not only PROGRAM. gospawn has other
// children only as an adoptive parent: as pid 1 of a pid namespace (a
// container's entrypoint, or the init gospawn starts for --unshare-pid),
// the kernel makes it the parent of every orphan of the namespace; as a
// child subreaper, of every orphan below it. Left unreaped, each would stay
// a zombie and hold its pid.
#pragma once

#include "syscall/syscall.hpp"

namespace gospawn {

// Supervise waits until the child pid ends, reaping every other child that
// ends meanwhile, and stops forwarding signals (gospawn_forward.hpp) before
// reaping pid, which may then be reused. Once pid is reaped, it reaps the
// children that have ended by then, without waiting for the others (as pid
// 1, gospawn's exit has the kernel kill and reap what is left), and returns
// pid's status.
go::syscall::WaitStatus Supervise(int pid);

}  // namespace gospawn
