// SPDX-License-Identifier: BSD-3-Clause
// Internal; not installed. A write that returns EPIPE instead of raising
// SIGPIPE, for the pipes the exec layer writes to.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <utility>

#include "syscall/types.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::exec::internal {

// writeNoSigpipe is one write(2) of up to n bytes of p to fd (EINTR
// retried). The SIGPIPE a write to a pipe without readers raises is
// directed at the writing thread, so it is blocked on this thread around
// the write and, if this write raised it, taken off the pending set; the
// caller sees EPIPE, and no handler, default action or mask of the
// program's is disturbed.
std::pair<ssize_t, syscall::Errno> writeNoSigpipe(int fd, const void* p, size_t n);

}  // namespace go::exec::internal

#pragma GCC visibility pop
