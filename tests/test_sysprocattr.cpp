// SPDX-License-Identifier: BSD-3-Clause
// SysProcAttr, observed in the child (probe, /proc/<pid>): Setsid, Setpgid,
// Credential, Chroot, Setctty, Noctty, Ptrace. The suites run as root.
#include <elf.h>
#include <grp.h>
#include <link.h>
#include <sys/ptrace.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include <algorithm>

#include "exec_helpers.hpp"
#include "pty.hpp"
#include "skip.hpp"

using namespace th;

namespace {

std::map<std::string, long> probeStat(gs::SysProcAttr* sys, Run* run = nullptr) {
  Run r = runProbe({"stat"}, sys);
  if (run) *run = r;
  if (r.err) return {};
  return parseKV(r.out);
}

// ttyMatches: tty_nr of /proc/<pid>/stat names device rdev (the kernel's
// new_encode_dev: minor's low byte, major, then minor's high bits).
bool ttyMatches(long tty_nr, dev_t rdev) {
  const unsigned long t = (unsigned long)tty_nr;
  const unsigned maj = (t >> 8) & 0xfff, min = (t & 0xff) | ((t >> 12) & 0xfff00);
  return maj == major(rdev) && min == minor(rdev);
}

// The ELF interpreter (PT_INTERP) of a program, "" if static.
std::string interpreter(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  ElfW(Ehdr) eh;
  f.read(reinterpret_cast<char*>(&eh), sizeof eh);
  for (int i = 0; i < eh.e_phnum; i++) {
    ElfW(Phdr) ph;
    f.seekg(std::streamoff(eh.e_phoff + i * eh.e_phentsize));
    f.read(reinterpret_cast<char*>(&ph), sizeof ph);
    if (ph.p_type == PT_INTERP) {
      std::string s(ph.p_filesz, '\0');
      f.seekg(std::streamoff(ph.p_offset));
      f.read(&s[0], std::streamsize(s.size()));
      return s.c_str();
    }
  }
  return "";
}

void copyInto(const std::string& root, const std::string& src, const std::string& at) {
  const std::filesystem::path dst = root + at;
  std::filesystem::create_directories(dst.parent_path());
  std::filesystem::copy_file(src, dst, std::filesystem::copy_options::overwrite_existing);
  chmod(dst.c_str(), 0755);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sysprocattr)

BOOST_AUTO_TEST_CASE(setsid_new_session) {
  gs::SysProcAttr sys;
  sys.Setsid = true;
  Run r;
  auto st = probeStat(&sys, &r);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(st["pid"] == r.pid);
  BOOST_TEST(st["sid"] == r.pid);
  BOOST_TEST(st["pgid"] == r.pid);
  BOOST_TEST(st["ppid"] == getpid());
  BOOST_TEST(st["tty_nr"] == 0);   // a new session has no controlling tty
  BOOST_TEST(getsid(0) != r.pid);  // ours is unchanged
}

BOOST_AUTO_TEST_CASE(without_setsid_or_setpgid_inherits_ours) {
  Run r;
  auto st = probeStat(nullptr, &r);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(st["sid"] == getsid(0));
  BOOST_TEST(st["pgid"] == getpgrp());
}

BOOST_AUTO_TEST_CASE(setpgid_new_process_group) {
  gs::SysProcAttr sys;
  sys.Setpgid = true;
  Run r;
  auto st = probeStat(&sys, &r);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(st["pgid"] == r.pid);
  BOOST_TEST(st["sid"] == getsid(0));  // same session as ours
  BOOST_TEST(getpgrp() != r.pid);
}

BOOST_AUTO_TEST_CASE(setsid_and_setpgid_is_eperm) {
  // setsid first, as Go: a session leader cannot change its process group.
  gs::SysProcAttr sys;
  sys.Setsid = sys.Setpgid = true;
  Run r = runProbe({"stat"}, &sys);
  BOOST_TEST(r.err == gs::EPERM_);
  BOOST_TEST(r.pid == 0);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(credential_in_proc_status) {
  // All four of real, effective, saved and filesystem ids change, and the
  // groups are exactly those given.
  struct Case {
    uint32_t uid, gid;
    std::vector<uint32_t> groups;
  };
  for (const Case& c :
       {Case{65534, 65534, {65534, 100}}, Case{65534, 100, {}}, Case{1234, 4321, {7, 8, 9}}}) {
    BOOST_TEST_CONTEXT("uid " << c.uid << " gid " << c.gid << " groups " << c.groups.size()) {
      gs::Credential cred{c.uid, c.gid, c.groups};
      gs::SysProcAttr sys;
      sys.Credential = &cred;
      Pipe in, out;
      gs::ProcAttr attr;
      attr.Files = {in.r.u(), out.w.u(), 2};
      attr.Sys = &sys;
      auto [pid, err] = gs::ForkExec(worldProbe(), {"probe", "wait"}, &attr);
      BOOST_TEST_REQUIRE(err == gs::Errno{});
      out.w.reset();
      in.r.reset();
      BOOST_TEST_REQUIRE(readLine(out.r.get()) == "ready " + std::to_string(pid));
      // The probe has exec'd and blocks on stdin: read what the kernel says.
      const std::vector<long> u4(4, long(c.uid)), g4(4, long(c.gid));
      BOOST_TEST(numbers(procStatus(pid, "Uid")) == u4, boost::test_tools::per_element());
      BOOST_TEST(numbers(procStatus(pid, "Gid")) == g4, boost::test_tools::per_element());
      std::vector<long> groups = numbers(procStatus(pid, "Groups"));
      std::vector<long> want(c.groups.begin(), c.groups.end());
      std::sort(groups.begin(), groups.end());
      std::sort(want.begin(), want.end());
      BOOST_TEST(groups == want, boost::test_tools::per_element());
      in.w.reset();
      BOOST_TEST(readLine(out.r.get()) == "eof");
      BOOST_TEST(wait4(pid).ExitStatus() == 0);

      // The same, as the program sees itself (getresuid/getresgid/getgroups).
      Run r = runProbe({"ids"}, &sys, worldProbe());
      BOOST_TEST_REQUIRE(r.err == gs::Errno{});
      auto l = lines(r.out);
      BOOST_TEST_REQUIRE(l.size() == 3u);
      const std::string u = std::to_string(c.uid), g = std::to_string(c.gid);
      BOOST_TEST(l[0] == "uid " + u + " " + u + " " + u + " " + u);
      BOOST_TEST(l[1] == "gid " + g + " " + g + " " + g + " " + g);
    }
  }
}

BOOST_AUTO_TEST_CASE(credential_root_keeps_root) {
  gs::Credential cred{0, 0, {0}};
  gs::SysProcAttr sys;
  sys.Credential = &cred;
  Run r = runProbe({"ids"}, &sys);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.out == "uid 0 0 0 0\ngid 0 0 0 0\ngroups 0\n");
}

BOOST_AUTO_TEST_CASE(chroot_slash) {
  gs::SysProcAttr sys;
  sys.Chroot = "/";
  Run r = runProbe({"cwd"}, &sys);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == std::filesystem::current_path().string() + "\n");
}

