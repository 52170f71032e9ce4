// SPDX-License-Identifier: BSD-3-Clause
// The value types every layer shares: uintptr, Errno and Signal.
//
// The generated zerrors headers declare their constants with these types
// (EPERM_ is an Errno, SIGKILL_ a Signal, PR_SET_PDEATHSIG_ a uintptr), so
// this header must stay free of anything arch-specific.
#pragma once

#include <cstdint>
#include <string>

#include "syscall/no_instrument.hpp"

namespace go::syscall {

using uintptr = std::uintptr_t;

// Errno is a kernel error number, as Go's syscall.Errno. Errno{0} is success.
class [[nodiscard]] Errno {
 public:
  // Always inlined and never instrumented (no_instrument.hpp): the child
  // side makes and tests Errnos between clone and execve, where even a call
  // through the PLT (lazy binding) must not happen. GCC calls a constexpr
  // constructor out of line at -O0 unless told otherwise. The default
  // constructor is user-provided: for a defaulted one, Errno{} would first
  // zero the object, which Clang does at -O0 with a call to memset.
  GOSYSCALL_CHILD_INLINE constexpr Errno() {}
  GOSYSCALL_CHILD_INLINE constexpr explicit Errno(uintptr value) : value_(value) {}

  GOSYSCALL_CHILD_INLINE constexpr uintptr value() const { return value_; }
  GOSYSCALL_CHILD_INLINE constexpr explicit operator bool() const { return value_ != 0; }
  GOSYSCALL_CHILD_INLINE friend constexpr bool operator==(Errno a, Errno b) {
    return a.value_ == b.value_;
  }
  GOSYSCALL_CHILD_INLINE friend constexpr bool operator!=(Errno a, Errno b) {
    return a.value_ != b.value_;
  }

  // The message glibc gives, first letter lowered ("operation not permitted"),
  // or "errno N" for a number the tables do not know.
  std::string Error() const;

 private:
  uintptr value_ = 0;
};

// Signal is a signal number, as Go's syscall.Signal.
class Signal {
 public:
  constexpr Signal() = default;
  constexpr explicit Signal(int value) : value_(value) {}

  constexpr int value() const { return value_; }
  friend constexpr bool operator==(Signal a, Signal b) { return a.value_ == b.value_; }
  friend constexpr bool operator!=(Signal a, Signal b) { return a.value_ != b.value_; }

  // The message glibc gives ("killed", "terminated"), or "signal N".
  std::string String() const;

 private:
  int value_ = 0;
};

// SignalNum returns the signal named, as golang.org/x/sys/unix does:
// "SIGKILL" gives Signal{9}; an unknown name gives Signal{0}.
Signal SignalNum(const std::string& name);

// SignalName is the inverse: Signal{9} gives "SIGKILL", an unknown one "".
std::string SignalName(Signal sig);

}  // namespace go::syscall
