// SPDX-License-Identifier: BSD-3-Clause
// thread_bench: the C++ side of the spawn throughput benchmark across
// threads (threads.py, run by tools/bench/run).
//
//   thread_bench PEER TARGET THREADS SPAWNS_PER_THREAD
//
// Starts THREADS threads, which wait at a start barrier; once all are there
// it releases them and each spawns TARGET (no arguments) and waits for it,
// SPAWNS_PER_THREAD times. Prints one line, the wall time in seconds from the
// release to the end of the last thread (steady clock), and exits 0; a spawn
// or wait that fails prints why to stderr and exits 1. One run per process,
// so that every run measures a fresh process. PEER is one of:
//   forkexec      go::syscall::ForkExec + Wait4 (this project)
//   forkexec_ppl  the same with Pdeathsig = SIGKILL and PdeathsigProcessLifetime
//   posix_spawn   glibc's posix_spawn + waitpid
// thread_bench.go is the Go os/exec peer, with the same arguments.
//
// Only the long-standing public API (ForkExec, ProcAttr, SysProcAttr's
// Pdeathsig and PdeathsigProcessLifetime, Wait4, WaitStatus), so that this
// file also builds against an older copy of the library, to compare.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "syscall/syscall.hpp"

extern char** environ;

namespace {

namespace gs = go::syscall;
using Clock = std::chrono::steady_clock;

// die reports a failure and ends the process at once. std::_Exit rather
// than std::exit: the other threads are still spawning, and exit would run
// the static destructors under them.
[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "thread_bench: %s\n", what.c_str());
  std::_Exit(1);
}

// The start barrier: the threads check in, the main thread waits until all
// have, then releases them together, so that thread start-up is not timed
// and all threads spawn at once from the first spawn on.
class StartBarrier {
 public:
  explicit StartBarrier(int n) : waiting_for_(n) {}

  // arrive checks a thread in and blocks it until release().
  void arrive() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--waiting_for_ == 0) cv_.notify_all();
    cv_.wait(lock, [this] { return released_; });
  }

  // release waits until every thread has arrived, then lets them go and
  // returns the time of the release.
  Clock::time_point release() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return waiting_for_ == 0; });
    released_ = true;
    const Clock::time_point t0 = Clock::now();
    cv_.notify_all();
    return t0;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_for_;
  bool released_ = false;
};

// One spawn + wait per call, by each peer. ForkExec's attr is made once per
// thread, as a caller keeps its configuration; it passes the environment
// and stdio, as posix_spawn and Go's os/exec do.
void viaForkExec(const std::string& target, const gs::ProcAttr& attr) {
  auto [pid, err] = gs::ForkExec(target, {target}, &attr);
  if (err) die("ForkExec " + target + ": " + err.Error());
  gs::WaitStatus ws;
  for (;;) {
    const gs::Errno werr = gs::Wait4(pid, &ws, 0, nullptr).second;
    if (!werr) break;
    if (werr != gs::EINTR_) die("Wait4: " + werr.Error());
  }
  if (!ws.Exited() || ws.ExitStatus() != 0) die(target + " did not exit 0");
}

void viaPosixSpawn(const std::string& target) {
  pid_t pid;
  char* argv[] = {const_cast<char*>(target.c_str()), nullptr};
  // posix_spawn returns the error number rather than setting errno.
  if (const int e = posix_spawn(&pid, target.c_str(), nullptr, nullptr, argv, environ))
    die("posix_spawn " + target + ": " + std::strerror(e));
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) die(std::string("waitpid: ") + std::strerror(errno));
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) die(target + " did not exit 0");
}

int positive(const char* arg, const char* what) {
  char* end;
  const long v = std::strtol(arg, &end, 10);
  if (*end != '\0' || v < 1 || v > 1'000'000) die(std::string("bad ") + what + ": " + arg);
  return int(v);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) die("usage: thread_bench PEER TARGET THREADS SPAWNS_PER_THREAD");
  const std::string peer = argv[1], target = argv[2];
  const int threads = positive(argv[3], "THREADS");
  const int perThread = positive(argv[4], "SPAWNS_PER_THREAD");
  if (peer != "forkexec" && peer != "forkexec_ppl" && peer != "posix_spawn")
    die("unknown peer " + peer);
#if defined(GOSYSCALL_EXEC_BSD)
  // The BSD form of SysProcAttr has no Pdeathsig.
  if (peer == "forkexec_ppl") die("forkexec_ppl: no Pdeathsig in a GOSYSCALL_EXEC_BSD build");
#endif

  StartBarrier barrier(threads);
  std::vector<Clock::time_point> ends(static_cast<size_t>(threads));  // each thread its own
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; i++) {
    pool.emplace_back([&, i] {
      gs::ProcAttr attr;
      for (char** e = environ; *e; e++) attr.Env.push_back(*e);
      attr.Files = {0, 1, 2};
      gs::SysProcAttr sys;  // only forkexec_ppl's; forkexec has no Sys, as spawn_server's
#if !defined(GOSYSCALL_EXEC_BSD)
      if (peer == "forkexec_ppl") {
        sys.Pdeathsig = gs::SIGKILL_;
        sys.PdeathsigProcessLifetime = true;
        attr.Sys = &sys;
      }
#endif
      const bool posix = peer == "posix_spawn";
      barrier.arrive();
      for (int n = 0; n < perThread; n++) {
        if (posix) {
          viaPosixSpawn(target);
        } else {
          viaForkExec(target, attr);
        }
      }
      ends[size_t(i)] = Clock::now();
    });
  }
  const Clock::time_point t0 = barrier.release();
  for (auto& t : pool) t.join();
  // The last thread's end, not the time after the joins: joining the threads
  // one by one would add their wake-ups to the wall time.
  const std::chrono::duration<double> wall = *std::max_element(ends.begin(), ends.end()) - t0;
  std::printf("%.6f\n", wall.count());
  return 0;
}
