// SPDX-License-Identifier: BSD-3-Clause
// drain: read a command's stdout and stderr to their ends at once, so that
// neither pipe fills while the other is read. Header-only, for the gospawn
// suites (test_gospawn, gospawn_run.hpp).
#pragma once

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace drainpipes {

// drain reads out and err until both end, appending to *outText and
// *errText. It returns false if neither had anything to read for timeoutMs
// (a safety bound), leaving the rest unread. It closes neither fd.
inline bool drain(int out, std::string* outText, int err, std::string* errText, int timeoutMs) {
  pollfd p[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
  std::string* dst[2] = {outText, errText};
  for (int open = 2; open > 0;) {
    const int n = poll(p, 2, timeoutMs);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    for (int i = 0; i < 2; i++) {
      if (p[i].fd < 0 || p[i].revents == 0) continue;
      char buf[4096];
      const ssize_t got = read(p[i].fd, buf, sizeof buf);
      if (got > 0) {
        dst[i]->append(buf, size_t(got));
      } else if (got == 0 || errno != EINTR) {
        p[i].fd = -1;  // poll skips a negative fd
        open--;
      }
    }
  }
  return true;
}

}  // namespace drainpipes
