// SPDX-License-Identifier: BSD-3-Clause
// Internal; not installed. Go's prefixSuffixSaver: what Output keeps of a
// command's standard error for ExitError::Stderr.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Internal: kept out of a shared build's exported symbols.
#pragma GCC visibility push(hidden)

namespace go::exec::internal {

// PrefixSuffixSaver keeps the first N and the last N bytes written to it.
class PrefixSuffixSaver {
 public:
  explicit PrefixSuffixSaver(size_t n) : n_(n) {}

  void Write(std::string_view p);

  // Bytes is what was written, or, when more than 2N bytes were, the first
  // N, a line "... omitting K bytes ...", and the last N.
  std::string Bytes() const;

 private:
  // fill appends to dst as much of p as fits in N bytes, and returns the
  // rest of p.
  std::string_view fill(std::string& dst, std::string_view p) const;

  size_t n_;
  std::string prefix_;
  std::string suffix_;    // a ring buffer once it holds N bytes
  size_t suffixOff_ = 0;  // where the ring's next byte goes (its oldest)
  long long skipped_ = 0;
};

}  // namespace go::exec::internal

#pragma GCC visibility pop
