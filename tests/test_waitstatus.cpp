// SPDX-License-Identifier: BSD-3-Clause
// WaitStatus: first the encoding on hand-made words, then on real children,
// where the kernel's own report is the oracle: waitid(WNOWAIT) gives its
// si_code/si_status, /proc/<pid>/stat field 52 (exit_code) the raw word of a
// zombie, and libc's W* macros an independent decoding of the same word.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

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

// Every accessor at once, so one check compares all of them.
std::string describe(WaitStatus w) {
  std::ostringstream os;
  os << "exited=" << w.Exited() << " status=" << w.ExitStatus() << " signaled=" << w.Signaled()
     << " signal=" << w.Signal().value() << " core=" << w.CoreDump() << " stopped=" << w.Stopped()
     << " stopsig=" << w.StopSignal().value() << " continued=" << w.Continued()
     << " trap=" << w.TrapCause();
  return os.str();
}

// The same, from libc's macros (an independent decoder of the same word);
// TrapCause has no macro: status >> 16 for a SIGTRAP stop, as ptrace(2) says.
std::string describeLibc(int s) {
  std::ostringstream os;
  const bool stopped = WIFSTOPPED(s), signaled = WIFSIGNALED(s), exited = WIFEXITED(s);
  os << "exited=" << exited << " status=" << (exited ? WEXITSTATUS(s) : -1)
     << " signaled=" << signaled << " signal=" << (signaled ? WTERMSIG(s) : -1)
     << " core=" << (signaled && WCOREDUMP(s)) << " stopped=" << stopped
     << " stopsig=" << (stopped ? WSTOPSIG(s) : -1) << " continued=" << bool(WIFCONTINUED(s))
     << " trap=" << (stopped && WSTOPSIG(s) == SIGTRAP ? s >> 16 : -1);
  return os.str();
}

// Waits until pid has a state to report, without consuming it.
siginfo_t peek(int pid, int which) {
  siginfo_t si{};
  BOOST_REQUIRE_EQUAL(::waitid(P_PID, id_t(pid), &si, which | WNOWAIT), 0);
  return si;
}

// The exit_code field (52) of /proc/<pid>/stat: the kernel's raw status word
// of a zombie. -1 if unavailable.
long procExitCode(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const size_t paren = all.rfind(')');  // the comm field may hold spaces
  if (paren == std::string::npos) return -1;
  std::istringstream rest(all.substr(paren + 2));
  std::string field;
  for (int i = 3; i <= 52; ++i)
    if (!(rest >> field)) return -1;
  return std::stol(field);
}

// Reaps an ended child three ways and checks they agree: the kernel's raw
// word (/proc) == what Wait4 stored, and our decoding == libc's decoding.
WaitStatus reapAndCompare(int pid) {
  peek(pid, WEXITED);
  const long raw = procExitCode(pid);
  WaitStatus ws;
  auto [wpid, err] = Wait4(pid, &ws, 0, nullptr);
  BOOST_TEST(!err);
  BOOST_TEST(wpid == pid);
  BOOST_TEST(long(ws.raw()) == raw);
  BOOST_TEST(describe(ws) == describeLibc(int(ws.raw())));
  return ws;
}

// fork, and in the child reset what Boost installed, then run body; the
// child never returns into Boost.
template <class Body>
int forkChild(Body body) {
  int pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGABRT, SIG_DFL);
    body();
    ::_exit(111);
  }
  return pid;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(waitstatus)

// ---- the encoding ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(encoding_exited) {
  WaitStatus w(42 << 8);
  BOOST_TEST(w.Exited());
  BOOST_TEST(w.ExitStatus() == 42);
  BOOST_TEST(!w.Signaled());
  BOOST_TEST(w.Signal() == Signal(-1));
  BOOST_TEST(!w.Stopped());
  BOOST_TEST(w.StopSignal() == Signal(-1));
  BOOST_TEST(!w.Continued());
  BOOST_TEST(!w.CoreDump());
  BOOST_TEST(w.TrapCause() == -1);
  BOOST_TEST(WaitStatus(0).ExitStatus() == 0);
  BOOST_TEST(WaitStatus(255 << 8).ExitStatus() == 255);
}

BOOST_AUTO_TEST_CASE(encoding_signaled) {
  WaitStatus w(9);
  BOOST_TEST(w.Signaled());
  BOOST_TEST(w.Signal() == SIGKILL_);
  BOOST_TEST(!w.CoreDump());
  BOOST_TEST(!w.Exited());
  BOOST_TEST(w.ExitStatus() == -1);
  BOOST_TEST(!w.Stopped());
  WaitStatus core(0x80 | 6);
  BOOST_TEST(core.Signaled());
  BOOST_TEST(core.Signal() == SIGABRT_);
  BOOST_TEST(core.CoreDump());
  // The highest real-time signal on these arches is 64: still below 0x7f.
  BOOST_TEST(WaitStatus(64).Signal() == Signal(64));
}

