// SPDX-License-Identifier: BSD-3-Clause
// Runtime hooks: the example runtime (counting_runtime.hpp) counts the
// system calls and children it is told about, and the counts are the ones
// the library really makes; the fork hooks run where hooks.hpp says: in the
// parent, on the calling thread, without ForkLock (held only around the
// clone), with every signal blocked, once each per child, and never in the
// child.
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <thread>

#include "counting_runtime.hpp"
#include "exec_helpers.hpp"
#include "skip.hpp"
#include "syscall/internal/sigset.hpp"

using namespace th;
namespace rt = counting_runtime;

namespace {

// Runtime is the example runtime, installed for one test case.
struct Runtime {
  Runtime() { rt::start(); }
  ~Runtime() { rt::stop(); }
};

long entered() { return rt::counters.entered.load(); }
long exited() { return rt::counters.exited.load(); }

// A ProcAttr that gives the child /dev/null for 0, 1 and 2.
struct Attr {
  Fd null = devNull();
  gs::SysProcAttr sys;
  gs::ProcAttr attr;
  Attr() {
    attr.Files = {null.u(), null.u(), null.u()};
    attr.Sys = &sys;
  }
};

// Mask is a signal mask as the kernel has it (a Sigset's longs).
using Mask = std::array<gs::uintptr, sizeof(gs::detail::Sigset) / sizeof(gs::uintptr)>;

// blockedMask is this thread's signal mask, read with a raw syscall.
Mask blockedMask() {
  Mask old{};
  gs::RawSyscall6(gs::SYS_RT_SIGPROCMASK, gs::SIG_BLOCK_, 0, gs::uintptr(old.data()),
                  gs::detail::kSigsetSize, 0, 0);
  return old;
}

// fullyBlocked is the mask this thread has with every signal blocked: all but
// SIGKILL and SIGSTOP on a kernel; under qemu-user also minus the signals
// the emulator keeps for itself. Measured: block all, read back, restore.
Mask fullyBlocked() {
  Mask all, old{};
  all.fill(~gs::uintptr(0));
  gs::RawSyscall6(gs::SYS_RT_SIGPROCMASK, gs::SIG_SETMASK_, gs::uintptr(all.data()),
                  gs::uintptr(old.data()), gs::detail::kSigsetSize, 0, 0);
  const Mask got = blockedMask();
  gs::RawSyscall6(gs::SYS_RT_SIGPROCMASK, gs::SIG_SETMASK_, gs::uintptr(old.data()), 0,
                  gs::detail::kSigsetSize, 0, 0);
  return got;
}

// What one fork hook saw, written by the hook to a pipe, so that a hook
// running in the child (it must not) would show up with the child's pid.
struct Record {
  char which;  // 'B' BeforeFork, 'A' AfterFork
  int pid, tid;
  Mask mask;  // the signal mask inside the hook
  bool forkLockFree;
};

std::atomic<int> recordFd{-1};

void record(char which) noexcept {
  Record r{};
  r.which = which;
  r.pid = int(gs::RawSyscall(gs::SYS_GETPID, 0, 0, 0).r1);
  r.tid = int(gs::RawSyscall(gs::SYS_GETTID, 0, 0, 0).r1);
  r.mask = blockedMask();
  r.forkLockFree = gs::ForkLock.try_lock_shared();
  if (r.forkLockFree) gs::ForkLock.unlock_shared();
  gs::RawSyscall(gs::SYS_WRITE, gs::uintptr(recordFd.load()), gs::uintptr(&r), sizeof r);
}

void recordBefore() noexcept { record('B'); }
void recordAfter() noexcept { record('A'); }
const gs::ForkHooks kRecordingHooks{&recordBefore, &recordAfter};

// readRecords reads every record written so far (the pipe is non-blocking).
std::vector<Record> readRecords(int fd) {
  std::vector<Record> out;
  Record r;
  while (read(fd, &r, sizeof r) == ssize_t(sizeof r)) out.push_back(r);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(blocking_read_is_counted_while_it_blocks, *skip::when(skip::noThreads)) {
  // A thread reads an empty pipe through the hooked Read. The runtime's
  // Enter wakes this thread (the "spare worker") through wake; the reader
  // cannot return before data arrives, so at that point it has entered and
  // not exited. Then the data comes, and Exit runs once.
  Pipe data, woken;
  Runtime runtime;
  rt::counters.wakeFd = woken.w.get();
  char got = 0;
  std::pair<gs::uintptr, gs::Errno> result{};
  std::thread reader([&] { result = gs::Read(data.r.get(), &got, 1); });

  const bool wokeUp = pollIn(woken.r.get(), kTimeoutMs);
  BOOST_TEST(wokeUp);
  BOOST_TEST(entered() == 1);
  BOOST_TEST(exited() == 0);  // blocked: no byte to read yet
  BOOST_TEST(rt::counters.inSyscall.load() == 1);

  writeAll(data.w.get(), "x");
  reader.join();
  rt::counters.wakeFd = -1;
  BOOST_TEST(!result.second);
  BOOST_TEST(result.first == 1u);
  BOOST_TEST(got == 'x');
  BOOST_TEST(entered() == 1);
  BOOST_TEST(exited() == 1);
  BOOST_TEST(rt::counters.inSyscall.load() == 0);
}

// Whether this kernel (or emulator) lets a child share our memory without
// being a thread: clone(CLONE_VM | SIGCHLD), tried. qemu-user refuses it
// (EINVAL), and the library's Linux backend forks instead.
bool cloneVmWorks() {
  alignas(16) static char stack[16384];
  const int pid =
      ::clone([](void*) -> int { _exit(0); }, stack + sizeof stack, CLONE_VM | SIGCHLD, nullptr);
  if (pid < 0) return false;
  waitpid(pid, nullptr, 0);
  return true;
}

// The hooked calls one ppoll of the library's makes: on the 32-bit arches
// it tries ppoll_time64 first, and the original ppoll after ENOSYS
// (kernels before 5.1, and the linux-4.19 environment of the matrix).
int ppollCalls() {
#if UINTPTR_MAX == 0xFFFFFFFFu
  const int64_t ts[2] = {0, 0};
  const auto r = gs::RawSyscall6(gs::SYS_PPOLL_TIME64, 0, 0, gs::uintptr(ts), 0, 0, 0);
  return r.err == gs::ENOSYS_ ? 2 : 1;
#else
  return 1;
#endif
}

// The hooked calls that create a child, after the raw pipe2 and clone: the
// Close of the status pipe's write end, and, for a child that shares our
// memory (the Linux backend, where the kernel allows it), the ppoll that
// waits until it no longer runs on it (it has exec'd), then for a child
// that failed, the waitid for its exit.
#if defined(GOSYSCALL_EXEC_BSD)
const bool kSharedChild = false;
#else
const bool kSharedChild = cloneVmWorks();
#endif
const int kPpollCalls = kSharedChild ? ppollCalls() : 0;
const int kCreateCalls = 1 + kPpollCalls;
const int kCreateFailedCalls = kSharedChild ? 2 + kPpollCalls : 1;

BOOST_AUTO_TEST_CASE(forkexec_counts_one_child_and_its_status_pipe_syscalls) {
  Attr a;
  Runtime runtime;
  auto [pid, err] = gs::ForkExec("/bin/sh", {"sh", "-c", "exit 3"}, &a.attr);
  BOOST_REQUIRE(!err);
  BOOST_TEST(rt::counters.beforeFork.load() == 1);
  BOOST_TEST(rt::counters.afterFork.load() == 1);
  // The hooked calls of a successful ForkExec: those that create the
  // child, Read (EOF: execve succeeded), Close (the read end). The pipe
  // itself and the clone are raw.
  BOOST_TEST(entered() == kCreateCalls + 2);
  BOOST_TEST(exited() == kCreateCalls + 2);

  gs::WaitStatus ws = wait4(pid);  // one more: Wait4
  BOOST_TEST(ws.Exited());
  BOOST_TEST(ws.ExitStatus() == 3);
  BOOST_TEST(entered() == kCreateCalls + 3);
  BOOST_TEST(exited() == kCreateCalls + 3);
  BOOST_TEST(rt::counters.beforeFork.load() == 1);  // Wait4 creates no child
}

BOOST_AUTO_TEST_CASE(failed_exec_counts_the_child_and_its_reaping) {
  Attr a;
  Runtime runtime;
  auto [pid, err] = gs::ForkExec("/nonexistent/program", {"program"}, &a.attr);
  BOOST_TEST(pid == 0);
  BOOST_TEST(err == gs::ENOENT_);
  BOOST_TEST(rt::counters.beforeFork.load() == 1);  // a child was created
  BOOST_TEST(rt::counters.afterFork.load() == 1);
  // Those that create the child, Read (the child's errno), Close, and the
  // Wait4 that reaps it.
  BOOST_TEST(entered() == kCreateFailedCalls + 3);
  BOOST_TEST(exited() == kCreateFailedCalls + 3);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(rejected_input_runs_no_hook) {
  Attr a;
  Runtime runtime;
  auto [pid, err] = gs::ForkExec("/bin/sh", {"sh", std::string("a\0b", 3)}, &a.attr);
  BOOST_TEST(pid == 0);
  BOOST_TEST(err == gs::EINVAL_);
  BOOST_TEST(rt::counters.beforeFork.load() == 0);
  BOOST_TEST(rt::counters.afterFork.load() == 0);
  BOOST_TEST(entered() == 0);
}

#if !defined(GOSYSCALL_EXEC_BSD)
BOOST_AUTO_TEST_CASE(child_side_refusal_still_pairs_the_fork_hooks) {
  // An out-of-range Pdeathsig is refused by the child side before the
  // status pipe and the clone: no child, no fd, but BeforeFork ran, so
  // AfterFork runs too.
  Attr a;
  a.sys.Pdeathsig = gs::Signal{NSIG};  // one past the last signal (64, or 127 on mips)
  Runtime runtime;
  auto [pid, err] = gs::ForkExec("/bin/sh", {"sh", "-c", "exit 0"}, &a.attr);
  BOOST_TEST(pid == 0);
  BOOST_TEST(err == gs::EINVAL_);
  BOOST_TEST(rt::counters.beforeFork.load() == 1);
  BOOST_TEST(rt::counters.afterFork.load() == 1);
  BOOST_TEST(entered() == 0);  // no pipe was made, so nothing to close or read
  BOOST_TEST(noChildren());
}
#endif

BOOST_AUTO_TEST_CASE(fork_hooks_run_in_the_parent_with_signals_blocked_without_forklock) {
  int p[2];
  BOOST_REQUIRE(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0);
  Fd r(p[0]), w(p[1]);
  recordFd = w.get();
  Attr a;
  const Mask maskBefore = blockedMask();
  const Mask allBlocked = fullyBlocked();
  BOOST_TEST((allBlocked != maskBefore));  // else the check below could not fail
  gs::SetForkHooks(&kRecordingHooks);
  auto [pid, err] = gs::ForkExec("/bin/sh", {"sh", "-c", "exit 0"}, &a.attr);
  gs::SetForkHooks(nullptr);
  BOOST_REQUIRE(!err);
  // Reaped first: the child has exec'd and exited, so anything it could
  // have written to the pipe (it holds the write end until execve) is there.
  gs::WaitStatus ws = wait4(pid);
  BOOST_TEST(ws.Exited());

  const std::vector<Record> recs = readRecords(r.get());
  BOOST_REQUIRE(recs.size() == 2u);  // one each; none from the child
  BOOST_TEST(recs[0].which == 'B');
  BOOST_TEST(recs[1].which == 'A');
  const int tid = int(gs::RawSyscall(gs::SYS_GETTID, 0, 0, 0).r1);
  for (const Record& rec : recs) {
    BOOST_TEST(rec.pid == getpid());     // in the parent
    BOOST_TEST(rec.tid == tid);          // on the thread that called ForkExec
    BOOST_TEST(rec.mask == allBlocked);  // every signal blocked
    BOOST_TEST(rec.forkLockFree);        // ForkLock not held: a hook may take it
  }
  BOOST_TEST(blockedMask() == maskBefore);  // and the mask back as it was
  recordFd = -1;
}
