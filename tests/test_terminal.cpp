// SPDX-License-Identifier: BSD-3-Clause
// Pgid, Foreground and Ctty, observed in the child's /proc/self/stat (probe
// stat: pgid, sid, tty_nr, tpgid) with a pseudo-terminal the test opens.
// Taking a terminal needs a session that has it as its controlling
// terminal, so those cases run in a forked helper that makes one.
#include <sys/sysmacros.h>
#include <termios.h>

#include "live_probe.hpp"
#include "pty.hpp"

using namespace th;

namespace {

// ttyNr is how /proc/<pid>/stat encodes a terminal device (tty_nr).
long ttyNr(dev_t rdev) {
  const unsigned maj = major(rdev), min = minor(rdev);
  return long((min & 0xff) | (maj << 8) | ((min & ~0xffu) << 12));
}

std::map<std::string, long> probeStat(gs::SysProcAttr* sys, std::vector<gs::uintptr> files,
                                      gs::Errno* err) {
  Pipe out;
  Fd null = devNull();
  gs::ProcAttr attr;
  attr.Files = {null.u(), out.w.u(), 2};
  attr.Files.insert(attr.Files.end(), files.begin(), files.end());
  attr.Sys = sys;
  auto [pid, e] = gs::ForkExec(kProbe, {"probe", "stat"}, &attr);
  *err = e;
  out.w.reset();
  if (e) return {};
  auto kv = parseKV(readAll(out.r.get()));
  const int st = waitStatus(pid);
  kv["exit"] = WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + st;
  return kv;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(terminal)

BOOST_AUTO_TEST_CASE(pgid_joins_an_existing_group) {
  gs::SysProcAttr lead;
  lead.Setpgid = true;
  LiveProbe leader(&lead);
  BOOST_TEST_REQUIRE(leader.err == gs::Errno{});
  gs::SysProcAttr sys;
  sys.Setpgid = true;
  sys.Pgid = leader.pid;
  gs::Errno err;
  auto st = probeStat(&sys, {}, &err);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  BOOST_TEST(st["pgid"] == leader.pid);
  BOOST_TEST(st["pid"] != leader.pid);
  BOOST_TEST(st["sid"] == getsid(0));
}

BOOST_AUTO_TEST_CASE(pgid_of_another_session_is_eperm_and_no_child) {
  gs::SysProcAttr other;
  other.Setsid = true;
  LiveProbe stranger(&other);  // leads a group of another session
  BOOST_TEST_REQUIRE(stranger.err == gs::Errno{});
  gs::SysProcAttr sys;
  sys.Setpgid = true;
  sys.Pgid = stranger.pid;
  gs::Errno err;
  probeStat(&sys, {}, &err);
  BOOST_TEST(err == gs::EPERM_);
  stranger.finish();
  BOOST_TEST(noChildren());
  sys.Pgid = -1;
  probeStat(&sys, {}, &err);
  BOOST_TEST(err == gs::EINVAL_);
}

BOOST_AUTO_TEST_CASE(setctty_takes_ctty_as_a_child_fd) {
  Pty pty;
  gs::SysProcAttr sys;
  sys.Setsid = true;
  sys.Setctty = true;
  sys.Ctty = 3;  // child fd 3 = the slave
  gs::Errno err;
  auto st = probeStat(&sys, {pty.slave.u()}, &err);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  BOOST_TEST(st["sid"] == st["pid"]);
  BOOST_TEST(st["tty_nr"] == ttyNr(pty.rdev));
  BOOST_TEST(st["tpgid"] == st["pid"]);  // a new session's leader is its foreground group
}

BOOST_AUTO_TEST_CASE(bad_terminal_combinations_are_einval) {
  gs::Errno err;
  gs::SysProcAttr sys;
  sys.Setsid = true;
  sys.Setctty = true;
  sys.Ctty = 3;  // Files has 3 entries: no fd 3 in the child
  probeStat(&sys, {}, &err);
  BOOST_TEST(err == gs::EINVAL_);
  sys.Ctty = 0;
  sys.Foreground = true;  // with Setctty
  probeStat(&sys, {}, &err);
  BOOST_TEST(err == gs::EINVAL_);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(foreground_on_a_non_terminal_fails_in_the_child) {
  Fd null = devNull();
  gs::SysProcAttr sys;
  sys.Foreground = true;
  sys.Ctty = null.get();
  gs::Errno err;
  probeStat(&sys, {}, &err);
  BOOST_TEST(err == gs::ENOTTY_);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(foreground_takes_the_terminal) {
  // In a helper that leads a session whose controlling terminal is the
  // pty: the child's new group, a background group until then, must become
  // the foreground one (TIOCSPGRP with signals still blocked, or SIGTTOU
  // would stop it), with Pgid 0 and with an existing group.
  std::string msg = inHelper([]() -> std::string {
    // Closing the master at the end hangs the terminal up, which sends
    // SIGHUP to its controlling process: this helper.
    signal(SIGHUP, SIG_IGN);
    if (setsid() < 0) return std::string("setsid: ") + strerror(errno);
    Pty pty(true);
    if (tcgetpgrp(pty.slave.get()) != getpgrp()) return "the pty is not our terminal";
    gs::SysProcAttr sys;
    sys.Foreground = true;
    sys.Ctty = pty.slave.get();  // a parent fd
    gs::Errno err;
    auto st = probeStat(&sys, {}, &err);
    if (err) return "Foreground: " + err.Error();
    if (st["pgid"] != st["pid"]) return "not in its own group";
    if (st["tpgid"] != st["pid"])
      return "not the foreground group: tpgid " + std::to_string(st["tpgid"]);
    if (st["tty_nr"] != ttyNr(pty.rdev)) return "another terminal";
    if (st["exit"] != 0) return "probe ended " + std::to_string(st["exit"]);

    // Join an existing group and make it the foreground one.
    gs::SysProcAttr lead;
    lead.Setpgid = true;
    LiveProbe leader(&lead);
    if (leader.err) return "leader: " + leader.err.Error();
    sys.Pgid = leader.pid;
    st = probeStat(&sys, {}, &err);
    if (err) return "Foreground with Pgid: " + err.Error();
    if (st["pgid"] != leader.pid || st["tpgid"] != leader.pid) return "Pgid not in the foreground";
    if (tcgetpgrp(pty.slave.get()) != leader.pid) return "tcgetpgrp is not the leader's group";
    return "";
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_SUITE_END()
