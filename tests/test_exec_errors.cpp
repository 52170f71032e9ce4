// SPDX-License-Identifier: BSD-3-Clause
// Every way ForkExec fails: the right Errno, pid 0, the child (if one was
// made) already reaped, no fd of the library left open; and for input the
// parent rejects (EINVAL), proof that no child was ever created.
#include <grp.h>
#include <sched.h>
#include <sys/prctl.h>

#include "exec_helpers.hpp"
#include "live_probe.hpp"
#include "skip.hpp"

using namespace th;

namespace {

// expectFail runs ForkExec and checks the Errno, that no child is left
// (running or zombie) and that the parent's fd table is unchanged.
void expectFail(const std::string& argv0, const std::vector<std::string>& argv,
                const gs::ProcAttr& attr, gs::Errno want) {
  const std::set<int> before = openFds();
  auto [pid, err] = gs::ForkExec(argv0, argv, &attr);
  BOOST_TEST(err == want, "ForkExec(" << argv0 << ")");
  BOOST_TEST(pid == 0);
  BOOST_TEST(noChildren(), "a child of ForkExec(" << argv0 << ") is left behind");
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
}

gs::ProcAttr stdAttr(const Fd& null) {
  gs::ProcAttr attr;
  attr.Files = {null.u(), null.u(), 2};
  return attr;
}

// A closed fd number well away from anything the process uses.
int closedFd() {
  int fd = 900;
  while (fcntl(fd, F_GETFD) >= 0) fd++;
  return fd;
}

// inNewPidNamespace runs fn in a helper that has unshared its pid namespace:
// the first child the helper creates afterwards is the new namespace's init,
// and once that child has died no process can be created there any more
// (fork fails with ENOMEM). So after fn, a plain fork tells whether fn
// created any child at all: it succeeds, and the new child is pid 1 in the
// namespace, only if none was created before. Returns "" if fn created no
// child, "created a child" if it did, or another message.
std::string childCreatedIn(const std::function<std::string()>& fn) {
  return inHelper([&]() -> std::string {
    if (unshare(CLONE_NEWPID) != 0)
      return std::string("skip: unshare(CLONE_NEWPID): ") + strerror(errno);
    std::string msg = fn();
    if (!msg.empty()) return msg;
    Pipe report;
    pid_t pid = fork();
    if (pid < 0)
      return errno == ENOMEM ? "created a child" : std::string("fork: ") + strerror(errno);
    if (pid == 0) _exit(getpid() == 1 ? 0 : 1);
    int st = waitStatus(pid);
    if (!WIFEXITED(st)) return "probe fork " + describe(st);
    return WEXITSTATUS(st) == 0 ? "" : "created a child";
  });
}

// Row: one set of attributes of the exec-error table, and what it sets.
struct Row {
  const char* name;
  void (*set)(gs::SysProcAttr&);
};

// expectRowsLeaveNothing: with the attributes of each row, ForkExec of a
// program that does not exist (ENOENT) and of one that may not be
// executed (EACCES) fails in the child's last step, execve. Each must come
// back as that Errno, with pid 0, no child left (running or zombie), the
// parent's fd table as it was, and *PidFD, where asked for, -1.
void expectRowsLeaveNothing(std::initializer_list<Row> rows) {
  const std::pair<std::string, gs::Errno> programs[] = {{"/nonexistent/prog", gs::ENOENT_},
                                                        {"/", gs::EACCES_}};
  for (const Row& row : rows) {
    for (const auto& [path, want] : programs) {
      gs::SysProcAttr sys;
      row.set(sys);
      int pidfd = 99;
#ifndef GOSYSCALL_EXEC_BSD
      if (sys.PidFD != nullptr) sys.PidFD = &pidfd;
#endif
      Fd null = devNull();
      gs::ProcAttr attr = stdAttr(null);
      attr.Sys = &sys;
      const std::set<int> before = openFds();
      auto [pid, err] = gs::ForkExec(path, {"prog"}, &attr);
      BOOST_TEST_CONTEXT(row.name << ", exec of " << path) {
        BOOST_TEST(err == want);
        BOOST_TEST(pid == 0);
        BOOST_TEST(noChildren(), "a child is left behind");
        BOOST_TEST(openFds() == before, boost::test_tools::per_element());
        if (pidfd != 99) BOOST_TEST(pidfd == -1);
      }
    }
  }
}

gs::Credential ownIds() { return gs::Credential{getuid(), getgid(), {}, true}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(exec_errors)

BOOST_AUTO_TEST_CASE(enoent_missing_program) {
  Fd null = devNull();
  gs::ProcAttr attr = stdAttr(null);
  expectFail("/nonexistent/prog", {"prog"}, attr, gs::ENOENT_);
  TempDir d;
  expectFail(d.path + "/missing", {"missing"}, attr, gs::ENOENT_);
  // No PATH lookup: a bare name is relative to the working directory.
  expectFail("sh-that-does-not-exist-here", {"x"}, attr, gs::ENOENT_);
  expectFail("", {""}, attr, gs::ENOENT_);
}

BOOST_AUTO_TEST_CASE(eacces_non_executable_file_and_directory) {
  Fd null = devNull();
  gs::ProcAttr attr = stdAttr(null);
  TempDir d;
  const std::string file = d.path + "/not-executable";
  std::filesystem::copy_file(kProbe, file);
  BOOST_TEST_REQUIRE(chmod(file.c_str(), 0644) == 0);  // even root needs an x bit
  expectFail(file, {"x"}, attr, gs::EACCES_);
  expectFail("/", {"/"}, attr, gs::EACCES_);
  expectFail(d.path, {"dir"}, attr, gs::EACCES_);
  // The same file, executable, runs: the EACCES above was the mode.
  BOOST_TEST_REQUIRE(chmod(file.c_str(), 0755) == 0);
  Run r = runProbe({"exit", "3"}, attr, file);
  BOOST_TEST(r.err == gs::Errno{});
  BOOST_TEST(r.status == 3);
}

BOOST_AUTO_TEST_CASE(enoexec_not_a_program) {
  Fd null = devNull();
  TempDir d;
  const std::string file = d.path + "/text";
  std::ofstream(file) << "just text, no #! line\n";
  chmod(file.c_str(), 0755);
  expectFail(file, {"text"}, stdAttr(null), gs::ENOEXEC_);
}

BOOST_AUTO_TEST_CASE(enotdir_path_through_a_file) {
  Fd null = devNull();
  expectFail("/etc/passwd/x", {"x"}, stdAttr(null), gs::ENOTDIR_);
  expectFail(kProbe + "/probe", {"x"}, stdAttr(null), gs::ENOTDIR_);
}

BOOST_AUTO_TEST_CASE(bad_dir) {
  Fd null = devNull();
  gs::ProcAttr attr = stdAttr(null);
  attr.Dir = "/nonexistent/dir";
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::ENOENT_);
  attr.Dir = "/etc/passwd";
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::ENOTDIR_);
}

