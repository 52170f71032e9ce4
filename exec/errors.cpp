// SPDX-License-Identifier: BSD-3-Clause
// go::error and the errors package (errors.hpp).
#include "exec/errors.hpp"

namespace go {

namespace {

// errorString is what errors.New returns, as Go's.
class errorString : public ErrorValue {
 public:
  explicit errorString(std::string s) : s_(std::move(s)) {}
  std::string Message() const override { return s_; }

 private:
  std::string s_;
};

}  // namespace

error ErrorValue::Unwrap() const { return nullptr; }

bool ErrorValue::Is(const error&) const { return false; }

error::error(syscall::Errno e) {
  if (e) v_ = std::make_shared<const ErrnoError>(e);
}

bool operator==(const error& a, const error& b) {
  if (a.v_ == b.v_) return true;
  // Errno is a value in Go: two errors holding the same number are equal.
  const auto* x = dynamic_cast<const ErrnoError*>(a.get());
  const auto* y = dynamic_cast<const ErrnoError*>(b.get());
  return x != nullptr && y != nullptr && x->Errno == y->Errno;
}

bool ErrnoError::Is(const error& target) const {
  const auto* t = dynamic_cast<const ErrnoError*>(target.get());
  return t != nullptr && t->Errno == Errno;
}

namespace errors {

error New(std::string text) { return MakeError<errorString>(std::move(text)); }

error Unwrap(const error& err) { return err ? err.get()->Unwrap() : nullptr; }

bool Is(error err, const error& target) {
  if (!target) return !err;
  for (; err; err = err.get()->Unwrap())
    if (err == target || err.get()->Is(target)) return true;
  return false;
}

}  // namespace errors

}  // namespace go
