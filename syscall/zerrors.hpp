// SPDX-License-Identifier: BSD-3-Clause
// The generated constants and message tables of the arch being compiled.
#pragma once

#include "syscall/goarch.hpp"
#include GOSYSCALL_ZERRORS_HEADER
