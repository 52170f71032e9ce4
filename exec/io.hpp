// SPDX-License-Identifier: BSD-3-Clause
// What a Cmd's standard streams can be: Go's io.Reader (Stdin) and
// io.Writer (Stdout, Stderr), with the cases os/exec treats specially.
//
//   Reader / Writer          the child gets
//   nil (the default)        /dev/null
//   a File, or explicit fd   that descriptor itself (the Cmd never closes it)
//   std::string (Reader)     a pipe that Wait fills with the string
//   std::string* (Writer)    a pipe whose output Wait appends to the string
//   a function               a pipe that Wait feeds from, or drains into, it
//
// A function is called by the thread in Wait, between polls: it should
// return promptly (a Reader function that blocks delays the whole Wait).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "exec/errors.hpp"

namespace go::os {
class File;
}

namespace go::io {

// EOF_ is Go's io.EOF, "EOF": the end of input. Named with a trailing
// underscore because <cstdio> defines EOF as a macro.
extern const error EOF_;

// ReadFunc reads up to n bytes into p and returns how many, with EOF_ (or
// another error) when there are no more.
using ReadFunc = std::function<std::pair<size_t, error>(char* p, size_t n)>;

// WriteFunc consumes p and returns how much it took; less than all of p
// comes with an error, which ends the copying.
using WriteFunc = std::function<std::pair<size_t, error>(std::string_view p)>;

class Reader {
 public:
  enum class Kind { Nil, File, String, Func };
  Reader() = default;
  Reader(std::nullptr_t) {}                                         // NOLINT: implicit, as Go's nil
  Reader(std::shared_ptr<os::File> f);                              // NOLINT
  explicit Reader(int fd) : kind_(Kind::File), fd_(fd) {}           // borrowed, not closed
  Reader(std::string s) : kind_(Kind::String), s_(std::move(s)) {}  // NOLINT
  Reader(const char* s) : Reader(std::string(s)) {}                 // NOLINT
  Reader(ReadFunc f) : kind_(Kind::Func), read_(std::move(f)) {}    // NOLINT

  Kind kind() const { return kind_; }
  explicit operator bool() const { return kind_ != Kind::Nil; }
  int fd() const { return fd_; }                  // Kind::File
  const std::string& str() const { return s_; }   // Kind::String
  const ReadFunc& func() const { return read_; }  // Kind::Func

 private:
  Kind kind_ = Kind::Nil;
  int fd_ = -1;
  std::shared_ptr<os::File> file_;  // keeps a File alive while the Cmd refers to it
  std::string s_;
  ReadFunc read_;
};

class Writer {
 public:
  enum class Kind { Nil, File, String, Func };
  Writer() = default;
  Writer(std::nullptr_t) {}                                         // NOLINT
  Writer(std::shared_ptr<os::File> f);                              // NOLINT
  explicit Writer(int fd) : kind_(Kind::File), fd_(fd) {}           // borrowed, not closed
  Writer(std::string* s) : kind_(Kind::String), s_(s) {}            // NOLINT: appended to
  Writer(WriteFunc f) : kind_(Kind::Func), write_(std::move(f)) {}  // NOLINT

  Kind kind() const { return kind_; }
  explicit operator bool() const { return kind_ != Kind::Nil; }
  int fd() const { return fd_; }
  std::string* str() const { return s_; }
  const WriteFunc& func() const { return write_; }

  // Whether w is the same writer, as Go's == on the interface values: the
  // same descriptor or the same string. Functions never compare equal.
  bool same(const Writer& w) const;

 private:
  Kind kind_ = Kind::Nil;
  int fd_ = -1;
  std::shared_ptr<os::File> file_;
  std::string* s_ = nullptr;
  WriteFunc write_;
};

}  // namespace go::io
