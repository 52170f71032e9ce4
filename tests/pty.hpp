// SPDX-License-Identifier: BSD-3-Clause
// Pty: a pseudo-terminal pair (posix_openpt) for the terminal tests.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <string>

#include "exec_helpers.hpp"

namespace th {

// The slave is opened with O_NOCTTY unless ctty is true: in a session
// leader without a terminal, opening it then makes it the controlling one.
struct Pty {
  Fd master, slave;
  dev_t rdev = 0;
  std::string slaveName;
  explicit Pty(bool ctty = false) {
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) fail("posix_openpt");
    master = Fd(m);
    if (grantpt(m) != 0 || unlockpt(m) != 0) fail("grantpt/unlockpt");
    const char* name = ptsname(m);
    if (name == nullptr) fail("ptsname");
    slaveName = name;
    int s = open(name, O_RDWR | O_CLOEXEC | (ctty ? 0 : O_NOCTTY));
    if (s < 0) fail(std::string("open ") + name);
    slave = Fd(s);
    struct stat st;
    fstat(s, &st);
    rdev = st.st_rdev;
  }
};

}  // namespace th
