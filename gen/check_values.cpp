// SPDX-License-Identifier: BSD-3-Clause
// Compiled, never run, by gen/checkvalues.py for each arch with that arch's
// own C++ compiler: every committed constant, in the C++ type the generator
// gave it, must equal the value the C headers give the macro it came from,
// as a mathematical integer (unary + makes an enumerator, as glibc defines
// some of them, an integer). A literal that C++ reads otherwise than C
// (a negative hex value turned unsigned) fails to compile here.
//
// CHECK_HEADER names the generated zerrors_check_linux_<arch>.hpp: the C
// environment the generator read the values in, and the name lists. It must
// come first. ZERRORS_HEADER and ZSYSNUM_HEADER name the committed files of
// the same arch, included by name rather than through syscall/zerrors.hpp's
// selection, so that an arch the library does not build for yet is checked too.
#include CHECK_HEADER

#include <type_traits>

#include ZERRORS_HEADER
#include ZSYSNUM_HEADER

namespace {

// sameValue: equal as integers, whatever the two types (a negative value
// never equals a large unsigned one).
template <class A, class B>
constexpr bool sameValue(A a, B b) {
  static_assert(std::is_integral_v<A> && std::is_integral_v<B>);
  if (a < 0 || b < 0)
    return a < 0 && b < 0 && static_cast<long long>(a) == static_cast<long long>(b);
  return static_cast<unsigned long long>(a) == static_cast<unsigned long long>(b);
}

}  // namespace

#define PLAIN(name, macro) \
  static_assert(sameValue(go::syscall::name, +(macro)), #name " is not the value of " #macro);
#define WRAPPED(name, macro)                                    \
  static_assert(sameValue(go::syscall::name.value(), +(macro)), \
                #name " is not the value of " #macro);
GOSYSCALL_ZCHECK_ALL(PLAIN, WRAPPED)
