// SPDX-License-Identifier: BSD-3-Clause
// WaitStatus: the status word wait4 stores, decoded as Go's syscall.WaitStatus.
//
// The encoding (the kernel's, see kernel/exit.c and do_notify_parent_cldstop;
// the same on every Linux arch). Let low = status & 0x7f:
//
//   exited     low == 0                   exit code in bits 8-15
//   signaled   low != 0 && low != 0x7f    signal in bits 0-6; bit 7 (0x80)
//                                         set if a core was dumped
//   stopped    (status & 0xff) == 0x7f    stop signal in bits 8-15; for a
//                                         ptrace event stop, the event
//                                         (PTRACE_EVENT_*) in bits 16-23
//   continued  status == 0xffff           (WCONTINUED)
//
// The shifts and masks are written out (Go's mask, core, exited, stopped,
// shift) instead of using <sys/wait.h>'s W* macros: those are libc's reading
// of the word, and this layer depends on the kernel only.
#pragma once

#include <cstdint>

#include "syscall/types.hpp"
#include "syscall/zerrors.hpp"

namespace go::syscall {

class WaitStatus {
 public:
  constexpr WaitStatus() = default;
  // Go's WaitStatus is a uint32 holding the C int the kernel stored.
  constexpr explicit WaitStatus(uint32_t raw) : w_(raw) {}
  constexpr uint32_t raw() const { return w_; }

  constexpr bool Exited() const { return (w_ & kMask) == kExited; }
  constexpr bool Signaled() const { return (w_ & kMask) != kStopped && (w_ & kMask) != kExited; }
  constexpr bool Stopped() const { return (w_ & 0xFF) == kStopped; }
  constexpr bool Continued() const { return w_ == 0xFFFF; }
  constexpr bool CoreDump() const { return Signaled() && (w_ & kCore) != 0; }

  // The exit code, or -1 if the process did not exit.
  constexpr int ExitStatus() const { return Exited() ? int((w_ >> kShift) & 0xFF) : -1; }

  // The terminating signal, or Signal(-1) if not Signaled(). The return type
  // is qualified because the member's name hides the type inside the class.
  constexpr go::syscall::Signal Signal() const {
    return Signaled() ? go::syscall::Signal(int(w_ & kMask)) : go::syscall::Signal(-1);
  }

  // The stop signal, or Signal(-1) if not Stopped().
  constexpr go::syscall::Signal StopSignal() const {
    return Stopped() ? go::syscall::Signal(int((w_ >> kShift) & 0xFF)) : go::syscall::Signal(-1);
  }

  // The PTRACE_EVENT_* of a ptrace event stop (0 for a plain SIGTRAP stop),
  // or -1 if the stop signal is not SIGTRAP.
  constexpr int TrapCause() const { return StopSignal() == SIGTRAP_ ? int(w_ >> kShift) >> 8 : -1; }

  friend constexpr bool operator==(WaitStatus a, WaitStatus b) { return a.w_ == b.w_; }
  friend constexpr bool operator!=(WaitStatus a, WaitStatus b) { return a.w_ != b.w_; }

 private:
  // Go's names: mask, core, exited, stopped, shift.
  static constexpr uint32_t kMask = 0x7F;
  static constexpr uint32_t kCore = 0x80;
  static constexpr uint32_t kExited = 0x00;
  static constexpr uint32_t kStopped = 0x7F;
  static constexpr uint32_t kShift = 8;

  uint32_t w_ = 0;
};

}  // namespace go::syscall