BOOST_AUTO_TEST_CASE(chroot_into_a_directory) {
  // A root holding only the probe and what it maps (its libraries, the
  // dynamic loader, also under its PT_INTERP name). The child's "/" must
  // be that directory, and Dir is taken inside it (chroot comes first).
  Run maps = runProbe({"maps"});
  BOOST_TEST_REQUIRE(maps.err == gs::Errno{});
  TempDir root;
  for (const auto& f : lines(maps.out))
    if (f != kProbe && std::filesystem::is_regular_file(f)) copyInto(root.path, f, f);
  const std::string interp = interpreter(kProbe);
  if (!interp.empty()) copyInto(root.path, std::filesystem::canonical(interp), interp);
  copyInto(root.path, kProbe, "/probe");
#ifdef EMULATOR_PATH
  // Under a user-mode emulator "/probe" is emu_launch, which runs the
  // emulator and the guest probe by their absolute paths.
  copyInto(root.path, EMULATOR_PATH, EMULATOR_PATH);
  copyInto(root.path, PROBE_GUEST_PATH, PROBE_GUEST_PATH);
#endif
  std::filesystem::create_directories(root.path + "/sub/dir");
  std::ofstream(root.path + "/marker-of-the-new-root").put('x');

  std::string want;
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(root.path))
    names.insert(e.path().filename().string());
  for (const auto& n : names) want += n + "\n";

  gs::SysProcAttr sys;
  sys.Chroot = root.path;
  Run ls = runProbe({"ls", "/"}, &sys, "/probe");
  BOOST_TEST_REQUIRE(ls.err == gs::Errno{});
  BOOST_TEST(ls.status == 0);
  BOOST_TEST(ls.out == want);

  gs::ProcAttr attr;
  attr.Sys = &sys;
  attr.Dir = "/sub/dir";
  Run cwd = runProbe({"cwd"}, attr, "/probe");
  BOOST_TEST_REQUIRE(cwd.err == gs::Errno{});
  BOOST_TEST(cwd.out == "/sub/dir\n");

  // Outside the new root the program's path names nothing.
  BOOST_TEST(!std::filesystem::exists("/probe"));
}

