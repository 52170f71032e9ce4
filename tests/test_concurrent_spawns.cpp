// SPDX-License-Identifier: BSD-3-Clause
// Spawns from many threads do not wait for each other (Go issue 23558).
// One child is held between its creation and its execve while other
// threads go on spawning: they must all complete meanwhile.
//
//   T (this test, in a helper) ── fork ──> P ── ForkExec ──> G (held)
//                                          └─ spawner threads ──> children
//
// P's spawner threads start first and spawn in a loop, each reporting every
// completed spawn with a byte on a pipe. T then attaches to P's main thread
// (PTRACE_SEIZE, following its children) and lets it call ForkExec: G stops
// at its creation, before its first instruction, and stays stopped, traced
// by T; P's main thread is let go on. While G is held, every spawner must
// complete kSpawnsWhileHeld more spawns:
//   - a fork that kept ForkLock until its child's execve (CLONE_VFORK under
//     an exclusive ForkLock, as before) would stop them all;
//   - a status pipe made outside ForkLock would reach G from a spawner
//     caught between making it and its clone, and that spawner would wait
//     for G's execve (the spawners are in that window often: they contend
//     for the lock).
// Then T lets G go, and P checks that G exec'd and exited 0.
#include <pthread.h>
#include <sys/ptrace.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

constexpr int kSpawners = 4;
constexpr int kSpawnsWhileHeld = 20;

// spawner is one of P's threads: spawns `probe exit 0` and waits for it
// until stop, writing its index on progress after each; "E" and the
// reason on a failure.
void spawner(int index, const std::atomic<bool>& stop, int progress, bool processLifetime) {
  Fd null = devNull();
  gs::SysProcAttr sys;
#if !defined(GOSYSCALL_EXEC_BSD)  // the BSD SysProcAttr has no Pdeathsig
  if (processLifetime) {
    sys.Pdeathsig = gs::SIGKILL_;
    sys.PdeathsigProcessLifetime = true;
  }
#else
  (void)processLifetime;
#endif
  gs::ProcAttr attr;
  attr.Files = {null.u(), null.u(), 2};
  attr.Sys = &sys;
  while (!stop.load()) {
    auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
    if (err) {
      writeAll(progress, "E" + err.Error() + "\n");
      return;
    }
    int st = 0;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      writeAll(progress, "Eprobe " + describe(st) + "\n");
      return;
    }
    writeAll(progress, std::string(1, char('0' + index)));
  }
}

// parentSide is P. Its spawners run from the start (ready says they
// exist, so that T's attach, which follows new threads, misses them); on
// T's go its main thread starts G, then reports how ForkExec and G ended on
// result.
[[noreturn]] void parentSide(Pipe& ready, Pipe& go, Pipe& progress, Pipe& result,
                             bool processLifetime) {
  ready.r.reset();
  go.w.reset();
  progress.r.reset();
  result.r.reset();
  std::atomic<bool> stop{false};
  std::vector<std::thread> spawners;
  for (int i = 0; i < kSpawners; i++)
    spawners.emplace_back(spawner, i, std::cref(stop), progress.w.get(), processLifetime);
  ready.w.reset();
  char c;
  std::string msg;
  if (read(go.r.get(), &c, 1) != 1) {
    msg = "no go";
  } else {
    Fd null = devNull();
    gs::ProcAttr attr;
    attr.Files = {null.u(), null.u(), 2};
    auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
    msg = err ? err.Error() : "ok " + describe(waitStatus(pid));
  }
  stop = true;
  for (auto& t : spawners) t.join();
  writeAll(result.w.get(), msg);
  _exit(0);
}

