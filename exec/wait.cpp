// SPDX-License-Identifier: BSD-3-Clause
// Cmd::Wait (exec.hpp): Go's Wait, watchCtx and awaitGoroutines as one
// poll loop over the process's exit, the context and the copying pipes.
#include <poll.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "exec/exec.hpp"
#include "exec/internal/copy.hpp"
#include "exec/internal/exit_watch.hpp"
#include "syscall/hooks.hpp"

namespace go::exec {

const error ErrWaitDelay = errors::New("exec: WaitDelay expired before I/O complete");

namespace {

using Clock = context::Clock;
using Deadline = std::optional<Clock::time_point>;
using Copiers = std::vector<std::unique_ptr<internal::Copier>>;

// wrappedError is "prefix: err", unwrapping to err.
class wrappedError : public ErrorValue {
 public:
  wrappedError(std::string prefix, error err) : prefix_(std::move(prefix)), err_(std::move(err)) {}
  std::string Message() const override { return prefix_ + ": " + err_.Error(); }
  error Unwrap() const override { return err_; }

 private:
  std::string prefix_;
  error err_;
};

Deadline earliest(Deadline a, Deadline b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

bool passed(Deadline t) { return t && Clock::now() >= *t; }

// Without an exit descriptor (no pidfd, no thread) the loop asks the
// kernel between polls this often.
constexpr auto kExitCheck = std::chrono::milliseconds(10);

// Pump polls the process's exit, the context's Done and the copiers'
// pipes, and drives the copiers; it keeps the first copying error in the
// order the copiers finished, as Go's goroutineStatus.firstErr.
class Pump {
 public:
  explicit Pump(Copiers& gs) : gs_(gs) {}

  bool allDone() const {
    return std::all_of(gs_.begin(), gs_.end(), [](auto& g) { return g->done(); });
  }
  const error& firstErr() const { return firstErr_; }

  // abandon closes every pipe still being copied (WaitDelay expired).
  void abandon() {
    for (auto& g : gs_) g->abandon();
  }

  // poll waits for exitFd, doneFd (either may be -1) or a copier to be
  // ready, until wake at the latest; it returns what exitFd and doneFd
  // reported, after stepping the copiers that were ready.
  std::pair<bool, bool> poll(int exitFd, int doneFd, Deadline wake) {
    fds_.clear();
    fds_.push_back({exitFd, POLLIN, 0});  // poll ignores a negative fd
    fds_.push_back({doneFd, POLLIN, 0});
    for (auto& g : gs_) fds_.push_back({g->fd(), g->done() ? short(0) : g->events(), 0});
    int timeout = -1;
    if (wake) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*wake - Clock::now()).count();
      timeout = int(std::clamp<long long>(left, 0, 1 << 30));
    }
    // A blocking call: between the runtime's hooks, as Syscall does. EINTR
    // needs nothing: the caller polls again.
    const syscall::SyscallHooks* h = syscall::GetSyscallHooks();
    if (h != nullptr && h->Enter != nullptr) h->Enter();
    ::poll(fds_.data(), fds_.size(), timeout);
    if (h != nullptr && h->Exit != nullptr) h->Exit();
    for (size_t i = 0; i < gs_.size(); i++) {
      if (fds_[i + 2].revents == 0) continue;
      gs_[i]->step();
      if (gs_[i]->done() && !firstErr_) firstErr_ = gs_[i]->err();
    }
    return {fds_[0].revents != 0, fds_[1].revents != 0};
  }

 private:
  Copiers& gs_;
  std::vector<pollfd> fds_;
  error firstErr_;
};

// CtxWatch is Go's watchCtx, driven by Wait's loop instead of running as a
// goroutine: what to do when the context ends before the process does.
struct CtxWatch {
  bool done = false;  // the context ended, and interrupt ran
  Deadline timer;     // the WaitDelay, started when it did
  error err;          // Go's ctxResult.err

