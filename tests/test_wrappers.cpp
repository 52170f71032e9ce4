// SPDX-License-Identifier: BSD-3-Clause
// The thin wrappers of syscall_linux.hpp, each checked against the kernel:
// libc (or /proc) observes what the wrapper did.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "pipe.hpp"
#include "skip.hpp"
#include "syscall/syscall_linux.hpp"

namespace go::syscall {
// How Boost prints our types in a failed check (found by ADL). static: each
// test file has its own copy, so linking them together is fine.
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Errno e) {
  return os << "Errno(" << e.value() << ")";
}
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Signal s) {
  return os << "Signal(" << s.value() << ")";
}
}  // namespace go::syscall

namespace {

using namespace go::syscall;

// ---- helpers ---------------------------------------------------------------

bool cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }
bool isOpen(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

using th::Pipe;  // pipe.hpp

// A fresh directory under $TMPDIR (or /tmp), removed (with its files) at
// scope exit.
struct TempDir {
  std::string path;
  TempDir() {
    const char* t = std::getenv("TMPDIR");
    std::string tmpl = std::string(t && *t ? t : "/tmp") + "/gosyscall-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    BOOST_REQUIRE(::mkdtemp(buf.data()) != nullptr);
    char real[PATH_MAX];
    BOOST_REQUIRE(::realpath(buf.data(), real) != nullptr);
    path = real;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// Runs body() in a forked child. CHILD_CHECK in the body reports the first
// failed condition (line and text) through a pipe and ends the child, so the
// parent's Boost log shows it. Returns "" if every check held and the child
// exited 0, else what went wrong. The child never returns into Boost.
int reportFd = -1;
[[noreturn]] void childFail(int line, const char* what) {
  std::string m = "line " + std::to_string(line) + ": " + what;
  ssize_t w = ::write(reportFd, m.data(), m.size());
  (void)w;
  ::_exit(1);
}
#define CHILD_CHECK(c)                 \
  do {                                 \
    if (!(c)) childFail(__LINE__, #c); \
  } while (0)

template <class Body>
std::string inChild(Body body) {
  Pipe report;
  pid_t pid = ::fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    // Boost's handlers for SIGABRT and friends would take over the child.
    ::signal(SIGABRT, SIG_DFL);
    reportFd = report.w.get();
    body();
    ::_exit(0);
  }
  report.w.reset();
  std::string msg;
  char buf[256];
  ssize_t n;
  while ((n = ::read(report.r.get(), buf, sizeof buf)) > 0) msg.append(buf, size_t(n));
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (msg.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
    msg = "child ended with status " + std::to_string(status);
  return msg;
}
// Variadic because a lambda body's commas would split a macro argument.
#define CHECK_CHILD(...)                   \
  do {                                     \
    std::string m_ = inChild(__VA_ARGS__); \
    BOOST_CHECK_MESSAGE(m_.empty(), m_);   \
  } while (0)

}  // namespace

// ---- ids -------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(wrappers)

BOOST_AUTO_TEST_CASE(ids_match_libc) {
  BOOST_TEST(Getpid() == ::getpid());
  BOOST_TEST(Getppid() == ::getppid());
  BOOST_TEST(Gettid() == ::getpid());  // the main thread's tid is the pid
  BOOST_TEST(Getuid() == int(::getuid()));
  BOOST_TEST(Geteuid() == int(::geteuid()));
  BOOST_TEST(Getgid() == int(::getgid()));
  BOOST_TEST(Getegid() == int(::getegid()));
  int otherTid = 0, otherTidLibc = 0;
  std::thread([&] {
    otherTid = Gettid();
    otherTidLibc = int(::gettid());
  }).join();
  BOOST_TEST(otherTid == otherTidLibc);
  BOOST_TEST(otherTid != Getpid());
}

// ---- signals ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(kill_and_wait4_a_real_child, *boost::unit_test::timeout(60)) {
  Pipe block;  // the child blocks reading it
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    block.w.reset();  // so it ends by itself should the parent die first
    char c;
    ssize_t n = ::read(block.r.get(), &c, 1);
    ::_exit(n == 0 ? 0 : 1);
  }
  BOOST_TEST(!Kill(pid, Signal(0)));  // exists
  WaitStatus ws;
  auto [none, noneErr] = Wait4(pid, &ws, int(WNOHANG_), nullptr);
  BOOST_TEST(!noneErr);
  BOOST_TEST(none == 0);  // still running

  BOOST_TEST(!Kill(pid, SIGKILL_));
  auto [wpid, err] = Wait4(pid, &ws, 0, nullptr);
  BOOST_TEST(!err);
  BOOST_TEST(wpid == pid);
  BOOST_TEST(ws.Signaled());
  BOOST_TEST(ws.Signal() == SIGKILL_);
  BOOST_TEST(Kill(pid, Signal(0)) == ESRCH_);  // reaped: gone
  BOOST_TEST(Wait4(pid, nullptr, 0, nullptr).second == ECHILD_);
  BOOST_TEST(Kill(Getpid(), Signal(1000)) == EINVAL_);
}

// wait4's rusage must be the kernel's own figures for that child: the same
// counts that move the parent's RUSAGE_CHILDREN totals when it is reaped.
BOOST_AUTO_TEST_CASE(wait4_fills_rusage, *boost::unit_test::timeout(60)) {
  Pipe release;
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    std::vector<char> mem(4 << 20);
    for (size_t i = 0; i < mem.size(); i += 4096) mem[i] = 1;  // page faults
    release.w.reset();  // the parent's copy is then the only one
    char c;
    ssize_t n = ::read(release.r.get(), &c, 1);  // a voluntary context switch
    ::_exit(int(n) + mem[0]);
  }
  release.w.reset();  // lets the child run to its end once it reads EOF

  struct rusage before, after;
  ::getrusage(RUSAGE_CHILDREN, &before);
  Rusage ru;
  std::memset(&ru, 0xff, sizeof ru);  // anything not written stays -1
  WaitStatus ws;
  auto [wpid, err] = Wait4(pid, &ws, 0, &ru);
  ::getrusage(RUSAGE_CHILDREN, &after);
  BOOST_REQUIRE(!err);
  BOOST_TEST(wpid == pid);
  BOOST_TEST(ws.ExitStatus() == 1);
  BOOST_TEST(ru.Minflt == after.ru_minflt - before.ru_minflt);
  BOOST_TEST(ru.Majflt == after.ru_majflt - before.ru_majflt);
  BOOST_TEST(ru.Nvcsw == after.ru_nvcsw - before.ru_nvcsw);
  BOOST_TEST(ru.Nivcsw == after.ru_nivcsw - before.ru_nivcsw);
  BOOST_TEST(ru.Minflt >= 1024);  // touched 4 MiB
  BOOST_TEST(ru.Maxrss >= 4096);  // KiB
  BOOST_TEST(ru.Utime.Sec >= 0);
  BOOST_TEST((ru.Utime.Usec >= 0 && ru.Utime.Usec < 1000000));
  BOOST_TEST((ru.Stime.Usec >= 0 && ru.Stime.Usec < 1000000));
  BOOST_TEST(ru.Ixrss == 0);  // unused by Linux: written as 0
  BOOST_TEST(ru.Nswap == 0);
}