BOOST_AUTO_TEST_CASE(encoding_stopped_and_traps) {
  WaitStatus w((SIGSTOP_.value() << 8) | 0x7f);  // 19, but 23 on mips
  BOOST_TEST(w.Stopped());
  BOOST_TEST(w.StopSignal() == SIGSTOP_);
  BOOST_TEST(!w.Signaled());  // low 7 bits 0x7f are not a signal
  BOOST_TEST(!w.Exited());
  BOOST_TEST(w.TrapCause() == -1);  // not SIGTRAP
  // A ptrace event stop: SIGTRAP | event << 8 in bits 8-23.
  WaitStatus ev(((SIGTRAP_.value() | (6 << 8)) << 8) | 0x7f);
  BOOST_TEST(ev.Stopped());
  BOOST_TEST(ev.StopSignal() == SIGTRAP_);
  BOOST_TEST(ev.TrapCause() == 6);
  WaitStatus plainTrap((SIGTRAP_.value() << 8) | 0x7f);
  BOOST_TEST(plainTrap.TrapCause() == 0);
}

BOOST_AUTO_TEST_CASE(encoding_continued) {
  WaitStatus w(0xffff);
  BOOST_TEST(w.Continued());
  BOOST_TEST(!w.Stopped());  // low byte 0xff, not 0x7f
  BOOST_TEST(!w.Signaled());
  BOOST_TEST(!w.Exited());
  BOOST_TEST(!WaitStatus(0xff7f).Continued());
}

// Every word a child can produce decodes as libc decodes it.
BOOST_AUTO_TEST_CASE(encoding_agrees_with_libc_on_all_words) {
  int mismatches = 0;
  for (uint32_t s = 0; s <= 0xffff; ++s)
    if (describe(WaitStatus(s)) != describeLibc(int(s))) ++mismatches;
  for (uint32_t ev = 1; ev <= 0xff; ++ev) {  // event stops: bits 16-23
    uint32_t s = (((ev << 8) | uint32_t(SIGTRAP)) << 8) | 0x7f;
    if (describe(WaitStatus(s)) != describeLibc(int(s))) ++mismatches;
  }
  BOOST_TEST(mismatches == 0);
}

// ---- real children ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(child_exit_0, *boost::unit_test::timeout(60)) {
  int pid = forkChild([] { Exit(0); });
  siginfo_t si = peek(pid, WEXITED);
  BOOST_TEST(si.si_code == CLD_EXITED);
  WaitStatus ws = reapAndCompare(pid);
  BOOST_TEST(ws.Exited());
  BOOST_TEST(ws.ExitStatus() == 0);
  BOOST_TEST(!ws.Signaled());
}

BOOST_AUTO_TEST_CASE(child_exit_42, *boost::unit_test::timeout(60)) {
  int pid = forkChild([] { Exit(42); });
  siginfo_t si = peek(pid, WEXITED);
  BOOST_TEST(si.si_code == CLD_EXITED);
  BOOST_TEST(si.si_status == 42);
  WaitStatus ws = reapAndCompare(pid);
  BOOST_TEST(ws.Exited());
  BOOST_TEST(ws.ExitStatus() == 42);
}

BOOST_AUTO_TEST_CASE(child_killed_by_sigkill, *boost::unit_test::timeout(60)) {
  int fds[2];
  BOOST_REQUIRE_EQUAL(::pipe2(fds, O_CLOEXEC), 0);
  int pid = forkChild([&] {
    ::close(fds[1]);  // the parent's end alone keeps it blocked
    char c;
    ssize_t n = ::read(fds[0], &c, 1);  // until SIGKILL (or the parent's death)
    (void)n;
  });
  BOOST_TEST(!Kill(pid, SIGKILL_));
  siginfo_t si = peek(pid, WEXITED);
  BOOST_TEST(si.si_code == CLD_KILLED);
  BOOST_TEST(si.si_status == SIGKILL);
  WaitStatus ws = reapAndCompare(pid);
  BOOST_TEST(ws.Signaled());
  BOOST_TEST(ws.Signal() == SIGKILL_);
  BOOST_TEST(!ws.CoreDump());
  BOOST_TEST(!ws.Exited());
  ::close(fds[0]);
  ::close(fds[1]);
}

