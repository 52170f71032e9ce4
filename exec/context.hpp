// SPDX-License-Identifier: BSD-3-Clause
// The part of Go's context package that CommandContext needs: a Context
// that is done when it is canceled, when its deadline passes, or when its
// parent is done.
//
//   auto [ctx, cancel] = go::context::WithTimeout(go::context::Background(), 2s);
//   auto cmd = go::exec::CommandContext(ctx, "sleep", {"10"});
//   go::error err = cmd.Run();   // killed after 2 s: "signal: killed"
//   // ctx.Err() == go::context::DeadlineExceeded
//
// Go's Done channel is a descriptor here: it polls readable once the
// context is done (a timerfd armed at the deadline, or fired at once by a
// cancel, from any thread). A Context is a cheap shared handle; copies
// name the same context.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "exec/errors.hpp"

namespace go::context {

// Canceled: Err after a CancelFunc ran ("context canceled").
extern const error Canceled;
// DeadlineExceeded: Err after the deadline passed ("context deadline
// exceeded").
extern const error DeadlineExceeded;

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC, which the timerfd uses too

// CancelFunc cancels its context and the contexts derived from it. It may
// be called from any thread, any number of times; after the first, it does
// nothing.
using CancelFunc = std::function<void()>;

class Context {
 public:
  struct State;
  Context() = default;  // Background: never done

  // Done is a descriptor that polls readable (POLLIN) once the context is
  // done, or -1 if it never will be (Background), or if no descriptor could
  // be made for it (then only its deadline can end it, and Err says when).
  // Poll it; never read or close it.
  int Done() const;

  // Deadline is when the context will be done by itself, if ever.
  std::optional<Clock::time_point> Deadline() const;

  // Err is nil while the context is not done, then Canceled or
  // DeadlineExceeded (whichever came first, here or in a parent), for good.
  error Err() const;

 private:
  friend std::pair<Context, CancelFunc> withDeadline(const Context&,
                                                     std::optional<Clock::time_point>);
  explicit Context(std::shared_ptr<State> s) : s_(std::move(s)) {}
  std::shared_ptr<State> s_;
};

// Background is the context that is never done, the root of every other.
Context Background();

// WithCancel returns a copy of parent that is also done when cancel is
// called. Call cancel when the work is over, to release the descriptor.
std::pair<Context, CancelFunc> WithCancel(const Context& parent);

// WithDeadline returns a copy of parent that is done at d at the latest.
std::pair<Context, CancelFunc> WithDeadline(const Context& parent, Clock::time_point d);

// WithTimeout is WithDeadline(parent, now + timeout).
std::pair<Context, CancelFunc> WithTimeout(const Context& parent, Clock::duration timeout);

}  // namespace go::context
