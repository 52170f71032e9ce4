// Syscall and Syscall6: RawSyscall, bracketed by an embedding runtime's hooks.
//
// Go's syscall.Syscall calls runtime.entersyscall before the trap and
// runtime.exitsyscall after it, so the scheduler can hand the thread's other
// work elsewhere while it may block in the kernel. A C++ runtime embedding
// this library (a fiber scheduler, a coroutine runtime, a profiler) gets the
// same two points through SyscallHooks. None is installed by default, and
// then Syscall is RawSyscall plus one atomic load.
//
// Never use Syscall/Syscall6 (or a wrapper built on them) in a child made by
// clone(CLONE_VM|CLONE_VFORK): the hooks are the runtime's code and would run
// on the parent's memory. The child side uses RawSyscall only.
#pragma once

#include "syscall/rawsyscall.hpp"

namespace go::syscall {

// The pair a runtime installs. Either pointer may be null (no call).
//
// A hook must:
//   - not throw (the type says so: the functions are noexcept);
//   - leave errno as it found it (Syscall promises, as RawSyscall, never to
//     change errno, and callers may rely on it);
//   - not call Syscall/Syscall6 or a wrapper built on them (it would recurse
//     into itself; RawSyscall is fine);
//   - be safe to run on any thread, concurrently, and inside a signal handler
//     if the program makes system calls through Syscall from one;
//   - not assume Enter and Exit run close together: Exit runs only when the
//     call returns, which for wait4 or read may be much later.
// Each Syscall calls Enter once before the trap and Exit once after it, from
// the same installed pair even if SetSyscallHooks runs meanwhile.
struct SyscallHooks {
  void (*Enter)() noexcept = nullptr;  // Go: runtime.entersyscall
  void (*Exit)() noexcept = nullptr;   // Go: runtime.exitsyscall
};

// Installs hooks for every thread; nullptr uninstalls. Thread-safe: a
// concurrent Syscall sees either the old pair or the new one, never a mix.
// The object is used by pointer, not copied, so it must stay alive and
// unchanged for as long as any thread may still be inside a Syscall that
// loaded it: in practice give it static storage duration and never free it.
void SetSyscallHooks(const SyscallHooks* hooks) noexcept;

// The installed pair, or nullptr.
const SyscallHooks* GetSyscallHooks() noexcept;

SyscallResult Syscall(uintptr trap, uintptr a1, uintptr a2, uintptr a3) noexcept;
SyscallResult Syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3, uintptr a4,
                       uintptr a5, uintptr a6) noexcept;

}  // namespace go::syscall