// SIGABRT with the core limit raised as far as allowed, in a scratch
// directory (core_pattern may be a relative "core"). Whether a core is
// actually written depends on the system (core_pattern, the hard limit,
// qemu-user, which writes its own guest core and then dies without one): the
// kernel's si_code (CLD_DUMPED or CLD_KILLED) is what CoreDump must match.
BOOST_AUTO_TEST_CASE(child_sigabrt_core, *boost::unit_test::timeout(120)) {
  char tmpl[] = "/tmp/gosyscall-core-XXXXXX";
  BOOST_REQUIRE(::mkdtemp(tmpl) != nullptr);
  const std::string dir = tmpl;
  int pid = forkChild([&] {
    struct rlimit rl;
    ::getrlimit(RLIMIT_CORE, &rl);
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_CORE, &rl);
    if (Chdir(dir.c_str())) ::_exit(2);
    (void)Kill(Getpid(), SIGABRT_);
  });
  siginfo_t si = peek(pid, WEXITED);
  const bool dumped = si.si_code == CLD_DUMPED;
  BOOST_TEST((si.si_code == CLD_DUMPED || si.si_code == CLD_KILLED));
  BOOST_TEST(si.si_status == SIGABRT);
  BOOST_TEST_MESSAGE("SIGABRT child: kernel reports core dumped = " << dumped);
  WaitStatus ws = reapAndCompare(pid);
  BOOST_TEST(ws.Signaled());
  BOOST_TEST(ws.Signal() == SIGABRT_);
  BOOST_TEST(ws.CoreDump() == dumped);
  // Remove whatever core files were written (std::filesystem, not readdir:
  // 32-bit readdir fails with EOVERFLOW on 64-bit directory offsets, as a
  // 32-bit guest under qemu-user on a 64-bit host sees them).
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  BOOST_TEST(!ec);
}

// Stopped (WUNTRACED) and continued (WCONTINUED), then a normal exit.
BOOST_AUTO_TEST_CASE(child_stopped_and_continued, *boost::unit_test::timeout(60)) {
  int fds[2];
  BOOST_REQUIRE_EQUAL(::pipe2(fds, O_CLOEXEC), 0);
  int pid = forkChild([&] {
    ::close(fds[1]);
    char c;
    ssize_t n = ::read(fds[0], &c, 1);  // until the parent closes its end
    Exit(n == 0 ? 7 : 8);
  });
  ::close(fds[0]);

  BOOST_TEST(!Kill(pid, SIGSTOP_));
  siginfo_t si = peek(pid, WSTOPPED);
  BOOST_TEST(si.si_code == CLD_STOPPED);
  BOOST_TEST(si.si_status == SIGSTOP);
  WaitStatus ws;
  BOOST_TEST(Wait4(pid, &ws, int(WUNTRACED_), nullptr).first == pid);
  BOOST_TEST(ws.raw() == ((uint32_t(SIGSTOP) << 8) | 0x7f));
  BOOST_TEST(ws.Stopped());
  BOOST_TEST(ws.StopSignal() == SIGSTOP_);
  BOOST_TEST(!ws.Exited());
  BOOST_TEST(!ws.Signaled());
  BOOST_TEST(!ws.Continued());
  BOOST_TEST(describe(ws) == describeLibc(int(ws.raw())));

  BOOST_TEST(!Kill(pid, SIGCONT_));
  si = peek(pid, WCONTINUED);
  BOOST_TEST(si.si_code == CLD_CONTINUED);
  BOOST_TEST(Wait4(pid, &ws, int(WCONTINUED_), nullptr).first == pid);
  BOOST_TEST(ws.Continued());
  BOOST_TEST(!ws.Stopped());
  BOOST_TEST(!ws.Exited());
  BOOST_TEST(describe(ws) == describeLibc(int(ws.raw())));

  ::close(fds[1]);
  ws = reapAndCompare(pid);
  BOOST_TEST(ws.ExitStatus() == 7);
}

// TrapCause on a real ptrace event stop needs ptrace, which qemu-user does
// not emulate (and a seccomp profile may forbid).
BOOST_AUTO_TEST_CASE(child_ptrace_exit_event,
                     *skip::when(skip::noPtrace) * boost::unit_test::timeout(60)) {
  int pid = forkChild([] {
    if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) ::_exit(3);
    (void)Kill(Getpid(), SIGSTOP_);  // a signal-delivery stop for the tracer
    Exit(5);
  });
  WaitStatus ws;
  BOOST_REQUIRE_EQUAL(Wait4(pid, &ws, 0, nullptr).first, pid);
  BOOST_TEST(ws.StopSignal() == SIGSTOP_);
  BOOST_TEST(ws.TrapCause() == -1);

  BOOST_REQUIRE_EQUAL(::ptrace(PTRACE_SETOPTIONS, pid, nullptr, (void*)PTRACE_O_TRACEEXIT), 0);
  BOOST_REQUIRE_EQUAL(::ptrace(PTRACE_CONT, pid, nullptr, nullptr), 0);
  BOOST_REQUIRE_EQUAL(Wait4(pid, &ws, 0, nullptr).first, pid);
  BOOST_TEST(ws.Stopped());
  BOOST_TEST(ws.StopSignal() == SIGTRAP_);
  BOOST_TEST(ws.TrapCause() == PTRACE_EVENT_EXIT);
  BOOST_TEST(describe(ws) == describeLibc(int(ws.raw())));

  BOOST_REQUIRE_EQUAL(::ptrace(PTRACE_CONT, pid, nullptr, nullptr), 0);
  ws = reapAndCompare(pid);
  BOOST_TEST(ws.ExitStatus() == 5);
}

BOOST_AUTO_TEST_SUITE_END()
