// SPDX-License-Identifier: BSD-3-Clause
// Selects the generated constants and message tables of the arch being compiled.
#pragma once

#if defined(__x86_64__) && !defined(__ILP32__)
#include "zerrors/zerrors_linux_amd64.hpp"
#elif defined(__i386__)
#include "zerrors/zerrors_linux_386.hpp"
#elif defined(__aarch64__)
#include "zerrors/zerrors_linux_arm64.hpp"
#elif defined(__arm__)
#include "zerrors/zerrors_linux_arm.hpp"
#else
#error "gosyscall: no generated zerrors header for this arch"
#endif
