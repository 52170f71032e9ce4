// SPDX-License-Identifier: BSD-3-Clause
// gosyscall: the umbrella header. Everything lives in namespace go::syscall.
#pragma once

#include "syscall/env.hpp"
#include "syscall/exec_unix.hpp"
#include "syscall/hooks.hpp"
#include "syscall/pidfd.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/syscall_linux.hpp"
#include "syscall/types.hpp"
#include "syscall/wait.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"
