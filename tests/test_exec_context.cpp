// SPDX-License-Identifier: BSD-3-Clause
// go::exec with a context: CommandContext, Cancel and WaitDelay, ported
// from Go's exec_test.go (TestContext, TestContextCancel, TestWaitInterrupt,
// TestCancelErrors, TestConcurrentExec), and the context itself.
//
// Go calls Cancel from a goroutine the moment the context ends; here Wait
// calls it (exec.hpp), so where a Go test waits for Cancel to have run
// before it calls Wait, the port lets Wait run it. The WaitDelay values
// are the bounds under test, not waits for something to happen: the
// cases synchronize on pipes (the helper closes its standard output once
// its signal handling is set up) and on the process's exit.
#include <poll.h>

#include <atomic>
#include <thread>

#include "exec_test_helpers.hpp"
#include "skip.hpp"

using namespace et;
namespace ctx = go::context;

namespace {

// tooLong is far more than any case takes, short enough that a process
// leaked by a failing case ends some day.
constexpr auto tooLong = 10min;

// An endless standard input (Go's tickReader, without its sleeps: a
// ReadFunc runs on Wait's thread): the child never reads it, so its pipe
// stays full until Wait closes it.
const go::io::ReadFunc endless = [](char* p, size_t n) -> std::pair<size_t, error> {
  std::fill(p, p + n, 't');
  return {n, nullptr};
};

// startHang is Go's: the hang helper with the context, Cancel sending
// interrupt (none: Cancel unset), and waitDelay; returned once the helper
// has closed its standard output, its handlers set.
std::unique_ptr<ex::Cmd> startHang(const ctx::Context& c, bool forever,
                                   std::optional<sc::Signal> interrupt,
                                   std::chrono::nanoseconds waitDelay,
                                   std::vector<std::string> flags, std::string* stderr) {
  flags.push_back(forever ? "forever" : "exit");
  auto cmd = std::unique_ptr<ex::Cmd>(new ex::Cmd(helperCommandContext(c, "hang", flags)));
  cmd->Stdin = endless;
  cmd->Stderr = stderr;
  ex::Cmd* self = cmd.get();
  if (interrupt)
    cmd->Cancel = [self, sig = *interrupt] { return self->Process->Signal(sig); };
  else
    cmd->Cancel = nullptr;
  cmd->WaitDelay = waitDelay;
  auto [out, err] = cmd->StdoutPipe();
  BOOST_TEST_REQUIRE(!err);
  BOOST_TEST_REQUIRE(!cmd->Start());
  BOOST_TEST(readAll(*out) == "");  // its end: the helper is ready
  return cmd;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(exec_context)

// Go: TestContext.
BOOST_AUTO_TEST_CASE(TestContext, *skip::when(skip::noThreads)) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  auto cmd = helperCommandContext(c, "pipetest");
  auto [stdin, stdout] = startWithPipes(cmd);
  stdin->Write("O:hi\n");
  char buf[5];
  size_t got = 0;
  while (got < sizeof buf) {
    auto [n, err] = stdout->Read(buf + got, sizeof buf - got);
    if (err) break;
    got += n;
  }
  BOOST_TEST(std::string(buf, got) == "O:hi\n");
  std::thread(cancel).join();
  BOOST_TEST(bool(cmd.Wait()));
}

// Go: TestContextCancel: once the context is canceled the process is
// killed, so that writes to its stdin fail. Go's goroutine kills it at
// once and the test retries writes until one fails; here Wait kills it.
BOOST_AUTO_TEST_CASE(TestContextCancel) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  auto cmd = helperCommandContext(c, "cat");
  auto [stdin, err] = cmd.StdinPipe();
  BOOST_TEST_REQUIRE(!err);
  BOOST_TEST_REQUIRE(!cmd.Start());
  BOOST_TEST(!stdin->Write("echo").second);  // alive
  cancel();
  const error werr = cmd.Wait();
  BOOST_TEST(werr.Error() == "signal: killed");
  BOOST_TEST(bool(stdin->Write("echo").second));
}

