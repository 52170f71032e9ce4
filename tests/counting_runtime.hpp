// SPDX-License-Identifier: BSD-3-Clause
// counting_runtime: the smallest example of a runtime embedding gosyscall
// through its hooks (docs/EMBEDDING.md, "Runtime hooks"). It counts the
// system calls made through Syscall/Syscall6 (the ones that may block:
// read, write, wait4, ...; RawSyscall is not hooked), how many threads are
// inside one right now, and the children ForkExec created.
//
// A real scheduler would do its work where this one counts: on Enter, hand
// the thread's queued work to another worker (Go: entersyscall/handoffp);
// on Exit, take some back; around fork, pause whatever must not run while a
// child is being created. As here, it would use atomics and raw syscalls
// only, because the hooks may run on any thread, concurrently, and with
// signals blocked.
#pragma once

#include <atomic>
#include <cerrno>

#include "syscall/syscall.hpp"

namespace counting_runtime {

namespace gs = go::syscall;

struct Counters {
  std::atomic<long> entered{0};     // Enter calls
  std::atomic<long> exited{0};      // Exit calls
  std::atomic<long> inSyscall{0};   // threads between Enter and Exit now
  std::atomic<long> beforeFork{0};  // BeforeFork calls
  std::atomic<long> afterFork{0};   // AfterFork calls
  std::atomic<int> wakeFd{-1};      // if >= 0, Enter writes one byte here
};

inline Counters counters;

// wake tells a (here: the test's) spare worker that a thread is entering a
// system call that may block. A raw write: Syscall here would recurse.
inline void wake() noexcept {
  const int fd = counters.wakeFd.load();
  if (fd < 0) return;
  const char b = 'w';
  gs::RawSyscall(gs::SYS_WRITE, gs::uintptr(fd), gs::uintptr(&b), 1);
}

inline void enter() noexcept {
  const int saved = errno;  // hooks leave errno as they found it
  counters.entered++;
  counters.inSyscall++;
  wake();
  errno = saved;
}

inline void exit() noexcept {
  counters.inSyscall--;
  counters.exited++;
}

inline void beforeFork() noexcept { counters.beforeFork++; }
inline void afterFork() noexcept { counters.afterFork++; }

// Static storage, never changed: the hooks contract (hooks.hpp).
inline const gs::SyscallHooks kSyscallHooks{&enter, &exit};
inline const gs::ForkHooks kForkHooks{&beforeFork, &afterFork};

// start installs both pairs with every counter at zero; stop removes them.
inline void start() {
  counters.entered = counters.exited = counters.inSyscall = 0;
  counters.beforeFork = counters.afterFork = 0;
  gs::SetSyscallHooks(&kSyscallHooks);
  gs::SetForkHooks(&kForkHooks);
}

inline void stop() {
  gs::SetSyscallHooks(nullptr);
  gs::SetForkHooks(nullptr);
}

}  // namespace counting_runtime
