// SPDX-License-Identifier: BSD-3-Clause
// The death signal belongs to the thread that created the child (the kernel
// sends it when that thread exits, Go issue 27505). Here that thread exits
// after the clone and before the child arms the signal, while the rest of
// the process lives on, so the kernel will never send it: the child must
// find out by itself and not exec. Both the process's main thread (whose
// exit leaves a zombie leader until the others are gone) and a second
// thread (which is released at once) are tried, in the parent's pid
// namespace and in a new one (where getppid() is 0).
//
// The window is made deterministic with ptrace (th::seizeAndCatchChild): the
// test, T, holds the child C stopped before its first instruction while the
// creating thread K of the parent process P exits (raw exit in the AfterFork
// hook), waits until the kernel shows K gone, then lets C run. Before the
// fix, C exec'd the probe (exit 3) in all four cases.
#include <sys/syscall.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "exec_helpers.hpp"
#include "live_probe.hpp"
#include "skip.hpp"

using namespace th;

namespace {

std::atomic<pid_t> exitingTid{0};

// exitIfCreator ends the creating thread right after the child's creation,
// with the raw exit system call (no unwinding through the library).
void exitIfCreator() noexcept {
  if (pid_t(syscall(SYS_gettid)) == exitingTid.load()) syscall(SYS_exit, 0);
}

// creator is K's part in P: report its tid, wait for T's go, ForkExec.
[[noreturn]] void creator(int report, int go, bool pidns) {
  const pid_t tid = pid_t(syscall(SYS_gettid));
  exitingTid = tid;
  static const gs::ForkHooks hooks{nullptr, exitIfCreator};
  gs::SetForkHooks(&hooks);
  writeAll(report, std::to_string(tid) + "\n");
  char c;
  if (read(go, &c, 1) != 1) _exit(71);
  gs::SysProcAttr sys;
  sys.Pdeathsig = gs::SIGTERM_;
  // CLONE_NEWUSER: the child is forked, not sharing K's memory, so K does not wait
  // for it to exec and can exit first.
  sys.Cloneflags = CLONE_NEWUSER | (pidns ? CLONE_NEWPID : 0);
  sys.UidMappings = {{0, 0, 1}};
  sys.GidMappings = {{0, 0, 1}};
  gs::ProcAttr attr{"", {}, {0, 1, 2}, &sys};
  (void)gs::ForkExec(kProbe, {"probe", "exit", "3"}, &attr);
  _exit(72);  // not reached when the hook ends the thread
}

// gone tells whether thread tid of process pid has exited, as far as the
// kernel's /proc shows: released (no entry), or a zombie leader.
bool gone(pid_t pid, pid_t tid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/stat");
  std::string line;
  if (!std::getline(f, line)) return true;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() &&
         (line[close + 2] == 'Z' || line[close + 2] == 'X');
}

// ending runs C (traced by us) to its end, passing on the signals it
// stops for, and returns its status.
int ending(pid_t c) {
  if (ptrace(PTRACE_CONT, c, nullptr, nullptr) != 0) fail("PTRACE_CONT C");
  for (;;) {
    int st = 0;
    const pid_t w = waitAny(&st);
    if (w != c) continue;
    if (WIFEXITED(st) || WIFSIGNALED(st)) return st;
    const int sig = (st >> 16) == 0 ? WSTOPSIG(st) : 0;
    ptrace(PTRACE_CONT, c, nullptr, (void*)long(sig));
  }
}

// run plays T: P's thread (the main one if byMain) creates C and exits.
std::string run(bool byMain, bool pidns) {
  Pipe report, go, hold;
  const pid_t p = fork();
  if (p < 0) fail("fork");
  if (p == 0) {
    report.r.reset();
    go.w.reset();
    hold.w.reset();
    // The other thread keeps P alive until T closes hold.
    auto stay = [&] {
      char c;
      while (read(hold.r.get(), &c, 1) > 0) {
      }
      _exit(0);
    };
    if (byMain) {
      std::thread(stay).detach();
      creator(report.w.get(), go.r.get(), pidns);
    }
    std::thread(creator, report.w.get(), go.r.get(), pidns).detach();
    stay();
  }
  report.w.reset();
  go.r.reset();
  hold.r.reset();
  std::string result;
  pid_t c = 0;
  try {
    const pid_t k = pid_t(std::stol(readLine(report.r.get())));
    c = seizeAndCatchChild(k, go.w.get());
    // K goes on untraced: it writes C's id maps, then exits in AfterFork.
    if (ptrace(PTRACE_DETACH, k, nullptr, nullptr) != 0) fail("PTRACE_DETACH K");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
    while (!gone(p, k)) {  // polled: no fd tells of one thread's exit
      if (std::chrono::steady_clock::now() > deadline) fail("the creating thread did not exit");
      std::this_thread::yield();
    }
    const int st = ending(c);
    const bool killed = (WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM) ||
                        (WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGTERM);  // a pid ns's init
    if (!killed) result = "the child, whose creating thread had exited, " + describe(st);
  } catch (const std::exception& e) {
    result = e.what();
    if (c > 0) kill(c, SIGKILL);
  }
  hold.w.reset();
  waitStatus(p);
  return result;
}

std::string cannotHold() {
  return skip::all<skip::noThreads, skip::noPtrace, skip::noNamespaceCloneflags>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pdeathsig_creator)

BOOST_AUTO_TEST_CASE(creating_thread_exits_before_prctl,
                     *skip::when(cannotHold) * boost::unit_test::precondition(CanMapIds{})) {
  for (bool byMain : {true, false}) {
    for (bool pidns : {false, true}) {
      BOOST_TEST_CONTEXT((byMain ? "main thread" : "second thread")
                         << (pidns ? ", new pid namespace" : ", same pid namespace")) {
        BOOST_TEST(run(byMain, pidns) == "");
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
