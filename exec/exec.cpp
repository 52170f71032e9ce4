// SPDX-License-Identifier: BSD-3-Clause
// Command, Cmd's fields and Start, Output and the pipes (exec.hpp), as
// Go's exec.go. Wait is wait.cpp.
#include "exec/exec.hpp"

#include "exec/internal/copy.hpp"
#include "exec/internal/env.hpp"
#include "exec/internal/filepath.hpp"
#include "exec/internal/prefix_suffix_saver.hpp"
#include "syscall/env.hpp"
#include "syscall/syscall_linux.hpp"

namespace go::exec {

namespace sc = go::syscall;

namespace {

constexpr char kDevNull[] = "/dev/null";

// setNonblock makes the parent's end of a pipe non-blocking, for the poll
// loop in Wait. The child's end is another open file description: it
// stays blocking.
error setNonblock(const os::File& f) {
  auto [flags, err] = sc::Fcntl(f.Fd(), int(sc::F_GETFL_), 0);
  if (!err) err = sc::Fcntl(f.Fd(), int(sc::F_SETFL_), flags | int(sc::O_NONBLOCK_)).second;
  if (err) return MakeError<os::SyscallError>("fcntl", err);
  return nullptr;
}

}  // namespace

// ---- Command ---------------------------------------------------------------

Cmd::Cmd() = default;

Cmd::Cmd(std::string name, std::vector<std::string> args, std::optional<context::Context> ctx)
    : Path(name), ctx_(std::move(ctx)) {
  Args.reserve(args.size() + 1);
  Args.push_back(name);
  for (auto& a : args) Args.push_back(std::move(a));
  if (!name.empty() && name.find('/') == std::string::npos) {
    auto [lp, err] = LookPath(name);
    // Path is set even with an error: with ErrDot it is the file found.
    if (!lp.empty()) Path = lp;
    Err = err;
  }
  // Safe to capture: a Cmd never moves (exec.hpp).
  if (ctx_) Cancel = [this] { return Process->Kill(); };
}

Cmd Command(std::string name, std::vector<std::string> args) {
  return Cmd(std::move(name), std::move(args), std::nullopt);
}

Cmd CommandContext(const context::Context& ctx, std::string name, std::vector<std::string> args) {
  return Cmd(std::move(name), std::move(args), ctx);
}

Cmd::~Cmd() {
  if (Process && !ProcessState) {
    // Started and never waited for: it must not outlive the Cmd as a
    // process, nor as a zombie.
    Process->Kill();
    Process->Wait();
  }
  closeDescriptors(childIOFiles_);
  closeDescriptors(parentIOPipes_);
}

std::string Cmd::String() const {
  if (Err) {  // the path was not found: the name as given, and the arguments
    std::string s;
    for (const auto& a : Args) s += (s.empty() ? "" : " ") + a;
    return s;
  }
  std::string s = Path;
  for (size_t i = 1; i < Args.size(); i++) s += " " + Args[i];
  return s;
}

std::vector<std::string> Cmd::argv() const {
  if (!Args.empty()) return Args;
  return {Path};
}

// ---- environment --------------------------------------------------------------

std::pair<std::vector<std::string>, error> Cmd::environ() const {
  error err;
  std::vector<std::string> env;
  if (Env) {
    env = *Env;
  } else {
    env = sc::Environ();
    // Environ has one entry per key, and none with a NUL byte: as it is,
    // it is what dedupEnv would make of it.
    if (Dir.empty()) return {std::move(env), nullptr};
    // PWD is "an absolute pathname of the current working directory"
    // (POSIX): with another directory it must follow, but only when the
    // caller left Env alone (Go issue 50599).
    auto [pwd, absErr] = internal::Abs(Dir);
    if (!absErr)
      env.push_back("PWD=" + pwd);
    else
      err = absErr;
  }
  auto [out, dedupErr] = internal::dedupEnv(std::move(env));
  if (!err) err = dedupErr;
  return {out, err};
}

std::vector<std::string> Cmd::Environ() const { return environ().first; }

// ---- the child's standard streams ----------------------------------------------

std::pair<int, error> Cmd::childStdin() {
  if (!Stdin) return childNull(int(sc::O_RDONLY_));
  if (Stdin.kind() == io::Reader::Kind::File) return {Stdin.fd(), nullptr};
  auto [pr, pw, err] = os::Pipe();
  if (err) return {-1, err};
  return childPipe(pr, pw, internal::toChild(Stdin, pw));
}

std::pair<int, error> Cmd::childStdout() { return writerDescriptor(Stdout); }

std::pair<int, error> Cmd::childStderr(int childStdout) {
  if (Stderr && Stderr.same(Stdout)) return {childStdout, nullptr};
  // Both nil: one /dev/null serves both, an open fewer per command (Go
  // opens one each; the child cannot tell).
  if (!Stderr && !Stdout) return {childStdout, nullptr};
  return writerDescriptor(Stderr);
}

std::pair<int, error> Cmd::writerDescriptor(const io::Writer& w) {
  if (!w) return childNull(int(sc::O_WRONLY_));
  if (w.kind() == io::Writer::Kind::File) return {w.fd(), nullptr};
  auto [pr, pw, err] = os::Pipe();
  if (err) return {-1, err};
  return childPipe(pw, pr, internal::fromChild(pr, w));
}

std::pair<int, error> Cmd::childNull(int mode) {
  auto [fd, err] = sc::Open(kDevNull, mode | int(sc::O_CLOEXEC_), 0);
  if (err) return {-1, MakeError<os::PathError>("open", kDevNull, err)};
  childIOFiles_.push_back(os::NewFile(fd, kDevNull));
  return {fd, nullptr};
}

std::pair<int, error> Cmd::childPipe(std::shared_ptr<os::File> childEnd,
                                     std::shared_ptr<os::File> parentEnd,
                                     std::unique_ptr<internal::Copier> copier) {
  childIOFiles_.push_back(childEnd);
  parentIOPipes_.push_back(parentEnd);
  if (error err = setNonblock(*parentEnd)) return {-1, err};
  goroutine_.push_back(std::move(copier));
  return {childEnd->Fd(), nullptr};
}

void Cmd::closeDescriptors(std::vector<std::shared_ptr<os::File>>& files) {
  for (auto& f : files) f->Close();  // ErrClosed for one closed already: fine
  files.clear();
}

// ---- Start ------------------------------------------------------------------------

error Cmd::Start() {
  // A second Start fails whatever the first did, before anything of the
  // first is touched (Go 1.26, Go issue 76746).
  if (Process || startCalled_) return errors::New("exec: already started");
  startCalled_ = true;

  bool started = false;
  struct Cleanup {
    Cmd& c;
    const bool& started;
    ~Cleanup() {
      c.closeDescriptors(c.childIOFiles_);  // the child has its copies, or will never need them
      if (!started) {
        c.closeDescriptors(c.parentIOPipes_);
        c.goroutine_.clear();
      }
    }
  } cleanup{*this, started};

  if (Path.empty() && !Err) Err = errors::New("exec: no command");
  if (Err) return Err;
  if (Cancel && !ctx_)
    return errors::New("exec: command with a non-nil Cancel was not created with CommandContext");
  if (ctx_)
    if (error err = ctx_->Err()) return err;

  os::ProcAttr attr;
  attr.Dir = Dir;
  attr.Sys = SysProcAttr;
  auto [in, err] = childStdin();
  if (err) return err;
  auto [out, oerr] = childStdout();
  if (oerr) return oerr;
  auto [errFd, eerr] = childStderr(out);
  if (eerr) return eerr;
  attr.Files = {in, out, errFd};
  attr.Files.insert(attr.Files.end(), ExtraFiles.begin(), ExtraFiles.end());

  auto [env, envErr] = environ();
  if (envErr) return envErr;
  attr.Env = std::move(env);

  std::tie(Process, err) = os::StartProcess(Path, argv(), std::move(attr));
  if (err) return err;
  started = true;
  return nullptr;
}

error Cmd::Run() {
  if (error err = Start()) return err;
  return Wait();
}

// ---- Output ------------------------------------------------------------------------

std::pair<std::string, error> Cmd::Output() {
  if (Stdout) return {"", errors::New("exec: Stdout already set")};
  Stdout = &output_;
  const bool captureErr = !Stderr;
  auto saver = std::make_shared<internal::PrefixSuffixSaver>(32 << 10);
  if (captureErr)
    Stderr = io::WriteFunc([saver](std::string_view p) -> std::pair<size_t, error> {
      saver->Write(p);
      return {p.size(), nullptr};
    });
  error err = Run();
  if (err && captureErr)
    if (const auto* ee = errors::As<ExitError>(err))
      err = MakeError<ExitError>(static_cast<const os::ProcessState&>(*ee), saver->Bytes());
  return {std::move(output_), err};
}

std::pair<std::string, error> Cmd::CombinedOutput() {
  if (Stdout) return {"", errors::New("exec: Stdout already set")};
  if (Stderr) return {"", errors::New("exec: Stderr already set")};
  Stdout = &output_;
  Stderr = &output_;
  error err = Run();
  return {std::move(output_), err};
}

// ---- pipes --------------------------------------------------------------------------

std::tuple<std::shared_ptr<os::File>, std::shared_ptr<os::File>, error> Cmd::callerPipe(
    const char* stream, bool isSet, bool childReads) {
  const std::string name = std::string("exec: ") + stream;
  if (isSet) return {nullptr, nullptr, errors::New(name + " already set")};
  if (Process) return {nullptr, nullptr, errors::New(name + "Pipe after process started")};
  auto [r, w, err] = os::Pipe();
  if (err) return {nullptr, nullptr, err};
  auto childEnd = childReads ? r : w;
  auto callerEnd = childReads ? w : r;
  childIOFiles_.push_back(childEnd);
  parentIOPipes_.push_back(callerEnd);
  return {childEnd, callerEnd, nullptr};
}

std::pair<std::shared_ptr<os::File>, error> Cmd::StdinPipe() {
  auto [childEnd, callerEnd, err] = callerPipe("Stdin", bool(Stdin), true);
  if (!err) Stdin = childEnd;
  return {callerEnd, err};
}

std::pair<std::shared_ptr<os::File>, error> Cmd::StdoutPipe() {
  auto [childEnd, callerEnd, err] = callerPipe("Stdout", bool(Stdout), false);
  if (!err) Stdout = childEnd;
  return {callerEnd, err};
}

std::pair<std::shared_ptr<os::File>, error> Cmd::StderrPipe() {
  auto [childEnd, callerEnd, err] = callerPipe("Stderr", bool(Stderr), false);
  if (!err) Stderr = childEnd;
  return {callerEnd, err};
}

}  // namespace go::exec
