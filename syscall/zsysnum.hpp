// SPDX-License-Identifier: BSD-3-Clause
// The generated syscall numbers of the arch being compiled.
#pragma once

#include "syscall/goarch.hpp"
#include GOSYSCALL_ZSYSNUM_HEADER
