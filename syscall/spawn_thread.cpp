// The spawn thread (spawn_thread.hpp): a mutex and a condition variable
// hand one request at a time from a calling thread to it.
#include "syscall/internal/spawn_thread.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>

#include "syscall/internal/exec_child.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

namespace go::syscall::detail {

namespace {

// SpawnThread is the thread's state. It is never freed: the thread never
// ends, and a forked copy of the process abandons its parent's (see
// spawnThread).
struct SpawnThread {
  int pid = 0;                 // the process the thread belongs to
  std::mutex call;             // held by the one caller being served
  std::mutex mu;               // guards the request below
  std::condition_variable cv;
  void (*fn)(void*) = nullptr; // the request; nullptr: none pending
  void* arg = nullptr;
  uint64_t mask = 0;           // the caller's signal mask
  bool done = false;
};

uint64_t currentMask() {
  uint64_t mask = 0;
  RawSyscall6(SYS_RT_SIGPROCMASK, kSigSetmask, 0, uintptr(&mask), kSigsetSize, 0, 0);
  return mask;
}

void setMask(uint64_t mask) {
  RawSyscall6(SYS_RT_SIGPROCMASK, kSigSetmask, uintptr(&mask), 0, kSigsetSize, 0, 0);
}

[[noreturn]] void serve(SpawnThread* t) {
  setMask(~uint64_t(0));
  std::unique_lock<std::mutex> lk(t->mu);
  for (;;) {
    t->cv.wait(lk, [t] { return t->fn != nullptr; });
    // The caller waits on the same mutex: fn runs unlocked, so that a
    // child forked in fn holds no copy of a locked mutex it might need.
    void (*fn)(void*) = t->fn;
    void* arg = t->arg;
    setMask(t->mask);
    lk.unlock();
    fn(arg);
    setMask(~uint64_t(0));
    lk.lock();
    t->fn = nullptr;
    t->done = true;
    t->cv.notify_all();
  }
}

// spawnThread returns this process's spawn thread, starting it if needed,
// or nullptr if it cannot be started. A process made by fork() without
// exec has the parent's state but not its thread: the pid tells, and it
// starts its own.
SpawnThread* spawnThread() {
  static std::mutex startMu;
  static SpawnThread* current = nullptr;
  const int pid = int(RawSyscall(SYS_GETPID, 0, 0, 0).r1);
  std::lock_guard<std::mutex> g(startMu);
  if (current != nullptr && current->pid == pid) return current;
  SpawnThread* t = new (std::nothrow) SpawnThread;
  if (t == nullptr) return nullptr;
  t->pid = pid;
  try {
    std::thread(serve, t).detach();
  } catch (const std::system_error&) {
    delete t;
    return nullptr;
  }
  current = t;
  return t;
}

}  // namespace

Errno onSpawnThread(void (*fn)(void*), void* arg) noexcept {
  SpawnThread* t = spawnThread();
  if (t == nullptr) return EAGAIN_;
  std::lock_guard<std::mutex> call(t->call);
  std::unique_lock<std::mutex> lk(t->mu);
  t->fn = fn;
  t->arg = arg;
  t->mask = currentMask();
  t->done = false;
  t->cv.notify_all();
  t->cv.wait(lk, [t] { return t->done; });
  return Errno{};
}

}  // namespace go::syscall::detail