BOOST_AUTO_TEST_CASE(bad_chroot) {
  Fd null = devNull();
  gs::ProcAttr attr = stdAttr(null);
  gs::SysProcAttr sys;
  attr.Sys = &sys;
  sys.Chroot = "/nonexistent/root";
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::ENOENT_);
  sys.Chroot = "/etc/passwd";
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::ENOTDIR_);
  // A valid root in which the program does not exist.
  TempDir empty;
  sys.Chroot = empty.path;
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::ENOENT_);
}

BOOST_AUTO_TEST_CASE(eperm_credential_as_non_root) {
  // The helper drops to uid/gid 65534 with no supplementary groups (real,
  // effective and saved), then asks for a child running as root.
  std::string msg = inHelper([]() -> std::string {
    if (setgroups(0, nullptr) != 0 || setresgid(65534, 65534, 65534) != 0 ||
        setresuid(65534, 65534, 65534) != 0)
      return std::string("cannot drop privileges: ") + strerror(errno);
    const std::set<int> before = openFds();
    Fd null = devNull();
    gs::Credential cred{0, 0, {}};
    gs::SysProcAttr sys;
    sys.Credential = &cred;
    gs::ProcAttr attr = stdAttr(null);
    attr.Sys = &sys;
    auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
    if (err != gs::EPERM_) return "Errno " + err.Error() + ", want EPERM";
    if (pid != 0) return "pid " + std::to_string(pid);
    if (!noChildren()) return "a child is left behind";
    null.reset();
    if (openFds() != before) return "fds leaked";
    return "";
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(ebadf_files_entry_names_a_closed_fd) {
  Fd null = devNull();
  gs::ProcAttr attr = stdAttr(null);
  attr.Files.push_back(U(closedFd()));
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::EBADF_);

  // At a place below the others (fd 0), and as the only entry.
  attr.Files = {U(closedFd()), null.u(), 2};
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::EBADF_);
  attr.Files = {U(closedFd())};
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::EBADF_);

  // Not an fd number at all (but not uintptr(-1), which means "closed").
  // (1 << 62 on 64-bit, 1 << 30 on 32-bit arches: far above any fd limit.)
  attr.Files = {null.u(), null.u(), 2, gs::uintptr(1) << (sizeof(gs::uintptr) * 8 - 2)};
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::EBADF_);
  attr.Files = {null.u(), null.u(), 2, kClosed - 1};
  expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::EBADF_);
}

