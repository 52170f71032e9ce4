// SPDX-License-Identifier: BSD-3-Clause
// Sigset: a signal mask as the kernel takes it (rt_sigprocmask,
// rt_sigaction), for the child and for the parent code around it.
#pragma once

#include "syscall/no_instrument.hpp"
#include "syscall/types.hpp"
#include "syscall/zerrors.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::syscall::detail {

// The kernel's _NSIG is 64, or 128 on mips. The generator reads glibc's
// NSIG, one more than the highest signal: 65, but 128 on mips, whose
// signal 128 does not exist (a wait status could not report it).
constexpr int kKernelNsig = int(NSIG_) / 64 * 64;
constexpr int kMaxSignal = int(NSIG_) - 1;  // 64, or 127 on mips

constexpr int kSigWordBits = 8 * sizeof(uintptr);

// Sigset holds signal n at bit n-1, in the arch's longs, as the kernel's
// sigset_t: a 64-bit integer would be wrong on big-endian 32-bit mips, where
// it would put signals 33-64 in the first word.
struct Sigset {
  uintptr word[kKernelNsig / kSigWordBits];
};
constexpr uintptr kSigsetSize = sizeof(Sigset);  // the calls' sigsetsize argument

GOSYSCALL_CHILD_INLINE constexpr bool sigsetHas(const Sigset& s, int sig) noexcept {
  return (s.word[(sig - 1) / kSigWordBits] >> ((sig - 1) % kSigWordBits) & 1) != 0;
}

GOSYSCALL_CHILD_INLINE constexpr bool sigsetEmpty(const Sigset& s) noexcept {
  for (uintptr w : s.word)
    if (w != 0) return false;
  return true;
}

constexpr void sigsetAdd(Sigset& s, int sig) noexcept {
  s.word[(sig - 1) / kSigWordBits] |= uintptr(1) << ((sig - 1) % kSigWordBits);
}

constexpr void sigsetDel(Sigset& s, int sig) noexcept {
  s.word[(sig - 1) / kSigWordBits] &= ~(uintptr(1) << ((sig - 1) % kSigWordBits));
}

constexpr Sigset fullSigset() noexcept {
  Sigset s{};
  for (uintptr& w : s.word) w = ~uintptr(0);
  return s;
}

}  // namespace go::syscall::detail

#pragma GCC visibility pop
