// SPDX-License-Identifier: BSD-3-Clause
// The little of Go's os package that files need here: File (an open file
// descriptor, *os.File), Pipe, NewFile, Stdin/Stdout/Stderr, PathError,
// SyscallError and ErrClosed.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "exec/errors.hpp"

namespace go::os {

// ErrClosed: an operation on a File that was closed ("file already closed").
extern const error ErrClosed;

// PathError records an error and the operation and path that caused it:
// "Op Path: Err", e.g. "fork/exec /bin/nonesuch: no such file or directory".
class PathError : public ErrorValue {
 public:
  PathError(std::string op, std::string path, error err)
      : Op(std::move(op)), Path(std::move(path)), Err(std::move(err)) {}
  std::string Message() const override { return Op + " " + Path + ": " + Err.Error(); }
  error Unwrap() const override { return Err; }
  const std::string Op;
  const std::string Path;
  const error Err;
};

// SyscallError records an error from a system call: "Syscall: Err".
class SyscallError : public ErrorValue {
 public:
  SyscallError(std::string syscall, error err) : Syscall(std::move(syscall)), Err(std::move(err)) {}
  std::string Message() const override { return Syscall + ": " + Err.Error(); }
  error Unwrap() const override { return Err; }
  const std::string Syscall;
  const error Err;
};

// File owns one open file descriptor (Go's *os.File, shared as a
// std::shared_ptr). Its destructor closes the descriptor if Close was not
// called. Close may be called from any thread, once or more; a Read or
// Write racing a Close is the caller's bug, as with any descriptor.
class File {
 public:
  // Takes fd over; name is for messages ("|0" and "|1" for a pipe's ends).
  File(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  int Fd() const { return fd_.load(std::memory_order_relaxed); }  // -1 once closed
  const std::string& Name() const { return name_; }

  // Read reads up to n bytes into p: the count, and io::EOF_ at the end of
  // the file (with a count of 0). EINTR is retried.
  std::pair<size_t, error> Read(char* p, size_t n);

  // Write writes all of p unless an error stops it, and returns how much it
  // wrote. A pipe whose reader is gone is EPIPE, never SIGPIPE (as Go for
  // any descriptor but 1 and 2).
  std::pair<size_t, error> Write(std::string_view p);

  // Close closes the descriptor; ErrClosed when it already was.
  error Close();

 private:
  std::atomic<int> fd_;
  const std::string name_;
};

// NewFile makes a File of fd, which it then owns.
std::shared_ptr<File> NewFile(int fd, std::string name);

// Pipe returns a connected pair of Files, reads from r going to w's writes;
// both ends close-on-exec.
std::tuple<std::shared_ptr<File>, std::shared_ptr<File>, error> Pipe();

// The process's standard descriptors 0, 1 and 2, as Files that are never
// closed unless Close is called on them.
extern const std::shared_ptr<File> Stdin;
extern const std::shared_ptr<File> Stdout;
extern const std::shared_ptr<File> Stderr;

}  // namespace go::os