// Go: ExampleCommandContext: cancel by deadline.
BOOST_AUTO_TEST_CASE(ExampleCommandContext_deadline) {
  auto [c, cancel] = ctx::WithTimeout(ctx::Background(), 100ms);
  auto cmd = helperCommandContext(c, "hang", {"forever"});
  const auto t0 = ctx::Clock::now();
  const error err = cmd.Run();
  BOOST_TEST(err.Error() == "signal: killed");
  BOOST_TEST(go::errors::As<ex::ExitError>(err) != nullptr);
  BOOST_TEST(c.Err() == ctx::DeadlineExceeded);
  BOOST_TEST((ctx::Clock::now() - t0 >= 100ms));
  cancel();
}

// Not Go's: a context done before Start: Start returns its error and
// starts nothing.
BOOST_AUTO_TEST_CASE(context_done_before_start) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  cancel();
  auto cmd = helperCommandContext(c, "exit", {"0"});
  BOOST_TEST(cmd.Run() == ctx::Canceled);
  BOOST_TEST(!cmd.Process);
}

// Go: TestWaitInterrupt, subtest Wait: no cancellation, no WaitDelay.
BOOST_AUTO_TEST_CASE(TestWaitInterrupt_Wait) {
  std::string stderr;
  auto cmd = startHang(ctx::Background(), false, sc::SIGKILL_, 0ns, {}, &stderr);
  BOOST_TEST(!cmd->Wait(), stderr);
  BOOST_TEST(cmd->ProcessState.Exited());
  BOOST_TEST(cmd->ProcessState.ExitCode() == 0);
}

// Go: TestWaitInterrupt, subtest WaitDelay: no Cancel and a long WaitDelay:
// the process exits on its own (after an interrupt of ours), which is no
// error.
BOOST_AUTO_TEST_CASE(TestWaitInterrupt_WaitDelay) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  std::string stderr;
  auto cmd = startHang(c, true, std::nullopt, tooLong, {"-interrupt"}, &stderr);
  cancel();
  BOOST_TEST(!cmd->Process->Signal(sc::SIGINT_));  // still running: no Cancel killed it
  BOOST_TEST(!cmd->Wait(), stderr);
  BOOST_TEST(cmd->ProcessState.ExitCode() == 0);
}

// cancelThenKilled starts hang forever with flags, cancels its context,
// and expects Wait to report it killed (by Cancel, or after the WaitDelay).
void cancelThenKilled(sc::Signal interrupt, std::vector<std::string> flags) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  std::string stderr;
  auto cmd = startHang(c, true, interrupt, 10ms, std::move(flags), &stderr);
  cancel();
  const error err = cmd->Wait();
  BOOST_TEST(go::errors::As<ex::ExitError>(err) != nullptr, err.Error() << "\n" << stderr);
  BOOST_TEST(err.Error() == "signal: killed");
}

// Go: TestWaitInterrupt, subtest SIGKILL-hang: killed by Cancel, its output
// held open by a grandchild: Wait returns after WaitDelay with the kill.
BOOST_AUTO_TEST_CASE(TestWaitInterrupt_SIGKILL_hang) {
  cancelThenKilled(sc::SIGKILL_, {"-subsleep"});
}

// Go: TestWaitInterrupt, subtest Exit-hang: exits 0, its output held open
// by a grandchild: ErrWaitDelay after WaitDelay.
BOOST_AUTO_TEST_CASE(TestWaitInterrupt_Exit_hang) {
  std::string stderr;
  auto cmd = startHang(ctx::Background(), false, std::nullopt, 10ms, {"-subsleep"}, &stderr);
  const error err = cmd->Wait();
  BOOST_TEST(go::errors::Is(err, ex::ErrWaitDelay), err.Error() << "\n" << stderr);
  BOOST_TEST(cmd->ProcessState.ExitCode() == 0);
}

// Go: TestWaitInterrupt, subtest SIGINT-ignored: Cancel interrupts, the
// process ignores it, WaitDelay kills it.
BOOST_AUTO_TEST_CASE(TestWaitInterrupt_SIGINT_ignored) { cancelThenKilled(sc::SIGINT_, {}); }

