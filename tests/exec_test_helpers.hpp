// SPDX-License-Identifier: BSD-3-Clause
// Shared helpers for the go::exec suites (test_exec*.cpp): Go's
// helperCommand, over tests/exec_helper.cpp, and a few conveniences, on
// top of exec_helpers.hpp (openFds, noChildren). Header-only, included by
// one .cpp per test executable.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "exec/exec.hpp"
#include "exec_helpers.hpp"
#include "syscall/syscall.hpp"
#include "temp_dir.hpp"

// How Boost.Test prints an error in a failed assertion (exec_helpers.hpp
// has Errno's).
namespace go {
inline std::ostream& boost_test_print_type(std::ostream& os, const error& e) {
  return os << e.Error();
}
}  // namespace go

namespace et {

namespace ex = go::exec;
namespace sc = go::syscall;
using go::error;
using namespace std::chrono_literals;
using th::noChildren;
using th::openFds;

// The helper program, or its emu_launch stand-in under qemu-user.
inline const std::string kHelper = EXEC_HELPER_PATH;

// helperCommand is Go's: a Cmd that runs the helper command name.
inline std::vector<std::string> helperArgs(const std::string& name, std::vector<std::string> args) {
  args.insert(args.begin(), name);
  return args;
}
inline ex::Cmd helperCommand(const std::string& name, std::vector<std::string> args = {}) {
  return ex::Command(kHelper, helperArgs(name, std::move(args)));
}
inline ex::Cmd helperCommandContext(const go::context::Context& ctx, const std::string& name,
                                    std::vector<std::string> args = {}) {
  return ex::CommandContext(ctx, kHelper, helperArgs(name, std::move(args)));
}

// wrapped is fmt.Errorf("%w: text", err).
class Wrapped : public go::ErrorValue {
 public:
  Wrapped(error err, std::string text) : err_(std::move(err)), text_(std::move(text)) {}
  std::string Message() const override { return err_.Error() + ": " + text_; }
  error Unwrap() const override { return err_; }

 private:
  error err_;
  std::string text_;
};

inline error wrapf(error err, std::string text) {
  return go::MakeError<Wrapped>(std::move(err), std::move(text));
}

// readAll reads f to its end.
inline std::string readAll(go::os::File& f) {
  std::string s;
  char buf[4096];
  for (;;) {
    auto [n, err] = f.Read(buf, sizeof buf);
    s.append(buf, n);
    if (err) return s;
  }
}

// startWithPipes gives cmd a StdinPipe and a StdoutPipe, starts it, and
// returns the two pipes.
inline std::pair<std::shared_ptr<go::os::File>, std::shared_ptr<go::os::File>> startWithPipes(
    ex::Cmd& cmd) {
  auto [in, e1] = cmd.StdinPipe();
  auto [out, e2] = cmd.StdoutPipe();
  BOOST_TEST_REQUIRE((!e1 && !e2));
  BOOST_TEST_REQUIRE(!cmd.Start());
  return {in, out};
}

// readLine reads up to and without the next newline ("" at the end).
inline std::string readLine(go::os::File& f) {
  std::string s;
  char c;
  while (f.Read(&c, 1).first == 1 && c != '\n') s += c;
  return s;
}

// Setenv sets (or, with nullptr, unsets) a variable for one scope, as Go's
// t.Setenv.
class Setenv {
 public:
  Setenv(const std::string& key, const char* value) : key_(key) {
    auto [old, ok] = sc::Getenv(key);
    if (ok) old_ = old;
    had_ = ok;
    if (value)
      (void)sc::Setenv(key, value);
    else
      (void)sc::Unsetenv(key);
  }
  ~Setenv() {
    if (had_)
      (void)sc::Setenv(key_, old_);
    else
      (void)sc::Unsetenv(key_);
  }

 private:
  std::string key_, old_;
  bool had_ = false;
};

// Chdir changes the working directory for one scope.
class Chdir {
 public:
  explicit Chdir(const std::string& dir) : old_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~Chdir() { std::filesystem::current_path(old_); }

 private:
  std::filesystem::path old_;
};

}  // namespace et
