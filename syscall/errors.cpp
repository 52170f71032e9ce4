// SPDX-License-Identifier: BSD-3-Clause
// Errno and Signal messages and names, from the generated tables of the arch
// being compiled.
#include <iterator>

#include "syscall/types.hpp"
#include "syscall/zerrors.hpp"

namespace go::syscall {

namespace {

// lookup is table[i], or nullptr when i is outside it or a gap in it.
template <std::size_t N>
const char* lookup(const char* const (&table)[N], uintptr i) {
  return i < N ? table[i] : nullptr;
}

}  // namespace

std::string Errno::Error() const {
  if (const char* text = lookup(detail::errors, value_)) return text;
  return "errno " + std::to_string(value_);
}

std::string Signal::String() const {
  if (value_ >= 0)
    if (const char* text = lookup(detail::signals, uintptr(value_))) return text;
  return "signal " + std::to_string(value_);
}

Signal SignalNum(const std::string& name) {
  for (std::size_t i = 0; i < std::size(detail::signalNames); i++)
    if (detail::signalNames[i] && name == detail::signalNames[i]) return Signal(int(i));
  return Signal{};
}

std::string SignalName(Signal sig) {
  if (sig.value() >= 0)
    if (const char* name = lookup(detail::signalNames, uintptr(sig.value()))) return name;
  return "";
}

}  // namespace go::syscall