// Go: TestWaitInterrupt, subtest SIGINT-handled: the process exits 0 on the
// interrupt: the context's error, since it had to be interrupted.
BOOST_AUTO_TEST_CASE(TestWaitInterrupt_SIGINT_handled) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  std::string stderr;
  auto cmd = startHang(c, true, sc::SIGINT_, 0ns, {"-interrupt"}, &stderr);
  cancel();
  const error err = cmd->Wait();
  BOOST_TEST(go::errors::Is(err, ctx::Canceled), err.Error() << "\n" << stderr);
  BOOST_TEST(cmd->ProcessState.Exited());
  BOOST_TEST(cmd->ProcessState.ExitCode() == 0);
}

// Go: TestCancelErrors, subtest "success after error": Cancel fails, the
// process exits 0: Wait wraps Cancel's error.
BOOST_AUTO_TEST_CASE(TestCancelErrors_success_after_error) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  auto cmd = helperCommandContext(c, "pipetest");
  auto [stdin, e] = cmd.StdinPipe();
  BOOST_TEST_REQUIRE(!e);
  const error errArbitrary = go::errors::New("arbitrary error");
  cmd.Cancel = [stdin = stdin, errArbitrary] {
    stdin->Close();
    return errArbitrary;
  };
  BOOST_TEST_REQUIRE(!cmd.Start());
  cancel();
  const error err = cmd.Wait();
  BOOST_TEST(go::errors::Is(err, errArbitrary));
  BOOST_TEST((err != errArbitrary));
  BOOST_TEST(err.Error() == "exec: canceling Cmd: arbitrary error");
}

// Go: TestCancelErrors, subtest "success after ErrProcessDone": an error
// that Is ErrProcessDone from Cancel is no error. (Go's Cancel waits until
// the process has exited; here Cancel ends the process by closing its
// stdin, and says it was done.)
BOOST_AUTO_TEST_CASE(TestCancelErrors_success_after_ErrProcessDone) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  auto cmd = helperCommandContext(c, "pipetest");
  auto [stdin, e] = cmd.StdinPipe();
  BOOST_TEST_REQUIRE(!e);
  bool interruptCalled = false;
  cmd.Cancel = [stdin = stdin, &interruptCalled] {
    interruptCalled = true;
    stdin->Close();
    return wrapf(go::os::ErrProcessDone, "stdout closed");
  };
  BOOST_TEST_REQUIRE(!cmd.Start());
  cancel();
  BOOST_TEST(!cmd.Wait());
  BOOST_TEST(interruptCalled);
}

// killedAfterCancel is TestCancelErrors' two "killed after" subtests:
// Cancel returns cancelErr without stopping the process, which WaitDelay
// then kills: Wait's error is the plain ExitError, not wrapped.
void killedAfterCancel(const error& cancelErr) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  auto cmd = helperCommandContext(c, "pipetest");
  auto [stdin, e] = cmd.StdinPipe();
  BOOST_TEST_REQUIRE(!e);
  bool interruptCalled = false;
  cmd.Cancel = [&interruptCalled, cancelErr] {
    interruptCalled = true;
    return cancelErr;
  };
  cmd.WaitDelay = 1ms;
  BOOST_TEST_REQUIRE(!cmd.Start());
  cancel();
  const error err = cmd.Wait();
  BOOST_TEST(interruptCalled);
  BOOST_TEST(dynamic_cast<const ex::ExitError*>(err.get()) != nullptr, err.Error());
}

// Go: TestCancelErrors, subtest "killed after error".
BOOST_AUTO_TEST_CASE(TestCancelErrors_killed_after_error) {
  killedAfterCancel(go::errors::New("arbitrary error"));
}

// Go: TestCancelErrors, subtest "killed after spurious ErrProcessDone".
BOOST_AUTO_TEST_CASE(TestCancelErrors_killed_after_spurious_ErrProcessDone) {
  killedAfterCancel(wrapf(go::os::ErrProcessDone, "stdout closed"));
}

