// SPDX-License-Identifier: BSD-3-Clause
// Go's error interface and its errors package (errors.New, Is, As, Unwrap),
// which the exec layer reports through.
//
// An error is a shared, immutable value that may be nil; it tests false when
// nil, as Go's err != nil:
//
//   auto [out, err] = go::exec::Command("echo", {"hi"}).Output();
//   if (err) std::cerr << err.Error() << "\n";
//   if (auto* ee = go::errors::As<go::exec::ExitError>(err)) use(ee->ExitCode());
//
// A concrete error type derives from ErrorValue and gives its message with
// Message (Go's Error method, renamed because C++ cannot give exec::Error a
// method of its own name), and Unwrap or Is where Go's has them. Two errors
// are == when they are the same value (as Go compares the pointers of
// errors.New), or when both are the same Errno.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "syscall/types.hpp"

namespace go {

class error;

class ErrorValue {
 public:
  virtual ~ErrorValue() = default;
  virtual std::string Message() const = 0;  // Go's Error()
  // The error this one wraps (Go's Unwrap method), or nil.
  virtual error Unwrap() const;
  // errors.Is asks each error in a chain whether it counts as target (Go's
  // Is method); the default says no, leaving identity to errors.Is.
  virtual bool Is(const error& target) const;
};

class error {
 public:
  error() = default;        // nil
  error(std::nullptr_t) {}  // nil
  // A kernel error number as an error, as Go's syscall.Errno is one;
  // Errno{0} (success) is nil.
  error(syscall::Errno e);  // NOLINT: implicit, as in Go
  explicit error(std::shared_ptr<const ErrorValue> v) : v_(std::move(v)) {}

  explicit operator bool() const { return v_ != nullptr; }
  // The message; "<nil>" for nil, as fmt prints it.
  std::string Error() const { return v_ ? v_->Message() : "<nil>"; }
  const ErrorValue* get() const { return v_.get(); }

  friend bool operator==(const error& a, const error& b);
  friend bool operator!=(const error& a, const error& b) { return !(a == b); }

 private:
  std::shared_ptr<const ErrorValue> v_;
};

// ErrnoError is the error an Errno becomes: errors::As<ErrnoError> gives it
// back, and errors::Is(err, ENOENT_) finds it in a chain.
class ErrnoError : public ErrorValue {
 public:
  explicit ErrnoError(syscall::Errno e) : Errno(e) {}
  std::string Message() const override { return Errno.Error(); }
  bool Is(const error& target) const override;
  const syscall::Errno Errno;
};

// MakeError builds an error of concrete type T from T's constructor
// arguments.
template <typename T, typename... Args>
error MakeError(Args&&... args) {
  static_assert(std::is_base_of_v<ErrorValue, T>, "an error type derives from ErrorValue");
  return error(std::make_shared<const T>(std::forward<Args>(args)...));
}

namespace errors {

// New returns a distinct error with the message text: equal only to itself.
error New(std::string text);

// Unwrap returns what err wraps, or nil.
error Unwrap(const error& err);

// Is reports whether err or any error it wraps is target (==, or its Is
// method says so).
bool Is(error err, const error& target);

// As returns the first error of type T in err's chain, or null. The pointer
// lives as long as err (or any copy of it), so err cannot be a temporary.
template <typename T>
const T* As(const error& err) {
  for (error e = err; e; e = e.get()->Unwrap())
    if (const T* t = dynamic_cast<const T*>(e.get())) return t;
  return nullptr;
}
template <typename T>
const T* As(const error&& err) = delete;  // the pointer would dangle at once

}  // namespace errors

}  // namespace go
