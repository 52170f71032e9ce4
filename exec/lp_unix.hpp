// SPDX-License-Identifier: BSD-3-Clause
// LookPath: Go's os/exec lp_unix.go and lookpath.go.
#pragma once

#include <string>
#include <utility>

#include "exec/errors.hpp"

namespace go::exec {

// ErrNotFound: no executable file of that name in PATH ("executable file
// not found in $PATH").
extern const error ErrNotFound;

// ErrDot: the name resolved to an executable relative to the current
// directory, through "." or an empty or relative PATH entry ("cannot run
// executable found relative to current directory"). Test with
// errors::Is(err, ErrDot).
extern const error ErrDot;

// Error is LookPath's error: the name looked up and why it failed,
// `exec: "NAME": ERR`.
class Error : public ErrorValue {
 public:
  Error(std::string name, error err) : Name(std::move(name)), Err(std::move(err)) {}
  std::string Message() const override;
  error Unwrap() const override { return Err; }
  const std::string Name;
  const error Err;
};

// LookPath searches the directories of the PATH environment variable for
// an executable named file. A file holding a slash is tried as it is,
// without PATH. An empty PATH entry stands for the current directory.
// A match is a file, not a directory, that the caller may execute
// (faccessat with AT_EACCESS; the mode bits where a seccomp profile refuses
// that call). A result relative to the current directory comes back with an
// error that Is ErrDot (the path is returned too: clear the error to use
// it). A name not found, and "", "." or "..", give "" and an error that Is
// ErrNotFound. Errors are *Error.
std::pair<std::string, error> LookPath(const std::string& file);

}  // namespace go::exec
