// SPDX-License-Identifier: BSD-3-Clause
// fd hygiene under load: 8 threads start 10,000 children in all while
// other threads create fds, some without O_CLOEXEC (under ForkLock held
// shared, as its contract says), some with it (no lock needed). Each child
// (fdcheck, a small static program) checks that its fd table is exactly
// the Files it was given: the same files at the same numbers, nothing else.
// Afterwards the parent has the same fds as before and no child left.
// A second case runs CloseFds against a careless thread that makes
// non-close-on-exec fds without taking ForkLock.
#include <sys/mman.h>
#include <sys/socket.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <thread>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

const std::string kFdcheck = FDCHECK_PATH;
constexpr int kSpawners = 8;
// 10,000 children, the figure. GOSYSCALL_LOAD_CHILDREN lowers it
// where each spawn is much slower (tools/test-sanitizers, under TSan;
// qemu-user; the environment matrix of tools/test).
const int kChildren = [] {
  const char* v = getenv("GOSYSCALL_LOAD_CHILDREN");
  return v && atoi(v) >= kSpawners ? atoi(v) / kSpawners * kSpawners : 10000;
}();
// The careless-thread case: a tenth as many, each with CloseFds, which
// closes fd by fd up to RLIMIT_NOFILE where there is no close_range (the
// older kernels of tools/test's environment matrix). Even: two spawners.
const int kCarelessChildren = std::max(2, kChildren / 20 * 2);

// creator makes fds until stop: careful ones (pipe(), then FD_CLOEXEC, under
// ForkLock shared), atomic ones (O_CLOEXEC, no lock), or, when careless,
// pipes left without FD_CLOEXEC for a while, with no lock at all.
enum class Style { Locked, Atomic, Careless };
long creator(const std::atomic<bool>& stop, Style style) {
  std::vector<int> held;
  long made = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    int p[2];
    if (style == Style::Locked) {
      std::shared_lock<std::shared_mutex> lk(gs::ForkLock);
      if (pipe(p) != 0) break;
      fcntl(p[0], F_SETFD, FD_CLOEXEC);
      fcntl(p[1], F_SETFD, FD_CLOEXEC);
    } else if (style == Style::Atomic) {
      if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) != 0) break;
    } else {
      if (pipe(p) != 0) break;  // inheritable until closed: a leak waiting to happen
    }
    held.push_back(p[0]);
    held.push_back(p[1]);
    made++;
    // Let the spawners run: on a small machine a creator that never
    // yields would starve them (and, holding ForkLock shared, keep
    // ForkExec waiting for the lock), which tests the scheduler, not fds.
    std::this_thread::yield();
    if (held.size() >= 32) {
      for (int fd : held) close(fd);
      held.clear();
    }
  }
  for (int fd : held) close(fd);
  return made;
}

std::string devIno(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) fail("fstat");
  return std::to_string((unsigned long long)st.st_dev) + ":" +
         std::to_string((unsigned long long)st.st_ino);
}

struct Result {
  long spawned = 0, leaks = 0, wrong = 0;
  std::vector<std::string> errors;
};

// spawner starts count fdchecks, each with a random Files table (1 to 6
// entries) drawn from fds of its own and closed entries. Every other child
// asks for CloseFds or Pdeathsig too, so those paths run under load as well.
void spawner(int id, int count, bool closeFds, Result& res) {
  std::mt19937 rng(unsigned(id) * 7919u + 1);
  try {
    Fd null = devNull(O_RDONLY);
    Pipe pipe;
    int mfd = memfd_create("fd-load", MFD_CLOEXEC);
    if (mfd < 0) fail("memfd_create");
    Fd mem(mfd);
    const std::vector<int> own = {null.get(), pipe.r.get(), pipe.w.get(), mem.get()};
    std::map<int, std::string> ids;
    for (int fd : own) ids[fd] = devIno(fd);
    for (int i = 0; i < count; i++) {
      const int nfiles = std::uniform_int_distribution<int>(1, 6)(rng);
      gs::ProcAttr attr;
      std::vector<std::string> argv{"fdcheck"};
      for (int k = 0; k < nfiles; k++) {
        const int pick = std::uniform_int_distribution<int>(0, int(own.size()))(rng);
        if (pick == int(own.size())) {
          attr.Files.push_back(kClosed);
          argv.push_back("-");
        } else {
          attr.Files.push_back(U(own[size_t(pick)]));
          argv.push_back(ids[own[size_t(pick)]]);
        }
      }
      gs::SysProcAttr sys;
      sys.CloseFds = closeFds || i % 4 == 1;
#ifndef GOSYSCALL_EXEC_BSD
      if (i % 4 == 3) sys.Pdeathsig = gs::SIGKILL_;
#endif
      attr.Sys = &sys;
      auto [pid, err] = gs::ForkExec(kFdcheck, argv, &attr);
      if (err) {
        res.errors.push_back("ForkExec: " + err.Error());
        continue;
      }
      res.spawned++;
      gs::WaitStatus ws = wait4(pid);
      if (ws.Exited() && ws.ExitStatus() == 0) continue;
      if (ws.Exited() && ws.ExitStatus() == 1)
        res.leaks++;
      else
        res.wrong++;
      if (res.errors.size() < 5) {
        std::string a;
        for (const auto& s : argv) a += " " + s;
        res.errors.push_back("fdcheck" + a + ": status " +
                             std::to_string(ws.Exited() ? ws.ExitStatus() : -1));
      }
    }
  } catch (const std::exception& e) {
    res.errors.push_back(e.what());
  }
}

