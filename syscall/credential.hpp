// SPDX-License-Identifier: BSD-3-Clause
// Credential: the ids a child switches to before execve (Go's exec_unix.go).
#pragma once

#include <cstdint>
#include <vector>

namespace go::syscall {

struct Credential {
  uint32_t Uid = 0;
  uint32_t Gid = 0;
  std::vector<uint32_t> Groups;  // supplementary groups; empty clears them
  // NoSetGroups leaves the supplementary groups as they are: no setgroups
  // call, which a caller without CAP_SETGID could not make (EPERM). Go 1.9.
  bool NoSetGroups = false;
};

}  // namespace go::syscall
