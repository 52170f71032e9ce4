// SPDX-License-Identifier: BSD-3-Clause
// go::exec: Go's os/exec over go::syscall::ForkExec. Command finds a
// program, Cmd describes how to run it, and Run, Start/Wait, Output and
// CombinedOutput run it:
//
//   auto cmd = go::exec::Command("echo", {"hi"});
//   auto [out, err] = cmd.Output();      // out == "hi\n", err tests false
//
// Where Go copies between a pipe and a string, reader or writer in a
// goroutine per stream, Wait (and Run, Output, CombinedOutput, which call
// it) does all the copying itself, in one poll loop that also watches the
// process (its pidfd), the context and the WaitDelay. Nothing runs between
// Start and Wait: a string Stdin is written, and output collected, while
// Wait waits. The one thread the layer ever starts stands in for a pidfd
// where the kernel has none: it blocks in waitid for a Wait that also has
// streams to copy or a context to watch.
//
// The rest of this header is Go's API: see each declaration.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "exec/context.hpp"
#include "exec/errors.hpp"
#include "exec/io.hpp"
#include "exec/lp_unix.hpp"
#include "exec/os_file.hpp"
#include "exec/os_process.hpp"
#include "syscall/exec_unix.hpp"

namespace go::exec {

namespace internal {
class Copier;
}

// ErrWaitDelay: the process exited successfully, but its output pipes were
// still open when the WaitDelay expired.
extern const error ErrWaitDelay;

// ExitError reports an unsuccessful exit: it is the ProcessState (Go embeds
// *os.ProcessState: ExitCode, Exited, Sys, ... are its own here), and its
// message is the state's String ("exit status 1", "signal: killed").
class ExitError : public ErrorValue, public os::ProcessState {
 public:
  explicit ExitError(const os::ProcessState& state, std::string errOutput = "")
      : os::ProcessState(state), Stderr(std::move(errOutput)) {}
  std::string Message() const override { return String(); }
  // The standard error that Output collected, when Stderr was not set;
  // of a long one, the first and last 32 KiB around a line saying how many
  // bytes were left out.
  const std::string Stderr;
};

// Cmd is an external command being prepared or run. Set its fields, then
// call one of Run, Start (then Wait), Output or CombinedOutput, once: a Cmd
// cannot be reused.
//
// A Cmd is neither copied nor moved (Go hands out a *Cmd, and Cancel may
// refer to it): Command returns one that is built in place, as in
// `auto cmd = Command(...)`; hold several in std::unique_ptr or a
// std::list.
//
// Destroying a Cmd that was started and not waited for kills the process
// (SIGKILL) and reaps it, then closes every pipe the Cmd made: no process,
// zombie or descriptor outlives it. To let a process outlive its Cmd, call
// Process->Release() first; reaping it then is the caller's business.
class Cmd {
 public:
  Cmd();
  Cmd(const Cmd&) = delete;
  Cmd& operator=(const Cmd&) = delete;
  ~Cmd();

  // The program to run; relative to Dir if relative. The one field that
  // must be set.
  std::string Path;
  // The arguments, Args[0] included; empty runs {Path}.
  std::vector<std::string> Args;
  // The whole environment, "key=value" entries; for a duplicated key only
  // the last entry is used. Unset (std::nullopt), the caller's
  // environment (syscall::Environ()), with PWD set to Dir if Dir is set.
  std::optional<std::vector<std::string>> Env;
  // The working directory; "" runs in the caller's.
  std::string Dir;

  // The standard streams (io.hpp): nil is /dev/null; a File or fd is passed
  // as it is; anything else is copied through a pipe by Wait. If Stdout and
  // Stderr are the same writer, the child gets one pipe for both.
  io::Reader Stdin;
  io::Writer Stdout;
  io::Writer Stderr;

  // Extra descriptors of the caller's: entry i becomes the child's fd 3+i
  // (-1: closed there). The Cmd does not close them.
  std::vector<int> ExtraFiles;

  // Passed to ForkExec as ProcAttr::Sys (copied; may be null).
  syscall::SysProcAttr* SysProcAttr = nullptr;

  // The process, once started.
  std::unique_ptr<os::Process> Process;
  // How it ended, once Wait (or Run) has seen it.
  os::ProcessState ProcessState;

  // The error of the LookPath that Command made (ErrNotFound, ErrDot, ...);
  // Start returns it. Clearing it lets Start run the Path LookPath found
  // (for instance after errors::Is(Err, ErrDot)).
  error Err;

