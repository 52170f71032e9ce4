// SPDX-License-Identifier: BSD-3-Clause
// Which signals gospawn passes on (tools/gospawn_forward.hpp): each is sent
// to gospawn by kill(2), and PROGRAM (gospawn_child signals) reports every
// signal it receives. One that gospawn keeps for itself is followed by a
// marker signal that it does pass on: PROGRAM must report the marker and
// not the kept one (a lower-numbered pending signal is delivered first, so
// a kept one that leaked would be reported before the marker), and gospawn
// must still be running, not stopped, to pass the marker on.
#include <algorithm>

#include "gospawn_run.hpp"

using namespace th;
namespace utf = boost::unit_test;

namespace {

constexpr int kMarker = SIGWINCH;  // 28: above every kept signal but 32, 33
constexpr int kMarkerRt = 40;      // for 32 and 33: a real-time one above them

// The signals gospawn keeps: SIGCHLD, SIGTTIN, SIGTTOU, and glibc's 32, 33.
bool kept(int sig) {
  return sig == SIGCHLD || sig == SIGTTIN || sig == SIGTTOU || sig == 32 || sig == 33;
}

bool isFault(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP ||
         sig == SIGSYS;
}

// The signal numbers from..to that can be sent (not KILL nor STOP).
std::vector<int> range(int from, int to) {
  std::vector<int> v;
  for (int sig = from; sig <= to; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) v.push_back(sig);
  return v;
}

// Checked is what sending each signal showed.
struct Checked {
  std::vector<int> forwarded, kept;
};

// sendEach sends each signal of sigs to a gospawn started with flags, and
// checks that it is passed on, or kept, as gospawn_forward.hpp says.
Checked sendEach(const std::vector<std::string>& flags, const std::vector<int>& sigs) {
  Spawned s(kGospawn, gospawnWith(flags, {"signals"}));
  BOOST_TEST_REQUIRE(s.line().rfind("ready ", 0) == 0);
  // Forwarding starts once gospawn knows PROGRAM's pid, and 32 and 33 are
  // held from then on: a first marker passed on shows that point is past.
  BOOST_TEST_REQUIRE(kill(s.pid(), kMarker) == 0);
  BOOST_TEST_REQUIRE(s.line() == "got " + std::to_string(kMarker));
  Checked c;
  for (int sig : sigs) {
    BOOST_TEST_CONTEXT("signal " << sig) {
      BOOST_TEST_REQUIRE(kill(s.pid(), sig) == 0);
      if (!kept(sig)) {
        BOOST_TEST(s.line() == "got " + std::to_string(sig));
        c.forwarded.push_back(sig);
        continue;
      }
      const int marker = sig >= kMarker ? kMarkerRt : kMarker;
      BOOST_TEST_REQUIRE(kill(s.pid(), marker) == 0);
      BOOST_TEST(s.line() == "got " + std::to_string(marker));  // and not "got <sig>" first
      c.kept.push_back(sig);
    }
  }
  const Ended e = s.finish();
  BOOST_TEST(e.out == "eof\n");  // nothing more arrived
  BOOST_TEST(e.code() == 0);     // gospawn lived through them all
  BOOST_TEST(e.err == "");
  return c;
}

std::string list(const std::vector<int>& sigs) {
  std::string s;
  for (int sig : sigs) s += (s.empty() ? "" : " ") + std::to_string(sig);
  return s;
}

// The signals of the common cases: every one but the faults and, where the
// emulator keeps them, 63 and 64.
std::vector<int> common() {
  std::vector<int> v;
  for (int sig : range(1, 62))
    if (!isFault(sig)) v.push_back(sig);
  return v;
}

// faultsSentByKill: qemu-user takes a fault signal sent by kill(2) for a
// fault of the code it runs, at random moments (tests/test_signals.cpp).
std::string faultsUnderEmulator() {
  if (skip::emulator().empty()) return "";
  return "qemu-user may take a fault signal sent by kill for a fault of the code it runs "
         "(see test_signals' floodable)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gospawn_signals)

BOOST_AUTO_TEST_CASE(every_catchable_signal_is_passed_on) {
  const Checked c = sendEach({}, common());
  std::cout << "signals forwarded by gospawn: " << list(c.forwarded) << std::endl;
  std::cout << "signals gospawn keeps (not forwarded, never stop or end it): " << list(c.kept)
            << std::endl;
  BOOST_TEST(c.kept == (std::vector<int>{SIGCHLD, SIGTTIN, SIGTTOU, 32, 33}));
}

// SIGSEGV and the like sent by another process are PROGRAM's, not a fault
// of gospawn's (si_code tells them apart).
BOOST_AUTO_TEST_CASE(fault_signals_sent_by_kill_are_passed_on, *skip::when(faultsUnderEmulator)) {
  std::vector<int> faults;
  for (int sig : range(1, 31))
    if (isFault(sig)) faults.push_back(sig);
  const Checked c = sendEach({}, faults);
  std::cout << "fault signals sent by kill, forwarded: " << list(c.forwarded) << std::endl;
  BOOST_TEST(c.forwarded.size() == 6u);
}

BOOST_AUTO_TEST_CASE(signals_63_and_64_are_passed_on, *skip::when(skip::noSigrtmax)) {
  const Checked c = sendEach({}, {63, 64});
  BOOST_TEST(c.forwarded == (std::vector<int>{63, 64}));
}

// Through the init of -p: gospawn passes each on to its init, which passes
// it on to PROGRAM.
BOOST_AUTO_TEST_CASE(every_catchable_signal_reaches_program_through_the_init,
                     *utf::precondition(CanClone{CLONE_NEWPID, "CLONE_NEWPID"})) {
  std::vector<int> sigs = common();
  for (int sig : range(1, 31))
    if (isFault(sig)) sigs.push_back(sig);
  sigs.insert(sigs.end(), {63, 64});
  const Checked c = sendEach({"-p"}, sigs);
  std::cout << "signals forwarded through gospawn -p and its init: " << list(c.forwarded)
            << std::endl;
  BOOST_TEST(c.kept == (std::vector<int>{SIGCHLD, SIGTTIN, SIGTTOU, 32, 33}));
}

// A signal gospawn inherited as ignored stays ignored: not passed on, and
// PROGRAM inherits it ignored (as nohup asks).
// qemu-user starts its guest with every signal at SIG_DFL.
std::string ignoredNotInherited() {
  if (skip::emulator().empty()) return "";
  return "gospawn runs under " + skip::emulator() +
         ", which does not keep inherited ignored signals";
}

BOOST_AUTO_TEST_CASE(an_inherited_ignored_signal_stays_ignored, *skip::when(ignoredNotInherited)) {
  Spawned s("/bin/sh", {"sh", "-c",
                        "trap '' USR1; exec " + kGospawn +
                            " -- /bin/sh -c "
                            "'grep ^SigIgn /proc/$$/status; echo ready; read x; exit 0'"});
  const std::string ign = s.line();
  BOOST_TEST_REQUIRE(ign.rfind("SigIgn:", 0) == 0);
  const unsigned long long ignored = std::stoull(ign.substr(7), nullptr, 16);
  BOOST_TEST(((ignored >> (SIGUSR1 - 1)) & 1) == 1u);
  BOOST_TEST_REQUIRE(s.line() == "ready");
  BOOST_TEST_REQUIRE(kill(s.pid(), SIGUSR1) == 0);  // ignored by gospawn (pid: it exec'd)
  BOOST_TEST(s.finish().code() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
