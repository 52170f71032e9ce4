// SPDX-License-Identifier: BSD-3-Clause
// forklock_wait: how long ForkLock keeps a reader waiting while other
// threads spawn: what of a spawn is still serialized, seen from outside.
//
//   forklock_wait TARGET THREADS SPAWNS_PER_THREAD
//
// THREADS threads each run SPAWNS_PER_THREAD ForkExec + Wait4 of TARGET
// while one more thread takes ForkLock shared and releases it again in a
// loop, as code that creates an fd and then sets FD_CLOEXEC does. Each
// acquisition's wait is timed (steady clock). Prints one line: the number
// of acquisitions, how many waited over 5 µs (they met a fork holding the
// lock), and the median, 90th percentile and largest of those waits. A
// fork holds ForkLock exclusively for as long as it keeps readers and other
// forks out, so those waits are about as long as a fork's hold.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "syscall/syscall.hpp"

namespace {

namespace gs = go::syscall;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "forklock_wait: %s\n", what.c_str());
  std::_Exit(1);
}

int positive(const char* arg, const char* what) {
  char* end;
  const long v = std::strtol(arg, &end, 10);
  if (*end != '\0' || v < 1 || v > 1'000'000) die(std::string("bad ") + what + ": " + arg);
  return int(v);
}

void spawnAndWait(const std::string& target, const gs::ProcAttr& attr) {
  auto [pid, err] = gs::ForkExec(target, {target}, &attr);
  if (err) die("ForkExec " + target + ": " + err.Error());
  gs::WaitStatus ws;
  gs::Errno werr;
  while ((werr = gs::Wait4(pid, &ws, 0, nullptr).second) == gs::EINTR_) {
  }
  if (werr || !ws.Exited() || ws.ExitStatus() != 0) die(target + " did not exit 0");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) die("usage: forklock_wait TARGET THREADS SPAWNS_PER_THREAD");
  const std::string target = argv[1];
  const int threads = positive(argv[2], "THREADS");
  const int perThread = positive(argv[3], "SPAWNS_PER_THREAD");

  std::atomic<int> running{threads};
  std::vector<double> waits;  // µs, the reader's alone
  std::thread reader([&] {
    while (running.load(std::memory_order_relaxed) > 0) {
      const Clock::time_point t0 = Clock::now();
      gs::ForkLock.lock_shared();
      const Clock::time_point t1 = Clock::now();
      gs::ForkLock.unlock_shared();
      waits.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      // Give the spawners the lock's other side; a reader that never
      // pauses would only measure how often it wins the race for it.
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> spawners;
  for (int i = 0; i < threads; i++) {
    spawners.emplace_back([&] {
      gs::ProcAttr attr;
      attr.Files = {0, 1, 2};
      for (int n = 0; n < perThread; n++) spawnAndWait(target, attr);
      running.fetch_sub(1);
    });
  }
  for (auto& t : spawners) t.join();
  reader.join();
  // Most acquisitions fall between two forks and wait for nothing: the
  // waits that met a fork (over 5 µs) tell how long forks hold the lock.
  std::vector<double> met;
  for (double w : waits)
    if (w > 5.0) met.push_back(w);
  std::sort(met.begin(), met.end());
  const auto at = [&](double q) {
    return met.empty() ? 0.0 : met[size_t(q * double(met.size() - 1))];
  };
  std::printf("%zu acquisitions, %zu waited over 5 us: median %.1f us, p90 %.1f us, max %.1f us\n",
              waits.size(), met.size(), at(0.5), at(0.9), met.empty() ? 0.0 : met.back());
  return 0;
}
