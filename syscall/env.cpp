// SPDX-License-Identifier: BSD-3-Clause
// The process environment (env.hpp), over libc's.
#include "syscall/env.hpp"

#include <cstdlib>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_set>

#include "syscall/zerrors.hpp"

extern char** environ;

namespace go::syscall {

namespace {

// envLock, as Go's: readers copy or look up, writers change. libc's own
// setenv lock does not cover getenv or a walk of environ.
std::shared_mutex envLock;

bool validKey(const std::string& key) {
  return !key.empty() && key.find_first_of(std::string_view("=\0", 2)) == std::string::npos;
}

}  // namespace

std::vector<std::string> Environ() {
  std::shared_lock lock(envLock);
  std::vector<std::string> env;
  std::unordered_set<std::string_view> seen;
  for (char** e = environ; e != nullptr && *e != nullptr; e++) {
    const std::string_view kv(*e);
    if (kv.empty()) continue;
    const auto eq = kv.find('=');
    // An entry without '=' has no key to repeat; Go keeps it as it is.
    if (eq != std::string_view::npos && !seen.insert(kv.substr(0, eq)).second) continue;
    env.emplace_back(kv);
  }
  return env;
}

std::pair<std::string, bool> Getenv(const std::string& key) {
  if (!validKey(key)) return {"", false};
  std::shared_lock lock(envLock);
  const char* v = std::getenv(key.c_str());
  if (v == nullptr) return {"", false};
  return {v, true};
}

Errno Setenv(const std::string& key, const std::string& value) {
  if (!validKey(key) || value.find('\0') != std::string::npos) return EINVAL_;
  std::unique_lock lock(envLock);
  if (::setenv(key.c_str(), value.c_str(), 1) != 0) return ENOMEM_;  // the only other failure
  return Errno{};
}

Errno Unsetenv(const std::string& key) {
  if (!validKey(key)) return Errno{};
  std::unique_lock lock(envLock);
  ::unsetenv(key.c_str());  // fails only for a key validKey refused
  return Errno{};
}

void Clearenv() {
  std::unique_lock lock(envLock);
  ::clearenv();
}

}  // namespace go::syscall
