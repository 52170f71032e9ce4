// SPDX-License-Identifier: BSD-3-Clause
// LookPath (lp_unix.hpp), as Go's lp_unix.go.
#include "exec/lp_unix.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "exec/internal/filepath.hpp"
#include "exec/internal/quote.hpp"
#include "exec/os_file.hpp"
#include "syscall/env.hpp"
#include "syscall/zerrors.hpp"

namespace go::exec {

namespace sc = go::syscall;

const error ErrNotFound = errors::New("executable file not found in $PATH");
const error ErrDot = errors::New("cannot run executable found relative to current directory");

std::string Error::Message() const { return "exec: " + internal::Quote(Name) + ": " + Err.Error(); }

namespace {

sc::Errno lastErrno() { return sc::Errno(uintptr_t(errno)); }

// findExecutable tells whether file is a file, not a directory, that the
// caller may execute.
error findExecutable(const std::string& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return MakeError<os::PathError>("stat", file, lastErrno());
  if (S_ISDIR(st.st_mode)) return sc::EISDIR_;
  if (::faccessat(AT_FDCWD, file.c_str(), X_OK, AT_EACCESS) == 0) return nullptr;
  // ENOSYS: no faccessat here; EPERM: a container's seccomp profile
  // refused it. Either way the mode bits must answer, as in Go.
  const sc::Errno err = lastErrno();
  if (err != sc::ENOSYS_ && err != sc::EPERM_) return err;
  if (st.st_mode & 0111) return nullptr;
  return sc::EACCES_;
}

// validateLookPath refuses names that cannot be an executable's (Go issue
// 74466, CVE-2025-47906: "." and ".." would otherwise find directories on
// PATH).
bool validLookPath(const std::string& file) { return file != "" && file != "." && file != ".."; }

}  // namespace

std::pair<std::string, error> LookPath(const std::string& file) {
  if (!validLookPath(file)) return {"", MakeError<Error>(file, ErrNotFound)};
  if (file.find('/') != std::string::npos) {
    if (error err = findExecutable(file)) return {"", MakeError<Error>(file, err)};
    return {file, nullptr};
  }
  for (std::string dir : internal::SplitList(sc::Getenv("PATH").first)) {
    if (dir.empty()) dir = ".";  // a shell's rule: an empty entry is the current directory
    const std::string path = internal::Join(dir, file);
    if (findExecutable(path)) continue;
    if (!internal::IsAbs(path)) return {path, MakeError<Error>(file, ErrDot)};
    return {path, nullptr};
  }
  return {"", MakeError<Error>(file, ErrNotFound)};
}

}  // namespace go::exec
