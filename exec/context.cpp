// SPDX-License-Identifier: BSD-3-Clause
// go::context (context.hpp): a context's state is a timerfd, armed at the
// deadline and fired at once by a cancel, plus the error that ended it.
#include "exec/context.hpp"

#include <sys/timerfd.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "syscall/syscall_linux.hpp"

namespace go::context {

const error Canceled = errors::New("context canceled");
const error DeadlineExceeded = errors::New("context deadline exceeded");

struct Context::State {
  std::mutex mu;
  int fd = -1;
  std::optional<Clock::time_point> deadline;
  error err;                                   // set once, by cancel
  std::vector<std::weak_ptr<State>> children;  // canceled with this one

  ~State() {
    if (fd >= 0) (void)syscall::Close(fd);
  }

  // arm makes fd fire at the absolute monotonic time t (or at once for a
  // time already passed).
  void arm(Clock::time_point t) {
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    itimerspec when{};
    when.it_value.tv_sec = ns > 0 ? time_t(ns / 1000000000) : 0;
    when.it_value.tv_nsec = ns > 0 ? long(ns % 1000000000) : 1;  // all zero would disarm it
    if (fd >= 0) timerfd_settime(fd, TFD_TIMER_ABSTIME, &when, nullptr);
  }

  void cancel(const error& why) {
    std::vector<std::weak_ptr<State>> kids;
    {
      std::lock_guard lock(mu);
      if (err) return;
      err = why;
      arm(Clock::time_point{});  // long past: fires now
      kids.swap(children);
    }
    for (auto& k : kids)
      if (auto c = k.lock()) c->cancel(why);
  }
};

int Context::Done() const { return s_ ? s_->fd : -1; }

std::optional<Clock::time_point> Context::Deadline() const {
  return s_ ? s_->deadline : std::nullopt;
}

error Context::Err() const {
  if (!s_) return nullptr;
  std::lock_guard lock(s_->mu);
  // The deadline is noticed when asked for; the timerfd has fired by then.
  if (!s_->err && s_->deadline && Clock::now() >= *s_->deadline) s_->err = DeadlineExceeded;
  return s_->err;
}

Context Background() { return Context(); }

std::pair<Context, CancelFunc> withDeadline(const Context& parent,
                                            std::optional<Clock::time_point> d) {
  auto s = std::make_shared<Context::State>();
  const auto pd = parent.Deadline();
  if (pd && (!d || *pd < *d)) d = pd;
  s->deadline = d;
  s->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (d) s->arm(*d);
  if (parent.s_) {
    std::unique_lock lock(parent.s_->mu);
    if (parent.s_->err) {
      const error why = parent.s_->err;
      lock.unlock();
      s->cancel(why);
    } else {
      auto& kids = parent.s_->children;  // dropped contexts leave expired entries
      kids.erase(std::remove_if(kids.begin(), kids.end(), [](auto& k) { return k.expired(); }),
                 kids.end());
      kids.push_back(s);
    }
  }
  std::weak_ptr<Context::State> w = s;
  CancelFunc cancel = [w] {
    if (auto st = w.lock()) st->cancel(Canceled);
  };
  return {Context(std::move(s)), std::move(cancel)};
}

std::pair<Context, CancelFunc> WithCancel(const Context& parent) {
  return withDeadline(parent, std::nullopt);
}

std::pair<Context, CancelFunc> WithDeadline(const Context& parent, Clock::time_point d) {
  return withDeadline(parent, d);
}

std::pair<Context, CancelFunc> WithTimeout(const Context& parent, Clock::duration timeout) {
  return withDeadline(parent, Clock::now() + timeout);
}

}  // namespace go::context