  // interrupt calls Cancel and starts the WaitDelay timer.
  void interrupt(const context::Context& ctx, const std::function<error()>& cancel,
                 std::chrono::nanoseconds waitDelay) {
    done = true;
    if (cancel) {
      if (error interruptErr = cancel(); !interruptErr) {
        // From here, whatever the process does may be due to the context.
        err = ctx.Err();
      } else if (!errors::Is(interruptErr, os::ErrProcessDone)) {
        err = MakeError<wrappedError>("exec: canceling Cmd", interruptErr);
      }  // else it had exited already: nothing to add
    }
    if (waitDelay.count() > 0) timer = Clock::now() + waitDelay;
  }

  // expire runs when the process outlived the WaitDelay: it kills it, and
  // stops waiting for its pipes (the copying is then over).
  void expire(os::Process& p, Pump& pump, bool& copiesOver) {
    timer.reset();
    bool killed = false;
    if (error killErr = p.Kill(); !killErr) {
      killed = true;  // its exit status will say so
    } else if (!errors::Is(killErr, os::ErrProcessDone)) {
      err = MakeError<wrappedError>("exec: killing Cmd", killErr);
    }
    if (copiesOver) return;
    if (pump.allDone()) {
      if (!err && !killed) err = pump.firstErr();
    } else {
      // Closed after the kill, so that the process dies of SIGKILL, not
      // SIGPIPE (Go issue 23019).
      pump.abandon();
      if (!err) err = ErrWaitDelay;
    }
    copiesOver = true;
  }
};

// awaitGoroutines: after the exit, the copying goes on until end of file,
// or until the WaitDelay (started when the context ended, else now)
// expires, when the pipes are closed.
error awaitGoroutines(Pump& pump, Deadline timer, std::chrono::nanoseconds waitDelay) {
  if (!timer && waitDelay.count() > 0 && !pump.allDone()) timer = Clock::now() + waitDelay;
  while (!pump.allDone() && !passed(timer)) pump.poll(-1, -1, timer);
  if (pump.allDone()) return pump.firstErr();
  pump.abandon();
  return ErrWaitDelay;  // any error of the copying may be the closing's
}

}  // namespace

error Cmd::Wait() {
  if (!Process) return errors::New("exec: not started");
  if (ProcessState) return errors::New("exec: Wait was already called");

  // Go watches the context only when there is something to do when it ends.
  const bool watchCtx =
      ctx_ && (Cancel || WaitDelay.count() > 0) && (ctx_->Done() >= 0 || ctx_->Deadline());
  Pump pump(goroutine_);
  CtxWatch watch;
  bool copiesOver = goroutine_.empty();  // no more copying error can come

  if (watchCtx || !copiesOver) {
    internal::ExitWatch exit(*Process);
    for (;;) {
      const bool watching = watchCtx && !watch.done;
      Deadline wake = watch.timer;
      if (watching && ctx_->Done() < 0) wake = earliest(wake, ctx_->Deadline());
      if (exit.fd() < 0) wake = earliest(wake, Clock::now() + kExitCheck);
      auto [exited, done] = pump.poll(exit.fd(), watching ? ctx_->Done() : -1, wake);
      if (exited || (exit.fd() < 0 && exit.exited())) break;
      if (watching && (done || ctx_->Err())) watch.interrupt(*ctx_, Cancel, WaitDelay);
      if (watch.done && passed(watch.timer)) watch.expire(*Process, pump, copiesOver);
    }
  }

  auto [state, err] = Process->Wait();
  ProcessState = state;
  if (!err && !state.Success()) err = MakeError<ExitError>(state);
  // The process's own failure comes first; then the context's.
  if (!err && watch.err) err = watch.err;
  // A copying error counts only if the process otherwise did well: after an
  // abnormal end, it is likely a consequence.
  const error copyErr = copiesOver ? nullptr : awaitGoroutines(pump, watch.timer, WaitDelay);
  if (!err) err = copyErr;
  closeDescriptors(parentIOPipes_);
  return err;
}

}  // namespace go::exec