  // With CommandContext: what Wait does when the context is done before the
  // process exits. CommandContext sets it to kill the process; a caller may
  // make it send another signal, close a pipe, or set it to nullptr to do
  // nothing. It must be unset without a context (Start fails). If the
  // process then exits successfully, Wait returns the context's error (or
  // the one Cancel returned, unless that is os::ErrProcessDone).
  std::function<error()> Cancel;

  // If not zero, bounds two waits in Wait: for a process that does not exit
  // after the context is done (the timer starts there, and the process is
  // killed when it expires), and for output pipes that stay open after the
  // process exited (a grandchild holds them; the timer starts at the exit,
  // and the pipes are closed when it expires: ErrWaitDelay).
  std::chrono::nanoseconds WaitDelay{0};

  // Start starts the command and returns without waiting for it: Process
  // is set. Wait must follow. A second call fails ("exec: already
  // started"), whatever the first returned.
  error Start();

  // Wait waits for the process to exit, copies the streams that need it
  // until their end, and releases everything: it reaps the process and
  // closes every pipe the Cmd made. Its error is, first, the process's
  // (*ExitError for an unsuccessful exit), then the context's or Cancel's,
  // then a copying error or ErrWaitDelay; nil when all went well.
  error Wait();

  // Run is Start then Wait.
  error Run();

  // Output runs the command and returns its standard output. If Stderr was
  // not set, an *ExitError carries the standard error in its Stderr.
  std::pair<std::string, error> Output();

  // CombinedOutput runs the command and returns its standard output and
  // standard error together.
  std::pair<std::string, error> CombinedOutput();

  // StdinPipe returns the write end of a pipe that will be the command's
  // standard input. Wait closes it after the process exits; close it sooner
  // for a command that reads until end of file.
  std::pair<std::shared_ptr<os::File>, error> StdinPipe();

  // StdoutPipe and StderrPipe return the read end of a pipe that will be
  // the command's standard output (error). Wait closes it after the process
  // exits: read everything before calling Wait (so not with Run).
  std::pair<std::shared_ptr<os::File>, error> StdoutPipe();
  std::pair<std::shared_ptr<os::File>, error> StderrPipe();

  // String describes the command for people: the path and arguments
  // (the name as given, if LookPath failed).
  std::string String() const;

  // Environ is the environment the command would get, as it is now set.
  std::vector<std::string> Environ() const;

 private:
  friend Cmd Command(std::string name, std::vector<std::string> args);
  friend Cmd CommandContext(const context::Context& ctx, std::string name,
                            std::vector<std::string> args);
  Cmd(std::string name, std::vector<std::string> args, std::optional<context::Context> ctx);

  std::vector<std::string> argv() const;
  std::pair<std::vector<std::string>, error> environ() const;
  std::pair<int, error> childStdin();
  std::pair<int, error> childStdout();
  std::pair<int, error> childStderr(int childStdout);
  std::pair<int, error> writerDescriptor(const io::Writer& w);
  // childNull opens /dev/null for the child; childPipe keeps the ends of a
  // pipe for the child's stream and the copier that serves it.
  std::pair<int, error> childNull(int mode);
  std::pair<int, error> childPipe(std::shared_ptr<os::File> childEnd,
                                  std::shared_ptr<os::File> parentEnd,
                                  std::unique_ptr<internal::Copier> copier);
  // callerPipe makes the pipe of a StdinPipe, StdoutPipe or StderrPipe:
  // its child end, and the caller's end, which Wait closes.
  std::tuple<std::shared_ptr<os::File>, std::shared_ptr<os::File>, error> callerPipe(
      const char* stream, bool isSet, bool childReads);
  void closeDescriptors(std::vector<std::shared_ptr<os::File>>& files);

  std::optional<context::Context> ctx_;
  bool startCalled_ = false;
  // Descriptors of the child's streams that the Cmd opened (closed once
  // the child has them), and the parent's ends of its pipes (closed by
  // Wait), as Go's childIOFiles and parentIOPipes.
  std::vector<std::shared_ptr<os::File>> childIOFiles_;
  std::vector<std::shared_ptr<os::File>> parentIOPipes_;
  // The copying Wait does (Go's goroutines).
  std::vector<std::unique_ptr<internal::Copier>> goroutine_;
  std::string output_;  // Output's and CombinedOutput's buffer
};

// Command returns the Cmd to run name with args (args do not include the
// name). A name without a slash is looked up with LookPath; on failure Err
// is set and Start returns it. Args[0] is name as given.
Cmd Command(std::string name, std::vector<std::string> args = {});

// CommandContext is Command with a context: if ctx is done before the
// command exits, Wait calls Cancel (by default, kill the process).
Cmd CommandContext(const context::Context& ctx, std::string name,
                   std::vector<std::string> args = {});

}  // namespace go::exec
