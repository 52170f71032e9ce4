// SPDX-License-Identifier: BSD-3-Clause
// Fd and Pipe: owned fds and close-on-exec pipes, read and written with a
// safety bound (kTimeoutMs) that turns a hang into a failure. Header-only.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace th {

constexpr int kTimeoutMs = 10000;  // safety bound on every wait

[[noreturn]] inline void fail(const std::string& what) {
  throw std::runtime_error(what + (errno ? std::string(": ") + strerror(errno) : ""));
}

// Fd owns one file descriptor.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    reset();
    fd = o.fd;
    o.fd = -1;
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  int get() const { return fd; }
  std::uintptr_t u() const { return std::uintptr_t(fd); }
};

// pollIn waits at most timeoutMs for fd to become readable.
inline bool pollIn(int fd, int timeoutMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    pollfd p{fd, POLLIN, 0};
    int n = poll(&p, 1, left > 0 ? int(left) : 0);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) fail("poll");
  }
}

// readAll reads fd until EOF (every write end closed).
inline std::string readAll(int fd, int timeoutMs = kTimeoutMs) {
  std::string s;
  char buf[4096];
  for (;;) {
    if (!pollIn(fd, timeoutMs)) fail("timeout reading fd " + std::to_string(fd));
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read");
    if (n == 0) return s;
    s.append(buf, size_t(n));
  }
}

// readLine reads one line (without its newline); "" at EOF.
inline std::string readLine(int fd, int timeoutMs = kTimeoutMs) {
  std::string s;
  for (;;) {
    if (!pollIn(fd, timeoutMs)) fail("timeout reading a line from fd " + std::to_string(fd));
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("read");
    if (n == 0 || c == '\n') return s;
    s += c;
  }
}

inline void writeAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("write");
    off += size_t(n);
  }
}

// Pipe is a close-on-exec pipe, made in one step (needs no ForkLock).
struct Pipe {
  Fd r, w;
  Pipe() {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) fail("pipe2");
    r = Fd(p[0]);
    w = Fd(p[1]);
  }
  // drain closes the write end and reads the pipe to its end.
  std::string drain() {
    w.reset();
    return readAll(r.get());
  }
};

}  // namespace th
