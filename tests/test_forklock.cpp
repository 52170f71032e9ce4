// SPDX-License-Identifier: BSD-3-Clause
// ForkLock under threads: several threads start children while others
// create fds the non-atomic way (pipe(), then FD_CLOEXEC) holding ForkLock
// shared. Every child must see exactly the fds it was given; afterwards the
// parent's fd table is as before and no child is left.
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

constexpr int kSpawners = 4;
constexpr int kSpawnsEach = 60;
constexpr int kCreators = 2;

// creator makes pipes the way code without pipe2 must: pipe(), then
// FD_CLOEXEC on each end, under ForkLock held shared when locked is true;
// it keeps up to 32 open and closes them in batches. Returns how many it made.
long creator(const std::atomic<bool>& stop, bool locked) {
  std::vector<int> held;
  long made = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    int p[2];
    {
      std::shared_lock<std::shared_mutex> lk(gs::ForkLock, std::defer_lock);
      if (locked) lk.lock();
      if (pipe(p) != 0) break;
      fcntl(p[0], F_SETFD, FD_CLOEXEC);
      fcntl(p[1], F_SETFD, FD_CLOEXEC);
    }
    held.push_back(p[0]);
    held.push_back(p[1]);
    made++;
    if (held.size() >= 32) {
      for (int fd : held) close(fd);
      held.clear();
    }
  }
  for (int fd : held) close(fd);
  return made;
}

// spawner starts `count` probes; even ones report their fds, odd ones their
// environment (a token unique to the spawn). Every deviation is recorded
// as a message: Boost.Test assertions are not for other threads.
void spawner(int id, int count, std::vector<std::string>& errors, int& leaks) {
  for (int i = 0; i < count; i++) {
    try {
      Pipe out;
      Fd null = devNull();
      gs::ProcAttr attr;
      attr.Files = {null.u(), out.w.u(), 2};
      const bool fds = i % 2 == 0;
      const std::string tok = "TOKEN=" + std::to_string(id) + "-" + std::to_string(i);
      attr.Env = {tok};
      auto [pid, err] = gs::ForkExec(kProbe, {"probe", fds ? "fds" : "env"}, &attr);
      out.w.reset();
      if (err) {
        errors.push_back("ForkExec: " + err.Error());
        continue;
      }
      std::string got = readAll(out.r.get());
      gs::WaitStatus ws = wait4(pid);
      if (!ws.Exited() || ws.ExitStatus() != 0) errors.push_back("probe did not exit 0");
      if (fds) {
        auto m = parseFds(got);
        if (keys(m) != std::set<int>{0, 1, 2}) {
          leaks++;
          errors.push_back("child saw fds:\n" + got);
        }
      } else if (got != tok + "\n") {
        errors.push_back("child saw env " + got + ", want " + tok);
      }
    } catch (const std::exception& e) {
      errors.push_back(e.what());
    }
  }
}

struct Outcome {
  std::vector<std::string> errors;
  int leaks = 0;
  long fdsMade = 0;
};

Outcome race(bool locked, int spawnsEach) {
  std::atomic<bool> stop{false};
  std::vector<long> made(kCreators);
  std::vector<std::thread> creators;
  for (int c = 0; c < kCreators; c++)
    creators.emplace_back([&, c] { made[size_t(c)] = creator(stop, locked); });
  std::vector<std::vector<std::string>> errors(kSpawners);
  std::vector<int> leaks(kSpawners);
  std::vector<std::thread> spawners;
  for (int s = 0; s < kSpawners; s++)
    spawners.emplace_back([&, s] { spawner(s, spawnsEach, errors[size_t(s)], leaks[size_t(s)]); });
  for (auto& t : spawners) t.join();
  stop = true;
  for (auto& t : creators) t.join();
  Outcome o;
  for (int s = 0; s < kSpawners; s++) {
    o.errors.insert(o.errors.end(), errors[size_t(s)].begin(), errors[size_t(s)].end());
    o.leaks += leaks[size_t(s)];
  }
  for (long m : made) o.fdsMade += m;
  return o;
}

// The syscall a thread is blocked in (first field of
// /proc/self/task/<tid>/syscall), or -1 while it runs.
long blockedIn(int tid) {
  std::ifstream f("/proc/self/task/" + std::to_string(tid) + "/syscall");
  std::string first;
  f >> first;
  if (first.empty() || first == "running") return -1;
  return std::stol(first);
}

// The number /proc shows for a thread blocked in futex: SYS_futex, except
// under a user-mode emulator, whose threads block in the host's futex, shown
// by the host's number. There it is measured on a thread that waits for a
// mutex this thread holds.
long futexAsShown() {
#ifndef EMULATOR_PATH
  return SYS_futex;
#else
  std::mutex m;
  std::atomic<int> tid{0};
  m.lock();
  std::thread t([&] {
    tid = int(::syscall(SYS_gettid));
    std::lock_guard<std::mutex> g(m);
  });
  while (tid == 0) std::this_thread::yield();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  long nr = -1;
  while (nr == -1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
    nr = blockedIn(tid);
  }
  m.unlock();
  t.join();
  return nr;
#endif
}

}  // namespace

// Every case runs threads.
BOOST_AUTO_TEST_SUITE(forklock, *skip::when(skip::noThreads))

BOOST_AUTO_TEST_CASE(children_see_only_their_files) {
  const std::set<int> before = openFds();
  Outcome o = race(true, kSpawnsEach);
  for (const auto& e : o.errors) BOOST_ERROR(e);
  BOOST_TEST(o.leaks == 0);
  BOOST_TEST(o.fdsMade > 0);
  BOOST_TEST_MESSAGE(kSpawners * kSpawnsEach << " spawns while " << o.fdsMade
                                             << " pipes were made under ForkLock");
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(control_without_the_lock_children_do_see_them) {
  // The same without ForkLock: children may inherit a pipe caught between
  // pipe() and FD_CLOEXEC. This shows the test above can see a leak; it is
  // timing-dependent, so a run that catches none only warns.
  const std::set<int> before = openFds();
  Outcome o = race(false, 30);
  BOOST_TEST_MESSAGE("without ForkLock: " << o.leaks << " of " << kSpawners * 15
                                          << " children saw a pipe they were not given");
  BOOST_WARN(o.leaks > 0);
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(forkexec_waits_for_shared_holders) {
  // While ForkLock is held shared, ForkExec must not create a child: it
  // blocks (in futex) until the lock is released, then proceeds.
  std::shared_lock<std::shared_mutex> lk(gs::ForkLock);
  std::atomic<int> tid{0};
  std::atomic<bool> done{false};
  gs::Errno err;
  int pid = 0;
  std::thread t([&] {
    tid = int(::syscall(SYS_gettid));
    gs::ProcAttr attr;
    std::tie(pid, err) = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
    done = true;
  });
  while (tid == 0) std::this_thread::yield();
  // Wait (bounded) until the thread is blocked in futex: on the lock.
  const long futex = futexAsShown();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (blockedIn(tid) != futex && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();
  BOOST_TEST(blockedIn(tid) == futex);
  BOOST_TEST(!done);
  BOOST_TEST(noChildren());  // no child exists while we hold the lock
  lk.unlock();
  t.join();
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  BOOST_TEST(wait4(pid).ExitStatus() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
