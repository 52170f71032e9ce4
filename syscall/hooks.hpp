// SPDX-License-Identifier: BSD-3-Clause
// The points where an embedding runtime hooks in: Syscall and Syscall6
// (RawSyscall bracketed by enter/exit hooks), and the creation of a child by
// ForkExec (before/after hooks). docs/EMBEDDING.md has the whole story.
//
// Go's syscall.Syscall calls runtime.entersyscall before the trap and
// runtime.exitsyscall after it, so the scheduler can hand the thread's other
// work elsewhere while it may block in the kernel. A C++ runtime embedding
// this library (a fiber scheduler, a coroutine runtime, a profiler) gets the
// same two points through SyscallHooks. None is installed by default, and
// then Syscall is RawSyscall plus one atomic load.
//
// Never use Syscall/Syscall6 (or a wrapper built on them) in a child made by
// clone(CLONE_VM): the hooks are the runtime's code and would run on the
// parent's memory. The child side uses RawSyscall only.
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

// The pair a runtime installs around child creation, as Go's
// syscall.runtime_BeforeFork / runtime_AfterFork. Either may be null.
//
// ForkExec (and StartProcess) calls BeforeFork once just before it creates
// the child and AfterFork once just after, in the parent, on the thread that
// called ForkExec, always as a pair: AfterFork runs whether or not the child
// could be created, and once the child no longer runs on the parent's
// memory (it has exec'd or exited). Neither runs for input that ForkExec
// rejects before it gets that far (a NUL in a string: EINVAL), nor for
// Exec. Both run
//   - with every signal blocked on this thread (Go's BeforeFork blocks them
//     itself), so no signal handler of the process interrupts a hook;
//   - without ForkLock: it is held only around the clone itself, between
//     the two hooks. Other threads' ForkExec calls run at the same time,
//     their hooks included (since Go 1.21 Go's forks do not exclude each
//     other either).
// Nothing runs in the child: it executes only the library's raw syscalls
// between clone and execve. (Go also has runtime_AfterForkInChild, which
// resets signal handlers in the child; here the clone or the child itself
// does that, and no runtime code can run there.)
//
// A hook must never:
//   - call ForkExec or StartProcess, or anything that does (it would run
//     the hooks again, inside themselves);
//   - throw (the functions are noexcept: std::terminate);
//   - fork, or touch the child (it has no pid to touch yet in BeforeFork, and
//     ForkExec has not returned it yet in AfterFork);
//   - change the signal mask (it is restored after the hook; the change is lost).
// It may block (only its own ForkExec waits for it), take ForkLock (for
// reading, to create an fd the non-atomic way, or exclusively), allocate,
// and make system calls (RawSyscall; Syscall re-enters the syscall hooks,
// which is allowed): it runs in the parent, not the child.
// It may allocate, and make system calls (RawSyscall; Syscall re-enters the
// syscall hooks, which is allowed): it runs in the parent, not the child.
// The same stay-alive rule as SetSyscallHooks applies.
struct ForkHooks {
  void (*BeforeFork)() noexcept = nullptr;  // Go: syscall.runtime_BeforeFork
  void (*AfterFork)() noexcept = nullptr;   // Go: syscall.runtime_AfterFork
};

// Installs fork hooks for every thread; nullptr uninstalls. Thread-safe as
// SetSyscallHooks, and one ForkExec uses one pair for both calls.
void SetForkHooks(const ForkHooks* hooks) noexcept;

// The installed fork hooks, or nullptr.
const ForkHooks* GetForkHooks() noexcept;

SyscallResult Syscall(uintptr trap, uintptr a1, uintptr a2, uintptr a3) noexcept;
SyscallResult Syscall6(uintptr trap, uintptr a1, uintptr a2, uintptr a3, uintptr a4, uintptr a5,
                       uintptr a6) noexcept;

}  // namespace go::syscall