// Layout against libc's struct rusage, where libc's time_t is the kernel's
// long (glibc built with 64-bit time_t on a 32-bit arch has its own layout).
BOOST_AUTO_TEST_CASE(rusage_layout_matches_the_kernel) {
  BOOST_TEST(sizeof(Rusage) == 18 * sizeof(long));
  if constexpr (sizeof(time_t) == sizeof(long)) {
    BOOST_TEST(sizeof(Rusage) == sizeof(struct rusage));
    BOOST_TEST(offsetof(Rusage, Stime) == offsetof(struct rusage, ru_stime));
    BOOST_TEST(offsetof(Rusage, Maxrss) == offsetof(struct rusage, ru_maxrss));
    BOOST_TEST(offsetof(Rusage, Minflt) == offsetof(struct rusage, ru_minflt));
    BOOST_TEST(offsetof(Rusage, Nivcsw) == offsetof(struct rusage, ru_nivcsw));
  }
}

BOOST_AUTO_TEST_CASE(tgkill_signals_the_thread) {
  sigset_t usr1, old;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ::sigprocmask(SIG_BLOCK, &usr1, &old);  // so it stays pending
  BOOST_TEST(!Tgkill(Getpid(), Gettid(), SIGUSR1_));
  sigset_t pending;
  ::sigpending(&pending);
  BOOST_TEST(sigismember(&pending, SIGUSR1) == 1);
  struct timespec zero = {0, 0};
  BOOST_TEST(::sigtimedwait(&usr1, nullptr, &zero) == SIGUSR1);  // consume it
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  // A thread of another (or no) process: ESRCH.
  BOOST_TEST(Tgkill(Getppid(), Gettid(), Signal(0)) == ESRCH_);
}

