// SPDX-License-Identifier: BSD-3-Clause
// ppoll on one fd, in the form this kernel has.
//
// On the 32-bit arches ppoll's timespec has two forms: ppoll_time64 (Linux
// 5.1) with 64-bit fields, and the original with 32-bit ones, which a
// kernel built without CONFIG_COMPAT_32BIT_TIME lacks. The time64 call is
// tried first, the original on ENOSYS (a kernel before 5.1). The 64-bit
// arches have one form, with 64-bit fields.
#pragma once

#include <cstdint>

#include "syscall/hooks.hpp"
#include "syscall/no_instrument.hpp"
#include "syscall/rawsyscall.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::syscall::detail {

// ppollCall makes ppoll (trap) on one pollfd, raw or through the hooks.
template <bool Raw>
GOSYSCALL_CHILD_INLINE inline SyscallResult ppollCall(uintptr trap, const void* pfd,
                                                      const void* ts) noexcept {
  if constexpr (Raw)
    return RawSyscall6(trap, uintptr(pfd), 1, uintptr(ts), 0, 0, 0);
  else
    return Syscall6(trap, uintptr(pfd), 1, uintptr(ts), 0, 0, 0);
}

// ppollIn waits at most timeoutMs (negative: no limit; 0: just looks) for
// fd to become readable (or hung up); r1 is 1 if it is, and *revents, when
// given, says which (POLLIN, POLLHUP). Raw makes raw system calls (the
// child calls it: always inlined, nothing else); otherwise they go through
// the runtime's blocking-call hooks, as Syscall6 does.
template <bool Raw>
GOSYSCALL_CHILD_INLINE inline SyscallResult ppollIn(int fd, long timeoutMs,
                                                    short* revents = nullptr) noexcept {
  struct {
    int fd;
    short events, revents;
  } pfd{fd, POLLIN_, 0};
  const bool forever = timeoutMs < 0;
  const long ts[2] = {timeoutMs / 1000, (timeoutMs % 1000) * 1000000L};
  static_assert(sizeof pfd == SIZEOF_POLLFD_ && sizeof ts == SIZEOF_KERNEL_OLD_TIMESPEC_,
                "struct pollfd, and ppoll's timespec (generated)");
#if UINTPTR_MAX == 0xFFFFFFFFu
  const int64_t ts64[2] = {timeoutMs / 1000, int64_t(timeoutMs % 1000) * 1000000};
  static_assert(sizeof ts64 == SIZEOF_KERNEL_TIMESPEC_, "ppoll_time64's timespec (generated)");
  SyscallResult r = ppollCall<Raw>(SYS_PPOLL_TIME64, &pfd, forever ? nullptr : ts64);
  if (r.err == ENOSYS_) r = ppollCall<Raw>(SYS_PPOLL, &pfd, forever ? nullptr : ts);
#else
  SyscallResult r = ppollCall<Raw>(SYS_PPOLL, &pfd, forever ? nullptr : ts);
#endif
  if (revents != nullptr) *revents = pfd.revents;
  return r;
}

// readableNow tells whether fd is readable at once (the child asks it of
// the parent's pidfd).
GOSYSCALL_CHILD_INLINE inline bool readableNow(int fd) noexcept {
  SyscallResult r = ppollIn<true>(fd, 0);
  return !r.err && r.r1 == 1;
}

}  // namespace go::syscall::detail

#pragma GCC visibility pop
