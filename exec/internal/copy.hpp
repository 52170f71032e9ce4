// SPDX-License-Identifier: BSD-3-Clause
// Internal; not installed. The copying between a Cmd's pipes and its
// strings, readers and writers: what Go runs as one goroutine per stream,
// made a step machine that the poll loop in Wait drives.
#pragma once

#include <poll.h>

#include <memory>
#include <string>

#include "exec/errors.hpp"
#include "exec/io.hpp"
#include "exec/os_file.hpp"

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::exec::internal {

class Copier {
 public:
  virtual ~Copier() = default;

  // What to poll (the parent's end of the pipe, non-blocking), or -1 once
  // the copying has finished.
  int fd() const { return done_ ? -1 : pipe_->Fd(); }
  virtual short events() const = 0;

  // step moves what can move now without blocking; poll said the pipe is
  // ready (or has hung up, or failed).
  virtual void step() = 0;

  bool done() const { return done_; }
  const error& err() const { return err_; }

  // abandon ends the copying where it is and closes the pipe (the
  // WaitDelay expired); err is left as it was.
  void abandon();

 protected:
  explicit Copier(std::shared_ptr<os::File> pipe) : pipe_(std::move(pipe)) {}
  // finish ends the copying with err and closes the pipe (closing a pipe
  // end has no error to report on Linux).
  void finish(error err);

  std::shared_ptr<os::File> pipe_;

 private:
  bool done_ = false;
  error err_;
};

// toChild copies source into w, the write end of the child's stdin pipe,
// then closes it. A child that stops reading (EPIPE) ends it without error,
// as Go ignores EPIPE on stdin (Go issue 9173).
std::unique_ptr<Copier> toChild(const io::Reader& source, std::shared_ptr<os::File> w);

// fromChild copies r, the read end of a child's output pipe, into sink until
// end of file, or until sink fails (then r is closed, so that the child's
// writes fail too).
std::unique_ptr<Copier> fromChild(std::shared_ptr<os::File> r, const io::Writer& sink);

}  // namespace go::exec::internal

#pragma GCC visibility pop
