// SPDX-License-Identifier: BSD-3-Clause
// Malformed ProcAttr / SysProcAttr, table-driven. Each row must give its
// Errno and pid 0, leave no child (none created, or the one created
// reaped: no zombie) and leave the parent's fd table as it was.
// test_exec_errors.cpp goes into each Errno's causes one by one; this table
// runs every kind of bad input through the same accounting, and adds the
// kinds that suite lacks (empty argv, E2BIG, impossible credentials,
// contradictory attributes, the new CloseFds and spawn-thread paths).
#include <grp.h>
#include <limits.h>

#include <functional>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

struct Row {
  std::string name;
  gs::Errno want;
  // setup fills what the row needs; argv0/argv default to the probe.
  std::function<void(std::string& argv0, std::vector<std::string>& argv, gs::ProcAttr& attr,
                     gs::SysProcAttr& sys)>
      setup;
  bool spawnThread = false;  // PdeathsigProcessLifetime: the library's thread runs it
};

int closedFd() {
  int fd = 900;
  while (fcntl(fd, F_GETFD) >= 0) fd++;
  return fd;
}

// zombies counts this process's children that are zombies.
int zombies() {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    try {
      const int pid = std::stoi(name);
      if (std::stol(procStatus(pid, "PPid")) == getpid() &&
          procStatus(pid, "State").rfind("Z", 0) == 0)
        n++;
    } catch (...) {
    }
  }
  return n;
}

std::vector<Row> rows() {
  using namespace std::string_literals;
  using A = std::string&;
  using V = std::vector<std::string>&;
  using P = gs::ProcAttr&;
  using S = gs::SysProcAttr&;
  const std::string nul = "a\0b"s;
  const std::string big(200 * 1024, 'x');  // above MAX_ARG_STRLEN (128 KiB)
  // Credentials no one can have are EINVAL for root; anyone else is
  // refused (EPERM) before the kernel looks at the value.
  const gs::Errno credErr = geteuid() == 0 ? gs::EINVAL_ : gs::EPERM_;
  return {
      // Strings: checked in the parent, before any child exists.
      {"NUL in argv0", gs::EINVAL_, [=](A a, V, P, S) { a += nul; }},
      {"NUL in argv", gs::EINVAL_, [=](A, V v, P, S) { v.push_back(nul); }},
      {"NUL in env", gs::EINVAL_, [=](A, V, P p, S) { p.Env = {"K=" + nul}; }},
      {"NUL in Dir", gs::EINVAL_, [=](A, V, P p, S) { p.Dir = "/tmp" + nul; }},
      {"NUL in Chroot", gs::EINVAL_, [=](A, V, P, S s) { s.Chroot = "/" + nul; }},
      {"empty argv", gs::EINVAL_, [](A, V v, P, S) { v.clear(); }},
      // Sizes: the kernel's execve refuses them in the child.
      {"argv string over 128 KiB", gs::E2BIG_, [=](A, V v, P, S) { v.push_back(big); }},
      {"env string over 128 KiB", gs::E2BIG_, [=](A, V, P p, S) { p.Env = {"K=" + big}; }},
      {"argv over a quarter of the stack limit", gs::E2BIG_,
       [](A, V v, P, S) { v.insert(v.end(), 200000, std::string(100, 'y')); }},
      // Files.
      {"Files: a negative fd", gs::EBADF_,
       [](A, V, P p, S) { p.Files.push_back(gs::uintptr(-2)); }},
      {"Files: INT_MAX", gs::EBADF_, [](A, V, P p, S) { p.Files.push_back(U(INT_MAX)); }},
      {"Files: a closed fd", gs::EBADF_, [](A, V, P p, S) { p.Files.push_back(U(closedFd())); }},
      {"Files: a closed fd, CloseFds", gs::EBADF_,
       [](A, V, P p, S s) {
    p.Files.push_back(U(closedFd()));
    s.CloseFds = true;
       }},
      // Paths.
      {"Dir missing", gs::ENOENT_, [](A, V, P p, S) { p.Dir = "/nonexistent/dir"; }},
      {"Dir a file", gs::ENOTDIR_, [](A, V, P p, S) { p.Dir = "/etc/passwd"; }},
      {"Chroot missing", gs::ENOENT_, [](A, V, P, S s) { s.Chroot = "/nonexistent/root"; }},
      {"Dir missing inside Chroot", gs::ENOENT_,
       [](A, V, P p, S s) {
    s.Chroot = "/";
    p.Dir = "/nonexistent/dir";
       }},
      // Credentials no one can have.
      {"Credential uid -1", credErr,
       [](A, V, P, S s) {
    static gs::Credential c{0xFFFFFFFFu, 0, {}};
    s.Credential = &c;
       }},
      {"Credential gid -1", credErr,
       [](A, V, P, S s) {
    static gs::Credential c{0, 0xFFFFFFFFu, {}};
    s.Credential = &c;
       }},
      {"Credential group -1", credErr,
       [](A, V, P, S s) {
    static gs::Credential c{0, 0, {0xFFFFFFFFu}};
    s.Credential = &c;
       }},
      {"Credential over NGROUPS_MAX groups", credErr,
       [](A, V, P, S s) {
    static gs::Credential c{0, 0, std::vector<uint32_t>(NGROUPS_MAX + 1, 0)};
    s.Credential = &c;
       }},
      // Contradictions and terminals that are not there.
      {"Setsid then Setpgid", gs::EPERM_, [](A, V, P, S s) { s.Setsid = s.Setpgid = true; }},
      {"Setctty without a terminal", gs::ENOTTY_,
       [](A, V, P, S s) { s.Setsid = s.Setctty = true; }},
      {"Noctty without a terminal", gs::ENOTTY_, [](A, V, P, S s) { s.Noctty = true; }},
#ifndef GOSYSCALL_EXEC_BSD
      // Signals out of range, also on the spawn thread.
      {"Pdeathsig 65", gs::EINVAL_, [](A, V, P, S s) { s.Pdeathsig = gs::Signal(65); }},
      {"Pdeathsig -1", gs::EINVAL_, [](A, V, P, S s) { s.Pdeathsig = gs::Signal(-1); }},
      {"Pdeathsig 65 on the spawn thread", gs::EINVAL_,
       [](A, V, P, S s) {
    s.Pdeathsig = gs::Signal(65);
    s.PdeathsigProcessLifetime = true;
       },
       true},
      {"Credential uid -1 on the spawn thread", credErr,
       [](A, V, P, S s) {
    static gs::Credential c{0xFFFFFFFFu, 0, {}};
    s.Credential = &c;
    s.Pdeathsig = gs::SIGKILL_;
    s.PdeathsigProcessLifetime = true;
       },
       true},
#endif
      };
}