BOOST_AUTO_TEST_CASE(ebadf_closed_fd_where_the_library_puts_its_own) {
  // The next free fds are where the status pipe (and, with Pdeathsig, the
  // parent's pidfd) will be. A Files entry naming one of them named a closed
  // fd: EBADF, not the library's fd handed to the child.
  Fd null = devNull();
  const int free0 = lowestFreeFd();
  for (int k = 0; k < 4; k++) {
    gs::ProcAttr attr = stdAttr(null);
    attr.Files.push_back(U(free0 + k));
    expectFail(kProbe, {"probe", "fds"}, attr, gs::EBADF_);
#ifndef GOSYSCALL_EXEC_BSD
    gs::SysProcAttr sys;
    sys.Pdeathsig = gs::SIGKILL_;
    attr.Sys = &sys;
    expectFail(kProbe, {"probe", "fds"}, attr, gs::EBADF_);
#endif
  }
}

BOOST_AUTO_TEST_CASE(einval_nul_byte_anywhere) {
  using namespace std::string_literals;
  Fd null = devNull();
  const std::string nul = "a\0b"s;
  BOOST_TEST_REQUIRE(nul.size() == 3u);
  gs::ProcAttr attr = stdAttr(null);
  expectFail(kProbe + nul, {"probe"}, attr, gs::EINVAL_);
  expectFail(kProbe, {"probe", "exit", nul}, attr, gs::EINVAL_);
  expectFail(kProbe, {nul}, attr, gs::EINVAL_);
  attr.Env = {"A=1", "B=" + nul};
  expectFail(kProbe, {"probe"}, attr, gs::EINVAL_);
  attr.Env = {"\0"s};
  expectFail(kProbe, {"probe"}, attr, gs::EINVAL_);
  attr.Env.clear();
  attr.Dir = "/tmp" + nul;
  expectFail(kProbe, {"probe"}, attr, gs::EINVAL_);
  attr.Dir.clear();
  gs::SysProcAttr sys;
  sys.Chroot = "/" + nul;
  attr.Sys = &sys;
  expectFail(kProbe, {"probe"}, attr, gs::EINVAL_);
}

#ifndef GOSYSCALL_EXEC_BSD
BOOST_AUTO_TEST_CASE(einval_bad_pdeathsig) {
  Fd null = devNull();
  gs::ProcAttr attr = stdAttr(null);
  gs::SysProcAttr sys;
  attr.Sys = &sys;
  for (int sig : {NSIG, -1, 1000, -9}) {  // NSIG: 65, or 128 on mips
    BOOST_TEST_CONTEXT("Pdeathsig " << sig) {
      sys.Pdeathsig = gs::Signal(sig);
      expectFail(kProbe, {"probe", "exit", "0"}, attr, gs::EINVAL_);
    }
  }
}

// The bounds are right: 1 and 64 (SIGRTMAX) are valid.
BOOST_AUTO_TEST_CASE(pdeathsig_bounds_are_valid, *skip::when(skip::noSigrtmax)) {
  Fd null = devNull();
  gs::ProcAttr attr = stdAttr(null);
  gs::SysProcAttr sys;
  attr.Sys = &sys;
  for (int sig : {1, 64}) {
    sys.Pdeathsig = gs::Signal(sig);
    Run r = runProbe({"exit", "0"}, attr);
    BOOST_TEST(r.err == gs::Errno{}, "Pdeathsig " << sig);
    BOOST_TEST(r.status == 0);
  }
}
#endif

