// SPDX-License-Identifier: BSD-3-Clause
// The kernel structs the library lays out by hand, as the kernel of this
// arch (or qemu-user, which converts each arch's layout for its host) reads
// and writes them. Sizes and offsets are also static_asserted against the
// generated SIZEOF_/OFFSETOF_ constants where glibc has the same struct;
// these are the ones it does not have (rt_sigaction's struct sigaction,
// the kernel's sigset_t), and the ones whose fields must land where the
// kernel puts them (siginfo from waitid, rusage from wait4).
#include <boost/test/unit_test.hpp>

#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "syscall/internal/exec_child.hpp"
#include "syscall/internal/sigset.hpp"
#include "syscall/syscall_linux.hpp"

namespace gs = go::syscall;
namespace gd = go::syscall::detail;

namespace {

void onSignal(int) {}

// A real-time signal in the second 32 bits of the mask (the second long on
// a 32-bit arch: the one a 64-bit integer would misplace on big-endian).
// The highest signal (64; 127 on mips) is not used: qemu-user keeps the
// top ones for itself, and has no host signal for mips' 65-127.
constexpr int kHigh = 40;

}  // namespace

// A handler glibc installed, read back through KernelSigaction with raw
// rt_sigaction; then SIG_IGN written through it, read back by glibc.
BOOST_AUTO_TEST_CASE(rt_sigaction_reads_and_writes_kernel_sigaction) {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaddset(&sa.sa_mask, SIGUSR2);
  sigaddset(&sa.sa_mask, kHigh);
  struct sigaction saved {};
  BOOST_REQUIRE(sigaction(SIGUSR1, &sa, &saved) == 0);

  gd::KernelSigaction k{};
  auto r = gs::RawSyscall6(gs::SYS_RT_SIGACTION, uintptr_t(SIGUSR1), 0, gs::uintptr(&k),
                           gd::kSigsetSize, 0, 0);
  BOOST_TEST(!r.err);
  BOOST_TEST(k.handler == gs::uintptr(&onSignal));
  BOOST_TEST((k.flags & SA_RESTART) != 0u);
  gd::Sigset mask;
  static_assert(sizeof mask == sizeof k.mask);
  std::memcpy(&mask, &k.mask, sizeof mask);
  BOOST_TEST(gd::sigsetHas(mask, SIGUSR2));
  BOOST_TEST(gd::sigsetHas(mask, kHigh));
  BOOST_TEST(!gd::sigsetHas(mask, SIGUSR1));

  gd::KernelSigaction ignore{};
  ignore.handler = gs::uintptr(SIG_IGN);
  r = gs::RawSyscall6(gs::SYS_RT_SIGACTION, uintptr_t(SIGUSR1), gs::uintptr(&ignore), 0,
                      gd::kSigsetSize, 0, 0);
  BOOST_TEST(!r.err);
  struct sigaction now {};
  BOOST_REQUIRE(sigaction(SIGUSR1, &saved, &now) == 0);
  BOOST_TEST(now.sa_handler == SIG_IGN);
  BOOST_TEST(!sigismember(&now.sa_mask, SIGUSR2));
}

// A Sigset blocks the signals it names, in both halves of a 64-bit mask,
// and rt_sigprocmask refuses any other size (the size is the kernel's:
// 16 bytes on mips).
BOOST_AUTO_TEST_CASE(rt_sigprocmask_takes_sigset) {
  gd::Sigset block{}, old{};
  gd::sigsetAdd(block, SIGUSR2);
  gd::sigsetAdd(block, kHigh);
  auto r = gs::RawSyscall6(gs::SYS_RT_SIGPROCMASK, gs::SIG_BLOCK_, gs::uintptr(&block),
                           gs::uintptr(&old), gd::kSigsetSize, 0, 0);
  BOOST_REQUIRE(!r.err);
  sigset_t now;
  BOOST_REQUIRE(pthread_sigmask(SIG_SETMASK, nullptr, &now) == 0);
  BOOST_TEST(sigismember(&now, SIGUSR2) == 1);
  BOOST_TEST(sigismember(&now, kHigh) == 1);
  BOOST_TEST(sigismember(&now, SIGUSR1) == 0);
  r = gs::RawSyscall6(gs::SYS_RT_SIGPROCMASK, gs::SIG_SETMASK_, gs::uintptr(&old), 0,
                      gd::kSigsetSize, 0, 0);
  BOOST_TEST(!r.err);
  BOOST_REQUIRE(pthread_sigmask(SIG_SETMASK, nullptr, &now) == 0);
  BOOST_TEST(sigismember(&now, kHigh) == 0);

  r = gs::RawSyscall6(gs::SYS_RT_SIGPROCMASK, gs::SIG_BLOCK_, gs::uintptr(&block), 0,
                      gd::kSigsetSize / 2, 0, 0);
  BOOST_TEST(r.err.value() == gs::EINVAL_.value());
}

// waitid fills Siginfo's fields where the kernel puts them (si_code before
// si_errno on mips), and wait4 fills Rusage.
BOOST_AUTO_TEST_CASE(waitid_fills_siginfo_and_wait4_rusage) {
  const pid_t pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) _exit(7);
  gs::Siginfo info{};
  BOOST_REQUIRE(!gs::Waitid(gs::P_PID_, pid, &info, int(gs::WEXITED_ | gs::WNOWAIT_), nullptr));
  BOOST_TEST(info.Signo == SIGCHLD);
  BOOST_TEST(info.Code == CLD_EXITED);
  BOOST_TEST(info.Errno == 0);
  BOOST_TEST(info.Pid == pid);
  BOOST_TEST(info.Uid == getuid());
  BOOST_TEST(info.Status == 7);

  gs::WaitStatus ws;
  gs::Rusage ru{};
  ru.Nivcsw = -1;
  BOOST_REQUIRE(!gs::Wait4(pid, &ws, 0, &ru).second);
  BOOST_TEST(ws.ExitStatus() == 7);
  BOOST_TEST(ru.Maxrss > 0);   // the child's peak RSS, in KiB
  BOOST_TEST(ru.Nivcsw >= 0);  // the last field, written by the kernel
}
