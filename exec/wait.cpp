// Cmd::Wait (exec.hpp): Go's Wait, watchCtx and awaitGoroutines as one
// poll loop over the process's exit, the context and the copying pipes.
#include <poll.h>

#include <algorithm>
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

}  // namespace

error Cmd::Wait() {
  if (!Process) return errors::New("exec: not started");
  if (ProcessState) return errors::New("exec: Wait was already called");

  // Go watches the context (watchCtx) only when there is something to do
  // when it ends.
  const bool watchCtx = ctx_ && (Cancel || WaitDelay.count() > 0) &&
                        (ctx_->Done() >= 0 || ctx_->Deadline());
  Pump pump(goroutine_);
  Deadline timer;     // the WaitDelay timer, once started
  error ctxErr;       // what watching the context found (Go's ctxResult.err)
  bool ctxDone = false;
  bool copiesOver = goroutine_.empty();  // no more copying error can come

  if (watchCtx || !goroutine_.empty()) {
    internal::ExitWatch exit(*Process);
    for (;;) {
      const bool watching = watchCtx && !ctxDone;
      Deadline wake = timer;
      if (watching && ctx_->Done() < 0) wake = earliest(wake, ctx_->Deadline());
      if (exit.fd() < 0) wake = earliest(wake, Clock::now() + kExitCheck);
      auto [exited, done] = pump.poll(exit.fd(), watching ? ctx_->Done() : -1, wake);
      if (exited || (exit.fd() < 0 && exit.exited())) break;

      if (watching && (done || ctx_->Err())) {
        // The context ended first: interrupt the process.
        ctxDone = true;
        if (Cancel) {
          if (error interruptErr = Cancel(); !interruptErr) {
            // From here, whatever the process does may be due to the context.
            ctxErr = ctx_->Err();
          } else if (!errors::Is(interruptErr, os::ErrProcessDone)) {
            ctxErr = MakeError<wrappedError>("exec: canceling Cmd", interruptErr);
          }  // else it had exited already: nothing to add
        }
        if (WaitDelay.count() > 0) timer = Clock::now() + WaitDelay;
      }

      if (ctxDone && passed(timer)) {
        // The process outlived the WaitDelay after the context ended: kill
        // it, and stop waiting for its pipes.
        timer.reset();
        bool killed = false;
        if (error killErr = Process->Kill(); !killErr) {
          killed = true;  // its exit status will say so
        } else if (!errors::Is(killErr, os::ErrProcessDone)) {
          ctxErr = MakeError<wrappedError>("exec: killing Cmd", killErr);
        }
        if (!copiesOver) {
          if (pump.allDone()) {
            if (!ctxErr && !killed) ctxErr = pump.firstErr();
          } else {
            // Closed after the kill, so that the process dies of SIGKILL,
            // not SIGPIPE (Go issue 23019).
            pump.abandon();
            if (!ctxErr) ctxErr = ErrWaitDelay;
          }
          copiesOver = true;
        }
      }
    }
  }

  auto [state, err] = Process->Wait();
  ProcessState = state;
  if (!err && !state.Success()) err = MakeError<ExitError>(state);
  // The process's own failure comes first; then the context's.
  if (!err && ctxErr) err = ctxErr;

  // awaitGoroutines: the copying goes on until end of file, or until the
  // WaitDelay (started when the context ended, or now) expires.
  error copyErr;
  if (!copiesOver) {
    if (!timer && WaitDelay.count() > 0 && !pump.allDone()) timer = Clock::now() + WaitDelay;
    while (!pump.allDone() && !passed(timer)) pump.poll(-1, -1, timer);
    if (pump.allDone()) {
      copyErr = pump.firstErr();
    } else {
      pump.abandon();
      copyErr = ErrWaitDelay;  // any error of the copying may be the closing's
    }
  }
  // A copying error counts only if the process otherwise did well: after
  // an abnormal end, it is likely a consequence.
  if (!err) err = copyErr;
  closeDescriptors(parentIOPipes_);
  return err;
}

}  // namespace go::exec