BOOST_AUTO_TEST_CASE(einval_creates_no_child_at_all) {
  // noChildren() above shows none is left; this shows none ever existed:
  // see childCreatedIn. The control case first: a failure in the child
  // (ENOENT) is seen as a child created, so the method can tell.
  const std::string control = childCreatedIn([]() -> std::string {
    gs::ProcAttr attr;
    auto [pid, err] = gs::ForkExec("/nonexistent/prog", {"prog"}, &attr);
    return err == gs::ENOENT_ ? "" : "control: Errno " + err.Error();
  });
  if (control.rfind("skip:", 0) == 0) {
    BOOST_TEST_MESSAGE(control);
    return;
  }
  BOOST_TEST_REQUIRE(control == "created a child");

  const std::string msg = childCreatedIn([]() -> std::string {
    using namespace std::string_literals;
    const std::string nul = "x\0y"s;
    std::vector<std::pair<std::string, gs::ProcAttr>> cases;
    gs::ProcAttr a;
    cases.push_back({"argv0", a});
    cases.push_back({"argv", a});
    a.Env = {nul};
    cases.push_back({"env", a});
    a = {};
    a.Dir = nul;
    cases.push_back({"dir", a});
    static gs::SysProcAttr chroot;
    chroot.Chroot = nul;
    a = {};
    a.Sys = &chroot;
    cases.push_back({"chroot", a});
#ifndef GOSYSCALL_EXEC_BSD
    static gs::SysProcAttr sigNsig, sigm1;
    sigNsig.Pdeathsig = gs::Signal(NSIG);  // one past the last signal (64, or 127 on mips)
    sigm1.Pdeathsig = gs::Signal(-1);
    a = {};
    a.Sys = &sigNsig;
    cases.push_back({"pdeathsig NSIG", a});
    a.Sys = &sigm1;
    cases.push_back({"pdeathsig -1", a});
#endif
    for (auto& [name, attr] : cases) {
      const std::string argv0 = name == "argv0" ? PROBE_PATH + nul : std::string(PROBE_PATH);
      const std::vector<std::string> argv = {"probe", name == "argv" ? nul : "x"};
      auto [pid, err] = gs::ForkExec(argv0, argv, &attr);
      if (err != gs::EINVAL_) return name + ": Errno " + err.Error() + ", want EINVAL";
    }
    return "";
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(exec_errors) {
  using namespace std::string_literals;
  // Exec returns only on failure; a failure leaves this process as it was.
  BOOST_TEST(gs::Exec("/nonexistent/prog", {"prog"}, {}) == gs::ENOENT_);
  BOOST_TEST(gs::Exec("/", {"/"}, {}) == gs::EACCES_);
  BOOST_TEST(gs::Exec(kProbe + "\0"s, {"probe"}, {}) == gs::EINVAL_);
  BOOST_TEST(gs::Exec(kProbe, {"probe", "\0"s}, {}) == gs::EINVAL_);
  BOOST_TEST(gs::Exec(kProbe, {"probe"}, {"A=\0"s}) == gs::EINVAL_);
}

BOOST_AUTO_TEST_CASE(exec_replaces_the_process) {
  Pipe out;
  pid_t pid = fork();
  BOOST_TEST_REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out.w.get(), 1);
    (void)gs::Exec(kProbe, {"probe", "env"}, {"ONLY=this"});
    _exit(99);
  }
  out.w.reset();
  BOOST_TEST(readAll(out.r.get()) == "ONLY=this\n");
  int st = waitStatus(pid);
  BOOST_TEST(describe(st) == "exited 0");
}

// The exec-error table: every attribute, alone or as a runtime sets them
// together, on the way to a failing execve. Rows that need what this
// machine may not allow are cases of their own, each with its skip.
BOOST_AUTO_TEST_CASE(exec_error_leaves_nothing_with_each_attribute) {
  static gs::Credential cred = ownIds();
  static gs::ChildStep step;
  expectRowsLeaveNothing({
      {"none", [](gs::SysProcAttr&) {}},
      {"CloseFds", [](gs::SysProcAttr& s) { s.CloseFds = true; }},
      {"Setsid", [](gs::SysProcAttr& s) { s.Setsid = true; }},
      {"Setpgid", [](gs::SysProcAttr& s) { s.Setpgid = true; }},
      {"Credential (own ids, NoSetGroups)", [](gs::SysProcAttr& s) { s.Credential = &cred; }},
      {"Sigmask", [](gs::SysProcAttr& s) { s.Sigmask = std::vector<gs::Signal>{gs::SIGUSR1_}; }},
      {"Sigdefault", [](gs::SysProcAttr& s) { s.Sigdefault = {gs::SIGTERM_}; }},
      {"FailedStep", [](gs::SysProcAttr& s) { s.FailedStep = &step; }},
#ifndef GOSYSCALL_EXEC_BSD
      {"Pdeathsig", [](gs::SysProcAttr& s) { s.Pdeathsig = gs::SIGKILL_; }},
      {"Pdeathsig, Credential, CloseFds, Setsid",
       [](gs::SysProcAttr& s) {
    s.Pdeathsig = gs::SIGTERM_;
    s.Credential = &cred;
    s.CloseFds = s.Setsid = true;
       }},
#endif
  });
}

BOOST_AUTO_TEST_CASE(exec_error_leaves_nothing_traced, *skip::when(skip::noPtrace)) {
  expectRowsLeaveNothing({{"Ptrace", [](gs::SysProcAttr& s) { s.Ptrace = true; }}});
}

#ifndef GOSYSCALL_EXEC_BSD
BOOST_AUTO_TEST_CASE(exec_error_leaves_nothing_with_a_pidfd, *skip::when(skip::noClonePidfd)) {
  static int unused;
  expectRowsLeaveNothing({
      {"PidFD", [](gs::SysProcAttr& s) { s.PidFD = &unused; }},
      {"PidFD, Pdeathsig, CloseFds",
       [](gs::SysProcAttr& s) {
    s.PidFD = &unused;
    s.Pdeathsig = gs::SIGKILL_;
    s.CloseFds = true;
       }},
  });
}

BOOST_AUTO_TEST_CASE(exec_error_leaves_nothing_on_the_spawn_thread, *skip::when(skip::noThreads)) {
  expectRowsLeaveNothing({{"PdeathsigProcessLifetime", [](gs::SysProcAttr& s) {
                             s.Pdeathsig = gs::SIGKILL_;
                             s.PdeathsigProcessLifetime = true;
                           }}});
}

BOOST_AUTO_TEST_CASE(exec_error_leaves_nothing_in_new_namespaces,
                     *boost::unit_test::precondition(CanUnshare{CLONE_NEWNS | CLONE_NEWUTS,
                                                                "CLONE_NEWNS|CLONE_NEWUTS"}) *
                         boost::unit_test::precondition(CanClone{CLONE_NEWPID, "CLONE_NEWPID"})) {
  expectRowsLeaveNothing({
      {"Unshareflags CLONE_NEWNS|CLONE_NEWUTS",
       [](gs::SysProcAttr& s) { s.Unshareflags = gs::CLONE_NEWNS_ | gs::CLONE_NEWUTS_; }},
      {"Cloneflags CLONE_NEWPID", [](gs::SysProcAttr& s) { s.Cloneflags = gs::CLONE_NEWPID_; }},
  });
}

BOOST_AUTO_TEST_CASE(exec_error_leaves_nothing_in_a_new_user_namespace,
                     *boost::unit_test::precondition(CanMapIds{})) {
  expectRowsLeaveNothing({
      {"Cloneflags CLONE_NEWUSER, maps written by the parent",
       [](gs::SysProcAttr& s) {
    s.Cloneflags = gs::CLONE_NEWUSER_;
    s.UidMappings = {{0, int(getuid()), 1}};
    s.GidMappings = {{0, int(getgid()), 1}};
       }},
      {"Unshareflags CLONE_NEWUSER, maps written by the child",
       [](gs::SysProcAttr& s) {
    s.Unshareflags = gs::CLONE_NEWUSER_;
    s.UidMappings = {{0, int(getuid()), 1}};
    s.GidMappings = {{0, int(getgid()), 1}};
       }},
      });
}
#endif

BOOST_AUTO_TEST_SUITE_END()
