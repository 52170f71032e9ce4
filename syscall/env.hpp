// SPDX-License-Identifier: BSD-3-Clause
// The process environment, as Go's syscall package has it (env_unix.go):
// Environ, Getenv, Setenv, Unsetenv, Clearenv.
//
// The environment of record is libc's (environ, getenv, setenv), so that
// these functions and the rest of the program see one environment. Calls
// through these functions exclude each other (as Go's envLock does); a
// direct setenv or putenv elsewhere in the program while one of them runs
// is a data race, as it is in C.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "syscall/types.hpp"

namespace go::syscall {

// Environ returns a copy of the environment, "key=value" entries in order.
// Where a key appears more than once only its first entry is kept, as Go's
// copyenv does and as getenv(3) finds it: a later duplicate cannot
// resurface after Unsetenv removed the first.
std::vector<std::string> Environ();

// Getenv returns the value of key and whether it is set.
std::pair<std::string, bool> Getenv(const std::string& key);

// Setenv sets key to value. EINVAL for an empty key, a key holding '=' or a
// NUL byte, or a value holding a NUL byte (nothing is changed then).
Errno Setenv(const std::string& key, const std::string& value);

// Unsetenv removes key (every entry of it). A key that cannot be set (empty,
// holding '=' or NUL) is not there: Errno{}, as Go.
Errno Unsetenv(const std::string& key);

// Clearenv removes every variable.
void Clearenv();

}  // namespace go::syscall
