// SPDX-License-Identifier: BSD-3-Clause
// syscall_bench: ns per call of a trivial system call (getppid) made three
// ways: this project's RawSyscall, libc's syscall(), and libc's getppid().
//
//   syscall_bench [ROUNDS] [CALLS_PER_ROUND]
//
// The three are interleaved round by round; each line of the output is one
// way's median over the rounds.
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "syscall/syscall.hpp"
#include "tools/bench/rounds.hpp"

namespace {

namespace gs = go::syscall;

// sink keeps the compiler from dropping calls whose results are unused.
volatile long sink;

double nsPerCall(long calls, void (*loop)(long)) {
  const auto t0 = std::chrono::steady_clock::now();
  loop(calls);
  const std::chrono::duration<double, std::nano> ns = std::chrono::steady_clock::now() - t0;
  return ns.count() / double(calls);
}

void rawSyscall(long n) {
  for (long i = 0; i < n; i++) sink = long(gs::RawSyscall(gs::SYS_GETPPID, 0, 0, 0).r1);
}
void libcSyscall(long n) {
  for (long i = 0; i < n; i++) sink = syscall(SYS_getppid);
}
void libcGetppid(long n) {
  for (long i = 0; i < n; i++) sink = getppid();
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 21;
  const long calls = argc > 2 ? std::atol(argv[2]) : 200000;
  struct Way {
    const char* name;
    void (*loop)(long);
    std::vector<double> ns;
  } ways[] = {{"RawSyscall(SYS_GETPPID)", rawSyscall, {}},
              {"syscall(SYS_getppid)", libcSyscall, {}},
              {"getppid()", libcGetppid, {}}};
  for (auto& w : ways) w.loop(calls / 10);  // warm up
  for (int r = 0; r < rounds; r++)
    for (auto& w : ways) w.ns.push_back(nsPerCall(calls, w.loop));
  const double base = median(ways[1].ns);
  std::printf("%-26s %10s %14s\n", "call", "ns/call", "vs syscall()");
  for (auto& w : ways)
    std::printf("%-26s %10.1f %14.3f\n", w.name, median(w.ns), median(w.ns) / base);
}