struct Load {
  Result total;
  long fdsMade = 0;
  double secs = 0;
};

Load run(int spawners, int children, const std::vector<Style>& styles, bool closeFds) {
  std::atomic<bool> stop{false};
  std::vector<long> made(styles.size());
  std::vector<std::thread> creators;
  for (size_t c = 0; c < styles.size(); c++)
    creators.emplace_back([&, c] { made[c] = creator(stop, styles[c]); });
  std::vector<Result> results(size_t(spawners), Result{});
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < spawners; s++)
    threads.emplace_back([&, s] { spawner(s, children / spawners, closeFds, results[size_t(s)]); });
  for (auto& t : threads) t.join();
  Load l;
  l.secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stop = true;
  for (auto& t : creators) t.join();
  for (const auto& r : results) {
    l.total.spawned += r.spawned;
    l.total.leaks += r.leaks;
    l.total.wrong += r.wrong;
    l.total.errors.insert(l.total.errors.end(), r.errors.begin(), r.errors.end());
  }
  for (long m : made) l.fdsMade += m;
  return l;
}

void report(const std::string& name, const Load& l) {
  std::cout << "fd load: " << name << ": " << l.total.spawned << " children in " << l.secs << " s ("
            << long(double(l.total.spawned) / l.secs) << "/s), " << l.total.leaks
            << " saw an extra fd, " << l.total.wrong << " a wrong table; " << l.fdsMade
            << " fd pairs made meanwhile" << std::endl;
  for (size_t i = 0; i < l.total.errors.size() && i < 5; i++) BOOST_TEST_MESSAGE(l.total.errors[i]);
}

}  // namespace

// Every case runs threads.
BOOST_AUTO_TEST_SUITE(fd_load, *skip::when(skip::noThreads))

BOOST_AUTO_TEST_CASE(ten_thousand_children_see_exactly_their_files) {
  const std::set<int> before = openFds();
  Load l = run(kSpawners, kChildren, {Style::Locked, Style::Locked, Style::Atomic}, false);
  report("8 threads, ForkLock discipline", l);
  BOOST_TEST(l.total.errors.empty(), (l.total.errors.empty() ? "" : l.total.errors[0]));
  BOOST_TEST(l.total.spawned == kChildren);
  BOOST_TEST(l.total.leaks == 0);
  BOOST_TEST(l.total.wrong == 0);
  BOOST_TEST(l.fdsMade > 0);
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
  BOOST_TEST(noChildren(), "a child (or zombie) is left");
}

BOOST_AUTO_TEST_CASE(close_fds_against_a_careless_thread) {
  // The careless thread breaks the contract (no O_CLOEXEC, no ForkLock);
  // CloseFds still gives every child exactly its Files.
  const std::set<int> before = openFds();
  Load l = run(2, kCarelessChildren, {Style::Careless}, true);
  report("CloseFds, careless thread", l);
  BOOST_TEST(l.total.errors.empty(), (l.total.errors.empty() ? "" : l.total.errors[0]));
  BOOST_TEST(l.total.spawned == kCarelessChildren);
  BOOST_TEST(l.total.leaks == 0);
  BOOST_TEST(l.total.wrong == 0);
  BOOST_TEST(l.fdsMade > 0);
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_SUITE_END()