// ---- file descriptors ------------------------------------------------------

BOOST_AUTO_TEST_CASE(pipe2_flags) {
  int p[2] = {-1, -1};
  BOOST_REQUIRE(!Pipe2(p, int(O_CLOEXEC_ | O_NONBLOCK_)));
  for (int fd : p) {
    BOOST_TEST(cloexec(fd));
    BOOST_TEST((::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
  }
  char c;
  BOOST_TEST(Read(p[0], &c, 1).second == EAGAIN_);  // non-blocking and empty
  ::close(p[0]);
  ::close(p[1]);

  BOOST_REQUIRE(!Pipe2(p, 0));
  for (int fd : p) {
    BOOST_TEST(!cloexec(fd));
    BOOST_TEST((::fcntl(fd, F_GETFL) & O_NONBLOCK) == 0);
  }
  ::close(p[0]);
  ::close(p[1]);

  int untouched[2] = {-7, -7};
  BOOST_TEST(Pipe2(untouched, -1) == EINVAL_);
  BOOST_TEST(untouched[0] == -7);
  BOOST_TEST(untouched[1] == -7);
}

BOOST_AUTO_TEST_CASE(dup2_semantics) {
  Pipe p;  // both ends close-on-exec
  const int high = 100;
  BOOST_REQUIRE(!isOpen(high));
  BOOST_TEST(!Dup2(p.w.get(), high));
  BOOST_TEST(!cloexec(high));  // a dup2'd fd never inherits the flag
  BOOST_TEST(::write(high, "x", 1) == 1);
  char c = 0;
  BOOST_TEST(::read(p.r.get(), &c, 1) == 1);
  BOOST_TEST(c == 'x');
  ::close(high);

  // dup2(fd, fd): success and no change if open (the flag stays), EBADF if
  // not. On arm64 this is the case dup3 would reject.
  BOOST_TEST(!Dup2(p.r.get(), p.r.get()));
  BOOST_TEST(cloexec(p.r.get()));
  BOOST_TEST(Dup2(high, high) == EBADF_);
  BOOST_TEST(Dup2(-1, high) == EBADF_);
  BOOST_TEST(!isOpen(high));
}

BOOST_AUTO_TEST_CASE(dup3_cloexec) {
  Pipe p;
  const int high = 101;
  BOOST_TEST(!Dup3(p.r.get(), high, int(O_CLOEXEC_)));
  BOOST_TEST(cloexec(high));
  BOOST_TEST(!Dup3(p.r.get(), high, 0));  // replaces it, without the flag
  BOOST_TEST(!cloexec(high));
  BOOST_TEST(Dup3(high, high, 0) == EINVAL_);
  BOOST_TEST(!Close(high));
  BOOST_TEST(!isOpen(high));
}

BOOST_AUTO_TEST_CASE(close_and_fcntl) {
  Pipe p;
  auto [fd, err] = Fcntl(p.r.get(), int(F_DUPFD_CLOEXEC_), 50);
  BOOST_REQUIRE(!err);
  BOOST_TEST(fd >= 50);
  BOOST_TEST(cloexec(fd));
  BOOST_TEST(Fcntl(fd, int(F_GETFD_), 0).first == int(FD_CLOEXEC_));
  BOOST_TEST(!Fcntl(fd, int(F_SETFD_), 0).second);
  BOOST_TEST(!cloexec(fd));
  BOOST_TEST(Fcntl(fd, int(F_GETFL_), 0).first == ::fcntl(fd, F_GETFL));
  BOOST_TEST(!Close(fd));
  BOOST_TEST(!isOpen(fd));
  errno = 999;
  BOOST_TEST(Close(fd) == EBADF_);
  BOOST_TEST(Fcntl(fd, int(F_GETFD_), 0).second == EBADF_);
  BOOST_TEST(errno == 999);
}

BOOST_AUTO_TEST_CASE(read_and_write) {
  Pipe p;
  errno = 31337;
  auto [w, werr] = Write(p.w.get(), "hello, kernel", 5);
  BOOST_TEST(!werr);
  BOOST_TEST(w == 5);
  char buf[16] = {};
  auto [r, rerr] = Read(p.r.get(), buf, sizeof buf);
  BOOST_TEST(!rerr);
  BOOST_TEST(r == 5);
  BOOST_TEST(std::string(buf, 5) == "hello");
  p.w.reset();
  BOOST_TEST(Read(p.r.get(), buf, sizeof buf).first == 0);  // EOF
  BOOST_TEST(Read(-1, buf, 1).second == EBADF_);
  BOOST_TEST(Write(-1, buf, 1).second == EBADF_);
  BOOST_TEST(errno == 31337);
}

BOOST_AUTO_TEST_CASE(open_creates_with_mode_and_flags) {
  TempDir dir;
  const std::string file = dir.path + "/file";
  const mode_t oldMask = ::umask(0);
  auto [fd, err] = Open(file.c_str(), int(O_CREAT_ | O_EXCL_ | O_RDWR_ | O_CLOEXEC_), 0640);
  ::umask(oldMask);
  BOOST_REQUIRE(!err);
  struct stat st;
  BOOST_REQUIRE_EQUAL(::fstat(fd, &st), 0);
  BOOST_TEST((st.st_mode & 07777) == 0640u);
  BOOST_TEST(S_ISREG(st.st_mode));
  BOOST_TEST(cloexec(fd));
  BOOST_TEST((::fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
  ::close(fd);

  BOOST_TEST(Open(file.c_str(), int(O_CREAT_ | O_EXCL_ | O_RDWR_), 0600).second == EEXIST_);
  BOOST_TEST(Open((dir.path + "/none").c_str(), int(O_RDONLY_), 0).second == ENOENT_);
  auto [rd, rerr] = Open(file.c_str(), int(O_RDONLY_), 0);
  BOOST_TEST(!rerr);
  BOOST_TEST((::fcntl(rd, F_GETFL) & O_ACCMODE) == O_RDONLY);
  BOOST_TEST(!cloexec(rd));
  ::close(rd);
}

// Go's Open adds O_LARGEFILE, without which a 32-bit process cannot open a
// file over 2 GiB (EOVERFLOW). Observable only where the flag is a real bit
// that F_GETFL reports: on 386 and arm natively. libc's open with the flag is
// the probe.
namespace {
std::string largefileUnobservable() {
  if (O_LARGEFILE_ == 0) return "O_LARGEFILE is 0 on 64-bit arches (the kernel implies it)";
  int fd = ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC | int(O_LARGEFILE_));
  const bool seen = fd >= 0 && (uintptr(::fcntl(fd, F_GETFL)) & O_LARGEFILE_) != 0;
  if (fd >= 0) ::close(fd);
  if (seen) return "";
  return "F_GETFL does not report O_LARGEFILE here (qemu-user maps it to the host's, 0 on 64-bit "
         "hosts)";
}
}  // namespace

BOOST_AUTO_TEST_CASE(open_adds_o_largefile, *skip::when(largefileUnobservable)) {
  auto [fd, err] = Open("/", int(O_RDONLY_ | O_CLOEXEC_), 0);
  BOOST_REQUIRE(!err);
  BOOST_TEST((uintptr(::fcntl(fd, F_GETFL)) & O_LARGEFILE_) != 0u);
  ::close(fd);
}

// ---- prctl -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(prctl_pdeathsig_round_trip) {
  int libcBefore = -1;
  ::prctl(PR_GET_PDEATHSIG, &libcBefore);
  BOOST_TEST(!Prctl(int(PR_SET_PDEATHSIG_), uintptr(SIGUSR1_.value()), 0, 0, 0));
  int got = 0;
  BOOST_TEST(!Prctl(int(PR_GET_PDEATHSIG_), reinterpret_cast<uintptr>(&got), 0, 0, 0));
  BOOST_TEST(got == SIGUSR1_.value());
  int libc = 0;
  ::prctl(PR_GET_PDEATHSIG, &libc);
  BOOST_TEST(libc == SIGUSR1);
  BOOST_TEST(Prctl(int(PR_SET_PDEATHSIG_), 1000, 0, 0, 0) == EINVAL_);       // not a signal
  BOOST_TEST(!Prctl(int(PR_SET_PDEATHSIG_), uintptr(libcBefore), 0, 0, 0));  // restore
  ::prctl(PR_GET_PDEATHSIG, &libc);
  BOOST_TEST(libc == libcBefore);
}

// ---- sessions and process groups ---------------------------------------------

BOOST_AUTO_TEST_CASE(setsid_in_a_child, *boost::unit_test::timeout(60)) {
  CHECK_CHILD([] {
    const int pid = Getpid();
    CHILD_CHECK(::getsid(0) != pid);
    auto [sid, err] = Setsid();
    CHILD_CHECK(!err);
    CHILD_CHECK(sid == pid);
    CHILD_CHECK(::getsid(0) == pid);         // libc sees the new session
    CHILD_CHECK(Getpgrp() == pid);           // and a new process group
    CHILD_CHECK(Setsid().second == EPERM_);  // already a group leader
  });
}

BOOST_AUTO_TEST_CASE(setpgid_getpgid_in_a_child, *boost::unit_test::timeout(60)) {
  Pipe ready, release;
  const int parentPgrp = ::getpgrp();
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGABRT, SIG_DFL);
    int bad = 0;
    if (Getpgrp() != parentPgrp) bad |= 1;  // inherited
    if (Setpgid(0, 0)) bad |= 2;            // own group
    if (Getpgid(0).first != Getpid()) bad |= 4;
    if (Getpgrp() != Getpid() || ::getpgrp() != Getpid()) bad |= 8;
    if (Getpgid(Getppid()).first != parentPgrp) bad |= 16;
    if (Setpgid(0, 999999) != EPERM_) bad |= 32;  // no such group here
    if (::write(ready.w.get(), &bad, sizeof bad) != sizeof bad) ::_exit(2);
    release.w.reset();  // the parent's copy is then the only one
    char c;
    ssize_t n = ::read(release.r.get(), &c, 1);  // until the parent has looked
    ::_exit(int(n));
  }
  ready.w.reset();
  int bad = -1;
  BOOST_REQUIRE_EQUAL(::read(ready.r.get(), &bad, sizeof bad), ssize_t(sizeof bad));
  BOOST_TEST(bad == 0);  // bits: see the child's checks
  // From outside: the kernel has the child in its own group.
  auto [pg, err] = Getpgid(pid);
  BOOST_TEST(!err);
  BOOST_TEST(pg == pid);
  BOOST_TEST(::getpgid(pid) == pid);
  release.w.reset();
  WaitStatus ws;
  BOOST_TEST(Wait4(pid, &ws, 0, nullptr).first == pid);
  BOOST_TEST(ws.ExitStatus() == 0);
  BOOST_TEST(Getpgid(pid).second == ESRCH_);  // reaped
}