// checkRows runs the rows that use the spawn thread, or the others.
void checkRows(bool spawnThread) {
  Fd null = devNull();
  for (const Row& row : rows()) {
    if (row.spawnThread != spawnThread) continue;
    BOOST_TEST_CONTEXT(row.name) {
      std::string argv0 = kProbe;
      std::vector<std::string> argv{"probe", "exit", "0"};
      gs::SysProcAttr sys;
      gs::ProcAttr attr;
      attr.Files = {null.u(), null.u(), null.u()};
      attr.Sys = &sys;
      row.setup(argv0, argv, attr, sys);
      const std::set<int> before = openFds();
      auto [pid, err] = gs::ForkExec(argv0, argv, &attr);
      BOOST_TEST(err == row.want);
      BOOST_TEST(pid == 0);
      BOOST_TEST(zombies() == 0);
      BOOST_TEST(noChildren());
      BOOST_TEST(openFds() == before, boost::test_tools::per_element());
      // StartProcess, Go's other entry point, the same.
      auto [pid2, handle, err2] = gs::StartProcess(argv0, argv, &attr);
      BOOST_TEST(err2 == row.want);
      BOOST_TEST(pid2 == 0);
      BOOST_TEST(handle == 0u);
      BOOST_TEST(noChildren());
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bad_input)

BOOST_AUTO_TEST_CASE(table) {
  checkRows(false);
  // The control: the same base attributes do start the probe.
  Fd null = devNull();
  gs::ProcAttr attr;
  attr.Files = {null.u(), null.u(), null.u()};
  Run r = runProbe({"exit", "0"}, attr);
  BOOST_TEST(r.err == gs::Errno{});
  BOOST_TEST(r.status == 0);
}

#ifndef GOSYSCALL_EXEC_BSD
BOOST_AUTO_TEST_CASE(table_on_the_spawn_thread, *skip::when(skip::noThreads)) { checkRows(true); }
#endif

BOOST_AUTO_TEST_SUITE_END()