// Go: TestCancelErrors, subtest "nonzero exit after error": the process's
// own failure comes before Cancel's.
BOOST_AUTO_TEST_CASE(TestCancelErrors_nonzero_exit_after_error) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  auto cmd = helperCommandContext(c, "stderrfail");
  auto [stderr, e] = cmd.StderrPipe();
  BOOST_TEST_REQUIRE(!e);
  cmd.Cancel = [] { return go::errors::New("arbitrary error"); };
  BOOST_TEST_REQUIRE(!cmd.Start());
  cancel();
  readAll(*stderr);
  const error err = cmd.Wait();
  const auto* ee = go::errors::As<ex::ExitError>(err);
  BOOST_TEST_REQUIRE(ee != nullptr, err.Error());
  BOOST_TEST(ee->ExitCode() == 1);
}

// Go: TestConcurrentExec (Go issue 61080): children that wait on their
// stdin and children that exit at once, started together from several
// threads; none of the short ones may inherit another's status pipe.
BOOST_AUTO_TEST_CASE(TestConcurrentExec, *skip::when(skip::noThreads)) {
  auto [c, cancel] = ctx::WithCancel(ctx::Background());
  const int n = int(std::max(2u, std::thread::hardware_concurrency()));
  std::atomic<int> ready{0};
  auto rendezvous = [&] {
    ready++;
    while (ready.load() < 2 * n) std::this_thread::yield();
  };
  std::vector<std::thread> hangs, exits;
  for (int i = 0; i < n; i++) {
    hangs.emplace_back([&, c = c] {
      auto cmd = helperCommandContext(c, "pipetest");
      auto [stdin, err] = cmd.StdinPipe();
      cmd.Cancel = [stdin = stdin]() -> error { return stdin->Close(); };
      rendezvous();
      if (error serr = cmd.Start()) {
        if (!go::errors::Is(serr, ctx::Canceled)) BOOST_ERROR("Start: " << serr.Error());
        return;
      }
      cmd.Wait();
    });
  }
  for (int i = 0; i < n; i++) {
    exits.emplace_back([&, c = c] {
      auto cmd = helperCommandContext(c, "exit", {"0"});
      rendezvous();
      if (error err = cmd.Run()) BOOST_ERROR("Run: " << err.Error());
    });
  }
  for (auto& t : exits) t.join();
  cancel();
  for (auto& t : hangs) t.join();
  BOOST_TEST(noChildren());
}

// ---- the context itself (not Go's tests) ----------------------------------------

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

BOOST_AUTO_TEST_CASE(context_cancel_propagates_and_is_pollable) {
  BOOST_TEST(ctx::Background().Done() == -1);
  BOOST_TEST(!ctx::Background().Err());
  auto [parent, cancelParent] = ctx::WithCancel(ctx::Background());
  auto [child, cancelChild] = ctx::WithTimeout(parent, tooLong);
  BOOST_TEST(!readable(child.Done()));
  BOOST_TEST(!child.Err());
  cancelParent();
  BOOST_TEST(readable(parent.Done()));
  BOOST_TEST(readable(child.Done()));
  BOOST_TEST(child.Err() == ctx::Canceled);
  cancelChild();  // a second cancel changes nothing
  BOOST_TEST(child.Err() == ctx::Canceled);
}

BOOST_AUTO_TEST_CASE(context_deadline_fires_the_descriptor) {
  auto [parent, cancelParent] = ctx::WithTimeout(ctx::Background(), 20ms);
  auto [child, cancelChild] =
      ctx::WithTimeout(parent, tooLong);  // the parent's deadline is earlier
  BOOST_TEST((child.Deadline() == parent.Deadline()));
  pollfd p{child.Done(), POLLIN, 0};
  BOOST_TEST(::poll(&p, 1, 10000) == 1);
  BOOST_TEST(child.Err() == ctx::DeadlineExceeded);
  BOOST_TEST(parent.Err() == ctx::DeadlineExceeded);
  cancelChild();
  cancelParent();
  BOOST_TEST(parent.Err() == ctx::DeadlineExceeded);
}

BOOST_AUTO_TEST_SUITE_END()