// heldWhileOthersSpawn plays T: "" if every spawner completed
// kSpawnsWhileHeld spawns while G was held, else what went wrong.
std::string heldWhileOthersSpawn(bool processLifetime) {
  Pipe ready, go, progress, result;
  const pid_t p = fork();
  if (p < 0) return "fork";
  if (p == 0) parentSide(ready, go, progress, result, processLifetime);
  ready.w.reset();
  go.r.reset();
  progress.w.reset();
  result.w.reset();
  int g = 0;
  std::string why;
  try {
    (void)readAll(ready.r.get());  // EOF: P's spawner threads exist
    g = seizeAndCatchChild(p, go.w.get());
    // P's main thread goes on (out of the clone, and ForkLock); G stays.
    if (ptrace(PTRACE_DETACH, p, nullptr, nullptr) != 0) fail("PTRACE_DETACH P");

    // Count, per spawner, the spawns completed from now on. Bytes already
    // in the pipe may predate G; a spawner that completes n + 1 spawns
    // after this point completed n while G was held.
    std::vector<int> done(kSpawners, -1);
    auto allDone = [&] {
      for (int n : done)
        if (n < kSpawnsWhileHeld) return false;
      return true;
    };
    // One bound for the whole count: a spawner that stalls while the
    // others go on must fail it too.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
    while (!allDone()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !pollIn(progress.r.get(), int(left.count()))) {
        std::string counts;
        for (int n : done) counts += " " + std::to_string(n < 0 ? 0 : n);
        throw std::runtime_error("spawns stopped while G was held; completed per spawner:" +
                                 counts);
      }
      char buf[256];
      const ssize_t n = read(progress.r.get(), buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("the spawners' pipe closed");
      for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == 'E')
          throw std::runtime_error("a spawner failed: " +
                                   std::string(buf + i + 1, size_t(n - i - 1)));
        const int k = buf[i] - '0';
        if (k < 0 || k >= kSpawners) throw std::runtime_error("bad progress byte");
        done[size_t(k)]++;
      }
    }
    // G is still where it was caught: stopped, before its execve.
    const std::string state = procStatus(g, "State");
    if (state.compare(0, 1, "t") != 0) throw std::runtime_error("G is not held: State " + state);
  } catch (const std::exception& e) {
    why = e.what();
  }
  // Let G go (its execve releases P's main thread), then P's report.
  if (g > 0) ptrace(PTRACE_DETACH, g, nullptr, nullptr);
  std::string got;
  try {
    got = readAll(result.r.get());
  } catch (const std::exception& e) {
    got = e.what();
  }
  kill(p, SIGKILL);  // P has exited if all went well; if not, it must not linger
  const int st = waitStatus(p);
  if (!why.empty()) return why;
  if (got != "ok exited 0") return "P's ForkExec of G: " + got;
  if (!WIFSIGNALED(st) && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) return "P " + describe(st);
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(spawns_complete_while_another_child_is_held_before_exec,
                     *skip::when(skip::noPtrace) * skip::when(skip::noThreads)) {
  BOOST_TEST(inHelper([] { return heldWhileOthersSpawn(false); }, 6 * kTimeoutMs) == "");
}

#if !defined(GOSYSCALL_EXEC_BSD)
BOOST_AUTO_TEST_CASE(process_lifetime_spawns_complete_while_another_child_is_held,
                     *skip::when(skip::noPtrace) * skip::when(skip::noThreads)) {
  // The spawners ask for PdeathsigProcessLifetime: a thread of the
  // library's makes each child, and takes ForkLock only for the clone.
  BOOST_TEST(inHelper([] { return heldWhileOthersSpawn(true); }, 6 * kTimeoutMs) == "");
}
#endif

BOOST_AUTO_TEST_CASE(a_thread_with_a_64_KiB_stack_can_spawn, *skip::when(skip::noThreads)) {
  // The child runs on 16 KiB of the calling thread's stack (exec_unix.hpp
  // says ForkExec needs about 20 KiB): a small thread stack, as runtimes
  // give their threads, is enough.
  struct Call {
    std::string result = "not run";
  } call;
  pthread_attr_t attr;
  BOOST_REQUIRE(pthread_attr_init(&attr) == 0);
  // 64 KiB, or glibc's least where that is more (128 KiB on mips).
  const size_t size = std::max<size_t>(64 * 1024, PTHREAD_STACK_MIN);
  BOOST_REQUIRE(pthread_attr_setstacksize(&attr, size) == 0);
  pthread_t t;
  const int rc = pthread_create(
      &t, &attr,
      [](void* p) -> void* {
        auto* c = static_cast<Call*>(p);
        gs::ProcAttr pa;
        pa.Files = {0, 1, 2};
        auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &pa);
        c->result = err ? err.Error() : describe(waitStatus(pid));
        return nullptr;
      },
      &call);
  pthread_attr_destroy(&attr);
  BOOST_REQUIRE(rc == 0);
  pthread_join(t, nullptr);
  BOOST_TEST(call.result == "exited 0");
}
