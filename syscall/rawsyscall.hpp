// SPDX-License-Identifier: BSD-3-Clause
// RawSyscall and RawSyscall6: one Linux system call, nothing else.
//
// As Go's syscall.RawSyscall: the trap number and up to six word-sized
// arguments go to the kernel, r1 and r2 come back with an Errno. They never
// read or write errno (the kernel reports errors in the return value; errno
// is libc's thread-local copy, and touching it would make these unusable
// where libc's state is off limits), call no function, and write no memory
// but their own stack frame. That is what makes them usable in a child made
// by clone(CLONE_VM), which shares the parent's memory: the exec
// layer's child side uses nothing else. They are always inlined, at -O0 too,
// so not even a call into another function (or a PLT stub) happens, and never
// instrumented (GOSYSCALL_CHILD_INLINE in no_instrument.hpp).
//
// They also never tell an embedding runtime that the thread is about to block
// (see Syscall in hooks.hpp), so use them for calls that do not block.
#pragma once

#include "syscall/arch.hpp"
#include "syscall/types.hpp"

namespace go::syscall {

// What one system call returned. On success err is Errno{0}, r1 the kernel's
// return value and r2 the arch's second result register (rdx, edx, r1, x1),
// as Go returns them. On failure r1 is uintptr(-1), r2 0 and err the error.
// An aggregate, so `auto [r1, r2, err] = RawSyscall(...)` works.
struct SyscallResult {
  uintptr r1, r2;
  Errno err;
};

namespace detail {

// The kernel's convention (include/linux/err.h, MAX_ERRNO): a return value in
// [-4095, -1], read as unsigned, is a negated errno; anything else, including
// large "negative" addresses from mmap, is a result. Go's asm tests the same
// bound (CMPQ AX, $0xfffffffffffff001; JLS ok).
GOSYSCALL_CHILD_INLINE inline SyscallResult toResult(RawRegs r) noexcept {
  if (r.r1 >= uintptr(-4095)) {
    return SyscallResult{uintptr(-1), 0, Errno(uintptr(0) - r.r1)};
  }
  return SyscallResult{r.r1, r.r2, Errno()};
}

}  // namespace detail

GOSYSCALL_CHILD_INLINE inline SyscallResult RawSyscall(uintptr trap, uintptr a1, uintptr a2,
                                                       uintptr a3) noexcept {
  return detail::toResult(detail::syscall3(trap, a1, a2, a3));
}

GOSYSCALL_CHILD_INLINE inline SyscallResult RawSyscall6(uintptr trap, uintptr a1, uintptr a2,
                                                        uintptr a3, uintptr a4, uintptr a5,
                                                        uintptr a6) noexcept {
  return detail::toResult(detail::syscall6(trap, a1, a2, a3, a4, a5, a6));
}

}  // namespace go::syscall
