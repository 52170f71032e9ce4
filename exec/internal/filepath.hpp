// SPDX-License-Identifier: BSD-3-Clause
// Internal; not installed. The few path functions of Go's path/filepath
// that LookPath and Cmd use, on Unix.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exec/errors.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::exec::internal {

// Clean is the shortest equivalent path, by lexical processing: no ".",
// no "name/..", no repeated or trailing slash; "" becomes ".".
std::string Clean(const std::string& path);

// Join is Clean(dir + "/" + file), or the other one when one is empty.
std::string Join(const std::string& dir, const std::string& file);

inline bool IsAbs(const std::string& path) { return !path.empty() && path[0] == '/'; }

// Abs is path made absolute against the working directory, and Cleaned.
std::pair<std::string, error> Abs(const std::string& path);

// SplitList splits a PATH-like list at ':'; "" is the empty list.
std::vector<std::string> SplitList(const std::string& list);

}  // namespace go::exec::internal

#pragma GCC visibility pop
