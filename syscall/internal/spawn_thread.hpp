// SPDX-License-Identifier: BSD-3-Clause
// Spawn threads: when SysProcAttr::PdeathsigProcessLifetime asks for it, a
// child is created from a thread of the library's instead of the calling
// thread, so that its parent-death signal follows the process, not the
// calling thread (the kernel ties it to the creating thread, Go issue
// 27505).
//
// Why a thread per child, started by the calling thread, and not one
// long-lived thread for every call (this file's first design): Linux keeps
// much of what a child inherits per thread — credentials set with raw
// syscalls, capabilities, no_new_privs, seccomp filters, Landlock domains,
// the LSM context, namespaces entered with setns/unshare, cwd/root/umask
// (CLONE_FS), the fd table (CLONE_FILES), the cgroup, scheduling — and a
// child gets its creating thread's. A long-lived thread has the state of
// whichever thread started it, so a caller that sandboxed its own thread
// got an unsandboxed child. Comparing the two threads' states and refusing
// on a difference cannot be exact from user space (seccomp filters show
// only as a count, Landlock domains and keyrings not at all). A thread that
// the calling thread creates inherits all of it, exactly, from the kernel:
// it is the calling thread's state by construction. That thread then lives
// exactly as long as its child, so the signal still comes only when the
// process dies. The cost is one thread per running child (see
// onSpawnThread).
#pragma once

#include "syscall/types.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::syscall::detail {

// onSpawnThread starts a thread from the calling thread, runs fn(arg) on it
// and returns once fn has returned. fn creates a child and returns its pid
// (0 if it created none); the thread then lives until that child has
// exited, which it learns with waitid(WNOWAIT), leaving the child to be
// reaped by whoever waits for it, and ends. While it lives it holds no fd
// and no lock, and blocks every signal but the C library's own (32 up to
// SIGRTMIN: glibc's setuid() and musl's __synccall signal every thread and
// wait for each), so no handler of the process runs on it; fn itself runs
// with every signal blocked, as the calling thread is in ForkExec (the
// child gets the caller's mask as data: forkAndExecInChild).
//
// The calling thread waits with cancellation disabled (pthread_cancel acts
// at its next cancellation point after the call: unwinding out of the wait
// would leave the thread running fn on a request that no longer exists).
// Errors are pthread_create's: EAGAIN when no thread can be made
// (RLIMIT_NPROC, a cgroup's pids.max, memory); EINVAL when the kernel
// refuses the calling thread a thread, which it does once the thread has
// called unshare(CLONE_NEWPID) (its pid_for_children is not its own pid
// namespace); EPERM where a seccomp profile answers clone3 with EPERM
// (glibc 2.34+ falls back to clone only on ENOSYS). fn must not throw.
Errno onSpawnThread(int (*fn)(void*), void* arg) noexcept;

}  // namespace go::syscall::detail

#pragma GCC visibility pop
