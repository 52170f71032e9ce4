// SPDX-License-Identifier: BSD-3-Clause
// Spawn threads (spawn_thread.hpp): the calling thread starts one per
// child, hands it the request through a Handoff on the caller's stack, and
// waits until the child exists; the thread then waits for the child's exit.
//
// There is no state shared between calls, on purpose: nothing to rebuild in
// a process made by fork() (an earlier design kept one thread and knew it by
// its pid number, which a process forked into a new pid namespace can share
// with its parent, and waited forever for a thread it did not have), and
// nothing to outlive the static destructors at exit.
#include "syscall/internal/spawn_thread.hpp"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "syscall/internal/exec_child.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/syscall_linux.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

namespace go::syscall::detail {

namespace {

// The thread's stack. It runs the parent side of forkAndExecInChild (the
// child has a stack of its own) and then only waits, so a small stack
// suffices; the default (RLIMIT_STACK, often 8 MiB) would let a 32-bit
// process run out of address space after a few hundred children.
constexpr size_t kStackSize = 128 * 1024;

// Handoff is one request. It lives on the calling thread's stack, which
// waits until done: the thread must not touch it after setting done.
struct Handoff {
  int (*fn)(void*);
  void* arg;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;

  Handoff(int (*f)(void*), void* a) : fn(f), arg(a) {}
};

void setMask(const Sigset& mask) {
  RawSyscall6(SYS_RT_SIGPROCMASK, SIG_SETMASK_, uintptr(&mask), 0, kSigsetSize, 0, 0);
}

// quietMask blocks every signal but the C library's own, 32 up to SIGRTMIN
// (glibc: 32 and 33, musl: 32 to 34). setuid() and the other set*id calls
// send one of them to every thread and wait for each to answer, so that
// all threads keep one set of credentials; a thread blocking it would hang
// them forever (the long-lived thread of this file's first design did).
Sigset quietMask() {
  Sigset mask = fullSigset();
  for (int sig = 32; sig < SIGRTMIN; sig++) sigsetDel(mask, sig);
  return mask;
}

// awaitExit returns once child pid has exited. WNOWAIT leaves it a zombie
// for the caller's Wait4. ECHILD ends the wait too: the child was reaped
// already, or auto-reaped (SIGCHLD ignored), and is gone either way. No
// pidfd: an fd per child would count against RLIMIT_NOFILE, and a program
// that closes every fd it does not know would end the wait early. (Were
// the pid reaped by a wait for any child elsewhere and reused by another
// child of this process before this wait began, the thread would live
// until that one exits: harmless.)
void awaitExit(int pid) {
  Siginfo info{};
  while (RawSyscall6(SYS_WAITID, P_PID_, uintptr(pid), uintptr(&info), WEXITED_ | WNOWAIT_, 0, 0)
             .err == EINTR_) {
  }
}

void* serve(void* p) {
  auto* h = static_cast<Handoff*>(p);
  // The caller blocks every signal while it makes a child (forkExec), and
  // so does fn here: pthread_create left the C library's own unblocked.
  setMask(fullSigset());
  const int pid = h->fn(h->arg);
  setMask(quietMask());
  // A name for ps -L and debuggers, now that the child (which copies the
  // creating thread's name until its execve) exists; before the caller
  // goes on, so that it is named once ForkExec returns.
  static constexpr char kName[] = "gosyscall-wait";
  if (pid > 0) RawSyscall6(SYS_PRCTL, PR_SET_NAME_, uintptr(kName), 0, 0, 0, 0);
  {
    std::lock_guard<std::mutex> g(h->mu);
    h->done = true;
    h->cv.notify_one();
  }
  if (pid > 0) awaitExit(pid);
  return nullptr;
}

// start creates the thread for h, detached (nobody joins it: it ends on
// its own). No handler of the process ever runs on it: it starts with the
// caller's mask, every signal blocked, and keeps them blocked. (A handler
// here would run on its small stack: a flood of signals, each interrupting
// the last one's handler, once overflowed it.)
int start(Handoff* h) {
  pthread_attr_t attr;
  if (int rc = pthread_attr_init(&attr)) return rc;
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, kStackSize);
  pthread_t t;
  int rc = pthread_create(&t, &attr, serve, h);
  if (rc == EINVAL) {
    // glibc counts static TLS against the stack size: a program with
    // large thread-locals needs more than kStackSize. The default then.
    pthread_attr_destroy(&attr);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&t, &attr, serve, h);
  }
  pthread_attr_destroy(&attr);
  return rc;
}

}  // namespace

Errno onSpawnThread(int (*fn)(void*), void* arg) noexcept {
  // Not cancellable until the thread is done with *h (on our stack): a
  // pthread_cancel would otherwise unwind out of the wait below, through
  // this noexcept function, and std::terminate the process.
  int cancelState;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancelState);
  Handoff h(fn, arg);
  const int rc = start(&h);
  if (rc == 0) {
    std::unique_lock<std::mutex> lk(h.mu);
    h.cv.wait(lk, [&h] { return h.done; });
  }
  pthread_setcancelstate(cancelState, nullptr);
  return Errno{uintptr(rc)};
}

}  // namespace go::syscall::detail
