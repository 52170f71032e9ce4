// SPDX-License-Identifier: BSD-3-Clause
// The generated zerrors/zsysnum headers, checked on the host arch against the
// C headers compiled natively, and the message tables against glibc.
//
// zerrors/zerrors_check_linux_<arch>.hpp is written into the build tree by
// gen/mkerrors.py --check-out (target zerrors_gen); it lists every generated
// name next to the C macro it came from, and sets up the same C environment
// the generator used (_GNU_SOURCE, _FILE_OFFSET_BITS=64, the same headers),
// so it must come before any other include.
#include "syscall/goarch.hpp"
#include GOSYSCALL_ZCHECK_HEADER

#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>
#include <type_traits>

#include <boost/test/unit_test.hpp>

#include "syscall/types.hpp"
#include "syscall/zerrors.hpp"
#include "syscall/zsysnum.hpp"

namespace gs = go::syscall;

namespace {

// Equal as mathematical integers, whatever the two types (a negative value
// never equals a large unsigned one).
template <class A, class B>
bool same_value(A a, B b) {
  static_assert(std::is_integral_v<A> && std::is_integral_v<B>);
  if constexpr (std::is_signed_v<A>) {
    if (a < 0) {
      if constexpr (std::is_signed_v<B>)
        return static_cast<long long>(a) == static_cast<long long>(b);
      return false;
    }
  }
  if constexpr (std::is_signed_v<B>) {
    if (b < 0) return false;
  }
  return static_cast<unsigned long long>(a) == static_cast<unsigned long long>(b);
}

template <class A, class B>
void check_value(const char* go_name, const char* c_name, A generated, B native) {
  BOOST_TEST_CONTEXT(go_name << " vs " << c_name) {
    BOOST_CHECK_MESSAGE(same_value(generated, native), go_name << " = " << +generated
                                                               << " but native " << c_name << " = "
                                                               << +native);
  }
}

// Go's rule for glibc's texts: lower the first letter when the second is lower case.
std::string go_lower(std::string s) {
  if (s.size() >= 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z')
    s[0] = char(s[0] - 'A' + 'a');
  return s;
}

#define GS_PLUS_ONE(go, c) +1
#define GS_COUNT(FAMILY) (0 GOSYSCALL_ZCHECK_##FAMILY(GS_PLUS_ONE))

}  // namespace

BOOST_AUTO_TEST_SUITE(zerrors)

BOOST_AUTO_TEST_CASE(constants_equal_native_headers) {
  using namespace go::syscall;
  int n = 0;
#define GS_CHECK_PLAIN(go, c) (check_value(#go, #c, go, +(c)), ++n);
#define GS_CHECK_WRAPPED(go, c) (check_value(#go, #c, go.value(), +(c)), ++n);
  GOSYSCALL_ZCHECK_E(GS_CHECK_WRAPPED)
  GOSYSCALL_ZCHECK_SIG(GS_CHECK_WRAPPED)
  GOSYSCALL_ZCHECK_PR(GS_CHECK_PLAIN)
  GOSYSCALL_ZCHECK_CLONE(GS_CHECK_PLAIN)
  GOSYSCALL_ZCHECK_O(GS_CHECK_PLAIN)
  GOSYSCALL_ZCHECK_F(GS_CHECK_PLAIN)
  GOSYSCALL_ZCHECK_FD(GS_CHECK_PLAIN)
  GOSYSCALL_ZCHECK_W(GS_CHECK_PLAIN)
  GOSYSCALL_ZCHECK_TIOC(GS_CHECK_PLAIN)
  GOSYSCALL_ZCHECK_PTRACE(GS_CHECK_PLAIN)
  GOSYSCALL_ZCHECK_SYS(GS_CHECK_PLAIN)
#undef GS_CHECK_PLAIN
#undef GS_CHECK_WRAPPED
  BOOST_TEST_MESSAGE("linux/" GOSYSCALL_ZCHECK_ARCH ": "
                     << n << " generated names compared with the C headers");
  BOOST_TEST(n > 800);
}

BOOST_AUTO_TEST_CASE(families_have_the_expected_sizes) {
  BOOST_TEST(GS_COUNT(E) >= 130);
  BOOST_TEST(GS_COUNT(SIG) >= 31);
  BOOST_TEST(GS_COUNT(PR) >= 60);
  BOOST_TEST(GS_COUNT(CLONE) >= 25);
  BOOST_TEST(GS_COUNT(O) >= 20);
  BOOST_TEST(GS_COUNT(F) >= 20);
  BOOST_TEST(GS_COUNT(FD) >= 1);
  BOOST_TEST(GS_COUNT(W) >= 10);
  BOOST_TEST(GS_COUNT(TIOC) >= 40);
  BOOST_TEST(GS_COUNT(PTRACE) >= 30);
  BOOST_TEST(GS_COUNT(SYS) >= 290);
  int errnos = 0, signals = 0;
  for (const char* s : gs::detail::errors) errnos += s != nullptr;
  for (const char* s : gs::detail::signals) signals += s != nullptr;
  BOOST_TEST(errnos >= 130);
  BOOST_TEST(signals >= 31);
}

BOOST_AUTO_TEST_CASE(constants_are_typed) {
  static_assert(std::is_same_v<decltype(gs::EPERM_), const gs::Errno>);
  static_assert(std::is_same_v<decltype(gs::SIGKILL_), const gs::Signal>);
  static_assert(std::is_same_v<decltype(gs::PR_SET_PDEATHSIG_), const gs::uintptr>);
  static_assert(std::is_same_v<decltype(gs::CLONE_NEWPID_), const gs::uintptr>);
  static_assert(std::is_same_v<decltype(gs::SYS_GETPID), const gs::uintptr>);
  static_assert(gs::EPERM_ == gs::Errno{1});
  static_assert(gs::SIGKILL_ == gs::Signal{9});
#if defined(__mips__)
  static_assert(gs::EHWPOISON_ == gs::Errno{168});  // mips keeps IRIX's numbers past 34
#else
  static_assert(gs::EHWPOISON_ == gs::Errno{133});
#endif
  // (unsigned long)-1: all ones in the word, whatever the word size.
  static_assert(gs::PR_SET_PTRACER_ANY_ == gs::uintptr(-1));
  // The newer clone flags the exec layer relies on are there.
  BOOST_TEST(gs::CLONE_PIDFD_ == gs::uintptr{CLONE_PIDFD});
  BOOST_TEST(gs::CLONE_CLEAR_SIGHAND_ == CLONE_CLEAR_SIGHAND);
  BOOST_TEST(gs::CLONE_INTO_CGROUP_ == CLONE_INTO_CGROUP);
  BOOST_TEST(gs::WALL_ == gs::uintptr{__WALL});
}

BOOST_AUTO_TEST_CASE(errno_messages_equal_strerror) {
  for (int i = 1; i <= 133; ++i) {
    BOOST_TEST_CONTEXT("errno " << i) {
      const std::string glibc = std::strerror(i);
      const bool known = glibc.rfind("Unknown error", 0) != 0;
      const char* entry =
          std::size_t(i) < std::size(gs::detail::errors) ? gs::detail::errors[i] : nullptr;
      if (known) {
        BOOST_TEST_REQUIRE(entry != nullptr);
        BOOST_TEST(std::string(entry) == go_lower(glibc));
        BOOST_TEST(gs::Errno(i).Error() == go_lower(glibc));
      } else if (entry == nullptr) {  // the gaps (41, 58): Go says "errno N"
        BOOST_TEST(gs::Errno(i).Error() == "errno " + std::to_string(i));
      } else {  // named, but glibc has no text (EDEADLOCK: 56 on mips, 58 on ppc)
        BOOST_TEST(std::string(entry) == go_lower(glibc));
        BOOST_TEST(gs::Errno(i).Error() == go_lower(glibc));
      }
    }
  }
  BOOST_TEST(gs::EPERM_.Error() == "operation not permitted");
  BOOST_TEST(gs::ENOENT_.Error() == "no such file or directory");
}

BOOST_AUTO_TEST_CASE(signal_messages_equal_strsignal) {
  for (int i = 1; i <= 31; ++i) {
    BOOST_TEST_CONTEXT("signal " << i) {
      const std::string glibc = strsignal(i);
      BOOST_TEST_REQUIRE(std::size_t(i) < std::size(gs::detail::signals));
      BOOST_TEST_REQUIRE(gs::detail::signals[i] != nullptr);
      BOOST_TEST(std::string(gs::detail::signals[i]) == go_lower(glibc));
      BOOST_TEST(gs::Signal(i).String() == go_lower(glibc));
    }
  }
  BOOST_TEST(gs::SIGKILL_.String() == "killed");
  BOOST_TEST(gs::SIGTERM_.String() == "terminated");
  BOOST_TEST(gs::SIGIO_.String() == "I/O possible");  // not lowered: "I/" is an acronym
}

BOOST_AUTO_TEST_CASE(signal_names_by_number) {
  BOOST_TEST_REQUIRE(std::size(gs::detail::signalNames) == std::size(gs::detail::signals));
  for (int i = 1; i <= 31; ++i) {
    BOOST_TEST_CONTEXT("signal " << i) {
      BOOST_TEST_REQUIRE(gs::detail::signalNames[i] != nullptr);
      BOOST_TEST(std::string(gs::detail::signalNames[i]).rfind("SIG", 0) == 0u);
    }
  }
  int named = 0;
#define GS_CHECK_NAME(go, c) \
  if (std::string(#c) == gs::detail::signalNames[c]) ++named; /* one name per number */
  GOSYSCALL_ZCHECK_SIG(GS_CHECK_NAME)
#undef GS_CHECK_NAME
  BOOST_TEST(named >= 31);
  BOOST_TEST(std::string(gs::detail::signalNames[SIGKILL]) == "SIGKILL");
  BOOST_TEST(std::string(gs::detail::signalNames[SIGIO]) == "SIGIO");  // not SIGPOLL, as Go
}

BOOST_AUTO_TEST_CASE(unknown_values_give_numbers) {
  BOOST_TEST(gs::Errno(1234).Error() == "errno 1234");
  BOOST_TEST(gs::Signal(99).String() == "signal 99");
}

BOOST_AUTO_TEST_SUITE_END()
