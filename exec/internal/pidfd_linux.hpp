// SPDX-License-Identifier: BSD-3-Clause
// Internal; not installed. Whether pidfds work here (Go's os/pidfd_linux.go).
#pragma once

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::os::internal {

// pidfdWorks tells, from a probe made once per process, whether pidfd_open,
// waitid(P_PIDFD), pidfd_send_signal and clone(CLONE_PIDFD) all work: an
// old kernel, a seccomp profile or an emulator may lack any of them, and
// then StartProcess falls back to pids.
bool pidfdWorks();

}  // namespace go::os::internal

#pragma GCC visibility pop
