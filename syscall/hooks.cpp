// SPDX-License-Identifier: BSD-3-Clause
// The installed syscall and fork hooks, and the hooked Syscall/Syscall6.
#include "syscall/hooks.hpp"

#include <atomic>

namespace go::syscall {

namespace {

// One pointer to an immutable pair, so that Enter and Exit of one call always
// come from the same pair: two separate atomics could be read across a
// concurrent SetSyscallHooks and pair the old Enter with the new Exit.
std::atomic<const SyscallHooks*> installed{nullptr};
std::atomic<const ForkHooks*> installedFork{nullptr};

// Pointer-sized atomics are lock-free on all four arches; a lock here would
// make Syscall unusable from signal handlers.
static_assert(std::atomic<const SyscallHooks*>::is_always_lock_free);
static_assert(std::atomic<const ForkHooks*>::is_always_lock_free);

}  // namespace

void SetSyscallHooks(const SyscallHooks* hooks) noexcept {
  // release: a thread that loads the pointer also sees the pair's contents.
  installed.store(hooks, std::memory_order_release);
}

const SyscallHooks* GetSyscallHooks() noexcept { return installed.load(std::memory_order_acquire); }

void SetForkHooks(const ForkHooks* hooks) noexcept {
  installedFork.store(hooks, std::memory_order_release);
}

const ForkHooks* GetForkHooks() noexcept { return installedFork.load(std::memory_order_acquire); }

SyscallResult Syscall(uintptr trap, uintptr a1, uintptr a2, uintptr a3) noexcept {
  const SyscallHooks* h = installed.load(std::memory_order_acquire);
  if (h != nullptr && h->Enter != nullptr) h->Enter();
  SyscallResult r = RawSyscall(trap, a1, a2, a3);
  if (h != nullptr && h->Exit != nullptr) h->Exit();
  return r;
}

SyscallResult Syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3, uintptr a4, uintptr a5,
                       uintptr a6) noexcept {
  const SyscallHooks* h = installed.load(std::memory_order_acquire);
  if (h != nullptr && h->Enter != nullptr) h->Enter();
  SyscallResult r = RawSyscall6(trap, a1, a2, a3, a4, a5, a6);
  if (h != nullptr && h->Exit != nullptr) h->Exit();
  return r;
}

}  // namespace go::syscall
