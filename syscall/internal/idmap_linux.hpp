// SPDX-License-Identifier: BSD-3-Clause
// The parent's side of a child's user namespace: the uid_map / gid_map
// text, and writing it to /proc/<pid>/ while the child waits (Go's
// writeUidGidMappings).
#pragma once

#include <string>
#include <vector>

#include "syscall/exec_linux.hpp"
#include "syscall/types.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::syscall::detail {

// formatIDMappings is a uid_map / gid_map text: "inside outside count\n"
// per map, written in one write as the kernel requires.
std::string formatIDMappings(const std::vector<SysProcIDMap>& maps);

// writeUidGidMappings writes the maps of a child made with CLONE_NEWUSER
// while it waits: uid_map, then setgroups (before gid_map, which the kernel
// requires for a map written without CAP_SETGID), then gid_map.
Errno writeUidGidMappings(int pid, const SysProcAttr& sys, const std::string& uidmap,
                          const std::string& gidmap);

}  // namespace go::syscall::detail

#pragma GCC visibility pop