BOOST_AUTO_TEST_CASE(setctty_makes_the_pty_the_controlling_tty) {
  Pty pty;
  gs::SysProcAttr sys;
  sys.Setsid = true;
  sys.Setctty = true;
  gs::ProcAttr attr;
  attr.Files = {pty.slave.u(), kOut, 2};
  attr.Sys = &sys;
  Run r = runProbe({"stat"}, attr);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  auto st = parseKV(r.out);
  BOOST_TEST(st["sid"] == r.pid);
  BOOST_TEST(ttyMatches(st["tty_nr"], pty.rdev),
             "tty_nr " << st["tty_nr"] << " is not " << pty.slaveName);
  BOOST_TEST(st["tpgid"] == r.pid);  // its group is the terminal's foreground
}

BOOST_AUTO_TEST_CASE(setctty_errors) {
  // Not a session leader: EPERM.
  {
    Pty pty;
    gs::SysProcAttr sys;
    sys.Setctty = true;
    gs::ProcAttr attr;
    attr.Files = {pty.slave.u(), pty.slave.u(), 2};
    attr.Sys = &sys;
    Run r = runProbe({"stat"}, attr);
    BOOST_TEST(r.err == gs::EPERM_);
  }
  // fd 0 not a terminal: ENOTTY.
  {
    Fd null = devNull();
    gs::SysProcAttr sys;
    sys.Setsid = sys.Setctty = true;
    gs::ProcAttr attr;
    attr.Files = {null.u(), null.u(), 2};
    attr.Sys = &sys;
    Run r = runProbe({"stat"}, attr);
    BOOST_TEST(r.err == gs::ENOTTY_);
  }
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(noctty_without_a_tty_is_enotty) {
  Fd null = devNull();
  gs::SysProcAttr sys;
  sys.Noctty = true;
  gs::ProcAttr attr;
  attr.Files = {null.u(), null.u(), 2};
  attr.Sys = &sys;
  Run r = runProbe({"stat"}, attr);
  BOOST_TEST(r.err == gs::ENOTTY_);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(noctty_detaches_the_controlling_tty) {
  // A helper becomes a session leader with the pty as its controlling
  // terminal; its child inherits it, unless Noctty.
  Pty pty;
  const dev_t rdev = pty.rdev;
  const std::string name = pty.slaveName;
  std::string msg = inHelper([&]() -> std::string {
    if (setsid() < 0) return "setsid failed";
    int s = open(name.c_str(), O_RDWR | O_CLOEXEC);  // acquires it as ctty
    if (s < 0) return "open slave failed";
    for (bool noctty : {false, true}) {
      gs::SysProcAttr sys;
      sys.Noctty = noctty;
      gs::ProcAttr attr;
      attr.Files = {U(s), kOut, 2};
      attr.Sys = &sys;
      Run r = runProbe({"stat"}, attr);
      if (r.err) return "ForkExec: " + r.err.Error();
      const long tty = parseKV(r.out)["tty_nr"];
      if (!noctty && !ttyMatches(tty, rdev)) return "child did not inherit the tty: " + r.out;
      if (noctty && tty != 0) return "Noctty child still has a tty: " + r.out;
    }
    return "";
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(ptrace_stops_at_exec, *skip::when(skip::noPtrace)) {
  gs::SysProcAttr sys;
  sys.Ptrace = true;
  Fd null = devNull();
  gs::ProcAttr attr;
  attr.Files = {null.u(), null.u(), 2};
  attr.Sys = &sys;
  auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "5"}, &attr);
  BOOST_TEST_REQUIRE(err == gs::Errno{});

  // execve of a traced process stops it with SIGTRAP before its first
  // instruction; we are its tracer.
  gs::WaitStatus ws;
  auto [wpid, werr] = gs::Wait4(pid, &ws, WUNTRACED | __WALL, nullptr);
  BOOST_TEST_REQUIRE(werr == gs::Errno{});
  BOOST_TEST(wpid == pid);
  BOOST_TEST_REQUIRE(ws.Stopped());
  BOOST_TEST(ws.StopSignal() == gs::SIGTRAP_);
  BOOST_TEST(ws.TrapCause() == 0);  // a plain SIGTRAP, no PTRACE_EVENT
  BOOST_TEST(procStatus(pid, "TracerPid") == std::to_string(getpid()));

  BOOST_TEST(ptrace(PTRACE_DETACH, pid, nullptr, nullptr) == 0);
  ws = wait4(pid);
  BOOST_TEST(ws.Exited());
  BOOST_TEST(ws.ExitStatus() == 5);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(ptrace_off_means_untraced) {
  Pipe in, out;
  gs::ProcAttr attr;
  attr.Files = {in.r.u(), out.w.u(), 2};
  auto [pid, err] = gs::ForkExec(kProbe, {"probe", "wait"}, &attr);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  out.w.reset();
  BOOST_TEST(readLine(out.r.get()) == "ready " + std::to_string(pid));
  BOOST_TEST(procStatus(pid, "TracerPid") == "0");
  in.w.reset();
  BOOST_TEST(wait4(pid).ExitStatus() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