// ---- working directory and root ------------------------------------------------

BOOST_AUTO_TEST_CASE(chdir_in_a_child, *boost::unit_test::timeout(60)) {
  TempDir dir;
  const std::string path = dir.path;
  ::close(::open((path + "/file").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
  CHECK_CHILD([&] {
    CHILD_CHECK(!Chdir(path.c_str()));
    char cwd[PATH_MAX];
    CHILD_CHECK(::getcwd(cwd, sizeof cwd) != nullptr);
    CHILD_CHECK(path == cwd);
    CHILD_CHECK(Chdir("/nonexistent/gosyscall") == ENOENT_);
    CHILD_CHECK(Chdir((path + "/file").c_str()) == ENOTDIR_);
  });
}

// chroot needs CAP_SYS_CHROOT. libc's chroot, in a second child, is the
// oracle for whether this process has it; with it, "/" must become the
// directory.
BOOST_AUTO_TEST_CASE(chroot_in_a_child, *boost::unit_test::timeout(60)) {
  TempDir dir;
  ::mkdir((dir.path + "/sub").c_str(), 0700);
  const std::string path = dir.path;
  const bool privileged = inChild([&] { CHILD_CHECK(::chroot(path.c_str()) == 0); }).empty();
  BOOST_TEST_MESSAGE("chroot allowed: " << privileged);
  CHECK_CHILD([&] {
    struct stat want, root;
    CHILD_CHECK(::stat(path.c_str(), &want) == 0);
    Errno err = Chroot(path.c_str());
    if (!privileged) {
      CHILD_CHECK(err == EPERM_);
      return;
    }
    CHILD_CHECK(!err);
    CHILD_CHECK(!Chdir("/"));
    CHILD_CHECK(::stat("/", &root) == 0);
    CHILD_CHECK((root.st_dev == want.st_dev && root.st_ino == want.st_ino));
    CHILD_CHECK(::access("/sub", F_OK) == 0);  // the directory's content is at /
  });
}

// ---- credentials -----------------------------------------------------------------

// Ids above 65535 prove the 32-bit-id calls on 386 and arm: the 16-bit ones
// would set 100000 & 0xffff = 34464. Needs root (CAP_SETUID, CAP_SETGID); as
// non-root the kernel's refusal is checked instead.
BOOST_AUTO_TEST_CASE(credentials_in_a_child, *boost::unit_test::timeout(60)) {
  const bool root = ::geteuid() == 0;
  BOOST_TEST_MESSAGE("credential tests as " << (root ? "root" : "non-root"));
  CHECK_CHILD([root] {
    if (!root) {
      CHILD_CHECK(Setgroups({}) == EPERM_);
      CHILD_CHECK(Setuid(0) == EPERM_);
      CHILD_CHECK(!Setuid(int(::getuid())));  // to one's own id is allowed
      return;
    }
    // Sorted, as the kernel keeps them (groups_sort).
    const std::vector<int> groups = {7, 100001, 100002};
    CHILD_CHECK(!Setgroups(groups));
    gid_t libcGroups[8];
    int n = ::getgroups(8, libcGroups);
    CHILD_CHECK(n == 3);
    CHILD_CHECK((libcGroups[0] == 7 && libcGroups[1] == 100001 && libcGroups[2] == 100002));
    auto [mine, gerr] = Getgroups();
    CHILD_CHECK(!gerr);
    CHILD_CHECK(mine == groups);

    CHILD_CHECK(!Setgid(100000));
    gid_t rg, eg, sg;
    CHILD_CHECK(::getresgid(&rg, &eg, &sg) == 0);
    CHILD_CHECK((rg == 100000 && eg == 100000 && sg == 100000));  // all three, as root
    CHILD_CHECK(Getgid() == 100000);
    CHILD_CHECK(Getegid() == 100000);

    CHILD_CHECK(!Setuid(100000));
    uid_t ru, eu, su;
    CHILD_CHECK(::getresuid(&ru, &eu, &su) == 0);
    CHILD_CHECK((ru == 100000 && eu == 100000 && su == 100000));
    CHILD_CHECK(Getuid() == 100000);
    CHILD_CHECK(Geteuid() == 100000);

    CHILD_CHECK(Setuid(0) == EPERM_);  // no way back
    CHILD_CHECK(Setgroups({}) == EPERM_);
  });
}

BOOST_AUTO_TEST_CASE(setgroups_empty_clears, *boost::unit_test::timeout(60)) {
  if (::geteuid() != 0) {
    BOOST_TEST_MESSAGE("not root: setgroups needs CAP_SETGID; covered by credentials_in_a_child");
    return;
  }
  CHECK_CHILD([] {
    CHILD_CHECK(!Setgroups({5}));
    CHILD_CHECK(Getgroups().first == std::vector<int>{5});
    CHILD_CHECK(!Setgroups({}));
    auto [g, err] = Getgroups();
    CHILD_CHECK(!err);
    CHILD_CHECK(g.empty());
    CHILD_CHECK(::getgroups(0, nullptr) == 0);
  });
}

BOOST_AUTO_TEST_CASE(getgroups_matches_libc) {
  auto [g, err] = Getgroups();
  BOOST_TEST(!err);
  std::vector<gid_t> libc(size_t(::getgroups(0, nullptr)));
  BOOST_REQUIRE_EQUAL(::getgroups(int(libc.size()), libc.data()), int(libc.size()));
  BOOST_REQUIRE_EQUAL(g.size(), libc.size());
  for (size_t i = 0; i < g.size(); ++i) BOOST_TEST(gid_t(g[i]) == libc[i]);
}

// ---- raw or hooked --------------------------------------------------------------

// As Go's //sys and //sysnb: the calls that can block tell the runtime
// (Syscall: hooks run once each), the others do not (RawSyscall).
namespace {
int hookEnters = 0, hookExits = 0;
const SyscallHooks counting{[]() noexcept { ++hookEnters; }, []() noexcept { ++hookExits; }};
// How many times the hooks ran during f(); -1 if Enter and Exit disagree.
template <class F>
int hooksDuring(F f) {
  hookEnters = hookExits = 0;
  SetSyscallHooks(&counting);
  f();
  SetSyscallHooks(nullptr);
  return hookEnters == hookExits ? hookEnters : -1;
}
}  // namespace

BOOST_AUTO_TEST_CASE(blocking_wrappers_call_the_hooks) {
  Pipe p;
  char c = 'x';
  BOOST_TEST(hooksDuring([&] { Wait4(-1, nullptr, int(WNOHANG_), nullptr); }) == 1);
  BOOST_TEST(hooksDuring([&] { Write(p.w.get(), &c, 1); }) == 1);
  BOOST_TEST(hooksDuring([&] { Read(p.r.get(), &c, 1); }) == 1);
  BOOST_TEST(hooksDuring([&] { (void)Close(-1); }) == 1);
  BOOST_TEST(hooksDuring([&] { (void)Dup2(-1, 200); }) == 1);
  BOOST_TEST(hooksDuring([&] { (void)Dup3(-1, 200, 0); }) == 1);
  BOOST_TEST(hooksDuring([&] { Open("/nonexistent/x", int(O_RDONLY_), 0); }) == 1);
  BOOST_TEST(hooksDuring([&] { Fcntl(-1, int(F_GETFD_), 0); }) == 1);
  BOOST_TEST(hooksDuring([&] { (void)Prctl(int(PR_GET_PDEATHSIG_), 0, 0, 0, 0); }) == 1);
  BOOST_TEST(hooksDuring([&] { (void)Chdir("/nonexistent/x"); }) == 1);
  BOOST_TEST(hooksDuring([&] { (void)Chroot("/nonexistent/x"); }) == 1);
}

BOOST_AUTO_TEST_CASE(non_blocking_wrappers_do_not) {
  BOOST_TEST(hooksDuring([] {
               Getpid(), Getppid(), Gettid(), Getuid(), Geteuid(), Getgid(), Getegid();
               (void)Kill(Getpid(), Signal(0));
               (void)Tgkill(Getpid(), Gettid(), Signal(0));
               int p[2];
               if (!Pipe2(p, int(O_CLOEXEC_))) ::close(p[0]), ::close(p[1]);
               Getpgid(0), Getpgrp();
               (void)Setpgid(-1, -1);                      // EINVAL: changes nothing
               (void)Setgroups(std::vector<int>(100000));  // EINVAL (over NGROUPS_MAX) or EPERM
               Getgroups();
               (void)Setuid(-1), (void)Setgid(-1);  // EINVAL: (uid_t)-1 is never a valid id
             }) == 0);
}

// ---- exit ------------------------------------------------------------------------

// Exit is exit_group: it ends the process even while another thread is
// blocked (SYS_EXIT would end only the calling thread and the wait would
// hang; the timeout turns that into a failure).
BOOST_AUTO_TEST_CASE(exit_ends_every_thread, *boost::unit_test::timeout(60)) {
  Pipe forever;  // the parent keeps the write end open
  pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    // Only the parent's write end keeps the thread blocked, so that if Exit
    // were wrong the child would still end when the parent does.
    ::close(forever.w.get());
    Pipe started;
    std::thread t([&] {
      char c;
      ssize_t w = ::write(started.w.get(), "s", 1);
      ssize_t r = ::read(forever.r.get(), &c, 1);  // blocks until the end
      (void)w;
      (void)r;
    });
    char c;
    if (::read(started.r.get(), &c, 1) != 1) ::_exit(99);
    Exit(42);
  }
  WaitStatus ws;
  auto [wpid, err] = Wait4(pid, &ws, 0, nullptr);
  BOOST_TEST(!err);
  BOOST_TEST(wpid == pid);
  BOOST_TEST(ws.Exited());
  BOOST_TEST(ws.ExitStatus() == 42);
}

BOOST_AUTO_TEST_SUITE_END()
