// SPDX-License-Identifier: BSD-3-Clause
// Internal; not installed. Go's dedupEnv: the environment a Cmd passes on.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exec/errors.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::exec::internal {

// dedupEnvCase returns env with every duplicated key removed but its last
// entry, in the order of those entries. Entries that are not "key=value"
// are kept as they are ("=k=v" is key "=k"). Unless nulOK, an entry holding
// a NUL byte is dropped and an error returned with the rest (Go issue
// 56284). caseInsensitive compares keys as Windows does; Linux uses
// dedupEnv.
std::pair<std::vector<std::string>, error> dedupEnvCase(bool caseInsensitive, bool nulOK,
                                                        std::vector<std::string> env);

inline std::pair<std::vector<std::string>, error> dedupEnv(std::vector<std::string> env) {
  return dedupEnvCase(false, false, std::move(env));
}

}  // namespace go::exec::internal

#pragma GCC visibility pop
