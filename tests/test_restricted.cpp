// SPDX-License-Identifier: BSD-3-Clause
// ForkExec where the kernel refuses what the fast path uses, as containers'
// seccomp profiles and older kernels do: clone3 answered ENOSYS, EPERM or
// EINVAL, close_range missing, the 32-bit ppoll missing; and the caller's
// own state in the way: handlers whose masks hold real-time signals, a
// child that dies before its id maps are written. Each case runs in a
// forked helper that installs the filter (tests/deny_syscalls.hpp) and
// asserts on what the probe saw after execve.
#include <sys/resource.h>
#include <sys/syscall.h>

#include "deny_syscalls.hpp"
#include "exec_helpers.hpp"
#include "live_probe.hpp"
#include "skip.hpp"

using namespace th;

namespace {

void noop(int) {}

// catchWithMask installs noop for sig with exactly the signals in mask
// (bit n-1 for signal n) blocked while it runs. The bits are set directly:
// sigaddset refuses 32 and 33, glibc's own, which the kernel takes.
bool catchWithMask(int sig, uint64_t mask) {
  struct sigaction act {};
  act.sa_handler = noop;
  std::memcpy(&act.sa_mask, &mask, sizeof mask);
  return sigaction(sig, &act, nullptr) == 0;
}

std::string spawnAndExpectNoHandlers(uint64_t mask) {
  int caught = 0;
  for (int sig : {SIGWINCH, SIGUSR1, SIGCHLD, 36, 40, 64})
    caught += catchWithMask(sig, mask);  // 64 fails under qemu-user: it keeps it
  if (caught < 5) return "could not install the handlers";
  Run r = runProbe({"sigs"});
  if (r.err) return "ForkExec: " + r.err.Error();
  if (!r.exited || r.status != 0) return "the probe did not exit 0";
  const std::string ignored = sigsLine(r.out, "ignored"), handled = sigsLine(r.out, "caught");
  if (!ignored.empty() || !handled.empty())
    return "the child starts with signals ignored [" + ignored + "] caught [" + handled + "]";
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(restricted)

// The clone fallback (no clone3) resets the handlers in the child itself,
// with rt_sigaction, whose old-action struct is 20 bytes on the 32-bit
// arches. It once took 16: the kernel wrote the mask's upper half (signals
// 33-64) past it, onto the new action, so a mask holding signal 33 alone
// installed SIG_IGN, which survives execve. Before the fix: on 386 and arm,
// "ignored [ 28 10 17 36 40 64]" (whatever the stack held there).
BOOST_AUTO_TEST_CASE(handler_masks_with_rt_signals_clone_fallback,
                     *skip::when(skip::noSeccompFilter)) {
  for (uint64_t mask : {uint64_t(1) << 32, ~uint64_t(0), uint64_t(0xFFFFFFFF00000000u)}) {
    BOOST_TEST_CONTEXT("mask " << std::hex << mask) {
      std::string msg = inHelper([mask] {
        std::string err = denySyscalls({{SYS_clone3, ENOSYS}});
        return err.empty() ? spawnAndExpectNoHandlers(mask) : err;
      });
      BOOST_TEST(msg == "");
    }
  }
}

// The same handlers with clone3 available (CLONE_CLEAR_SIGHAND on 5.5+).
BOOST_AUTO_TEST_CASE(handler_masks_with_rt_signals) {
  std::string msg = inHelper([] { return spawnAndExpectNoHandlers(~uint64_t(0)); });
  BOOST_TEST(msg == "");
}

// clone3 refused (ENOSYS: Docker's default profile, Linux < 5.3; EPERM:
// older container profiles, systemd's SystemCallFilter=; EINVAL: Linux 5.3
// and 5.4, without CLONE_CLEAR_SIGHAND): every spawn still works through
// clone. Before the fix, EPERM failed every ForkExec.
BOOST_AUTO_TEST_CASE(clone3_refused_falls_back_to_clone, *skip::when(skip::noSeccompFilter)) {
  for (int e : {ENOSYS, EPERM, EINVAL}) {
    BOOST_TEST_CONTEXT("clone3 answers " << strerror(e)) {
      std::string msg = inHelper([e] {
        std::string err = denySyscalls({{SYS_clone3, e}});
        if (!err.empty()) return err;
        for (int i = 0; i < 3; i++) {  // the first finds out, the rest remember
          Run r = runProbe({"exit", "7"});
          if (r.err) return "ForkExec: " + r.err.Error();
          if (!r.exited || r.status != 7) return std::string("the probe did not exit 7");
        }
        return std::string();
      });
      BOOST_TEST(msg == "");
    }
  }
}

#if !defined(GOSYSCALL_EXEC_BSD)
// What only clone3 can do fails with clone3's answer, and leaves nothing:
// no child, *PidFD -1.
BOOST_AUTO_TEST_CASE(clone3_refused_needs_clone3, *skip::when(skip::noSeccompFilter)) {
  for (int e : {ENOSYS, EPERM}) {
    BOOST_TEST_CONTEXT("clone3 answers " << strerror(e)) {
      std::string msg = inHelper([e] {
        Fd cgroup(open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        std::string err = denySyscalls({{SYS_clone3, e}});
        if (!err.empty()) return err;
        const std::set<int> before = openFds();
        int pidfd = 12345;
        gs::SysProcAttr sys;
        sys.PidFD = &pidfd;
        sys.UseCgroupFD = true;
        sys.CgroupFD = cgroup.get() >= 0 ? cgroup.get() : 0;
        Run r = runProbe({"exit", "0"}, &sys);
        if (r.err != gs::Errno(gs::uintptr(e))) return "ForkExec: " + r.err.Error();
        if (pidfd != -1) return std::string("*PidFD is not -1");
        if (!noChildren()) return std::string("a child was left");
        if (openFds() != before) return std::string("an fd was left open");
        return std::string();
      });
      BOOST_TEST(msg == "");
    }
  }
}

// A child in a new user namespace that dies before the parent has written
// its id maps (here: killed by the filter at its first prctl, which
// AmbientCaps makes before it waits for the maps). The parent's message to
// it then finds no reader: the caller must not get SIGPIPE, whose default
// action ends it. Before the fix the helper died of SIGPIPE.
BOOST_AUTO_TEST_CASE(child_gone_before_id_maps_raises_no_sigpipe,
                     *skip::when(skip::noSeccompFilter) *
                         boost::unit_test::precondition(CanMapIds{})) {
  std::string msg = inHelper([] {
    std::string err = denySyscalls({{SYS_prctl, kKillProcess}});
    if (!err.empty()) return err;
    for (int i = 0; i < 40; i++) {
      gs::SysProcAttr sys;
      sys.Cloneflags = CLONE_NEWUSER;
      sys.UidMappings = {{0, 0, 1}};
      sys.GidMappings = {{0, 0, 1}};
      sys.AmbientCaps = {gs::CAP_CHOWN_};
      Run r = runProbe({"exit", "0"}, &sys);
      // As Go: an Errno, or the pid of a child killed before execve.
      if (!r.err && !(r.signaled && r.status == SIGSYS))
        return "the child was not killed by SIGSYS: " + std::to_string(r.status);
    }
    return noChildren() ? std::string() : std::string("a child was left");
  });
  BOOST_TEST(msg == "");
}
#endif

// CloseFds where close_range is missing (Linux < 5.9, or a profile that
// refuses it): an fd above the soft RLIMIT_NOFILE (opened before the limit
// was lowered) is closed too. Before the fix the child saw fd 3000.
BOOST_AUTO_TEST_CASE(closefds_without_close_range_closes_above_the_limit,
                     *skip::when(skip::noSeccompFilter)) {
  std::string msg = inHelper([] {
    const int high = 3000;
    if (dup2(0, high) != high) return std::string("dup2 to 3000 failed");  // inheritable
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 256;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return std::string("setrlimit failed");
    std::string err = denySyscalls({{SYS_close_range, ENOSYS}});
    if (!err.empty()) return err;
    gs::SysProcAttr sys;
    sys.CloseFds = true;
    Run r = runProbe({"fds"}, &sys);
    if (r.err) return "ForkExec: " + r.err.Error();
    const std::set<int> fds = keys(parseFds(r.out));
    if (fds.count(high)) return std::string("the child has fd 3000");
    if (fds != std::set<int>{0, 1, 2}) return "the child has other fds: " + r.out;
    return std::string();
  });
  BOOST_TEST(msg == "");
}

#if !defined(GOSYSCALL_EXEC_BSD)
// A 32-bit kernel built without CONFIG_COMPAT_32BIT_TIME has no 32-bit
// ppoll: the pidfd handle waits with ppoll_time64. Before the fix
// Exited() failed with ENOSYS.
std::string oneFormOfPpoll() {
  if (sizeof(long) == 8) return "a 64-bit arch has one ppoll, whose timespec is 64-bit already";
  return skip::all<skip::noSeccompFilter,
                   skip::noClonePidfd>();  // Process::Start needs CLONE_PIDFD
}
BOOST_AUTO_TEST_CASE(pidfd_wait_without_time32_ppoll, *skip::when(oneFormOfPpoll)) {
#if defined(SYS_ppoll)
  std::string msg = inHelper([] {
    Pipe hold;
    std::string err = denySyscalls({{SYS_ppoll, ENOSYS}});
    if (!err.empty()) return err;
    gs::ProcAttr attr{"", {}, {U(hold.r.get()), 1, 2}, nullptr};
    auto [p, e] = gs::Process::Start(kProbe, {"probe", "wait"}, &attr);
    if (e) return "Start: " + e.Error();
    auto [done, perr] = p.Exited(0);
    if (perr || done) return "Exited(0) while it runs: " + perr.Error();
    hold.w.reset();  // the probe reads EOF and exits
    std::tie(done, perr) = p.Exited(kTimeoutMs);
    if (perr || !done) return "Exited after EOF: " + perr.Error();
    gs::WaitStatus ws;
    return p.Wait(&ws) ? std::string("Wait failed") : std::string();
  });
  BOOST_TEST(msg == "");
#endif
}

// *PidFD is -1 after every failure, the earliest checks included, and the
// fd number it held before is not closed (it may be the caller's).
BOOST_AUTO_TEST_CASE(pidfd_is_minus_one_after_every_failure) {
  Fd keep(dup(0));
  struct Case {
    const char* what;
    std::string path;
    std::vector<std::string> argv;
    std::vector<gs::uintptr> files;
    gs::Signal pdeathsig;
  };
  const std::vector<Case> cases = {
      {"empty argv", kProbe, {}, {0, 1, 2}, gs::Signal(0)},
      {"NUL in an argument", kProbe, {"probe", std::string("a\0b", 3)}, {0, 1, 2}, gs::Signal(0)},
      {"a Files entry no fd can be", kProbe, {"probe"}, {0, ~gs::uintptr(0) - 1}, gs::Signal(0)},
      {"a bad Pdeathsig", kProbe, {"probe"}, {0, 1, 2}, gs::Signal(65)},
      {"a missing program", "/nonexistent/probe", {"probe"}, {0, 1, 2}, gs::Signal(0)},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      int pidfd = keep.get();
      gs::SysProcAttr sys;
      sys.PidFD = &pidfd;
      sys.Pdeathsig = c.pdeathsig;
      gs::ProcAttr attr{"", {}, c.files, &sys};
      auto [pid, err] = gs::ForkExec(c.path, c.argv, &attr);
      BOOST_TEST(bool(err));
      BOOST_TEST(pid == 0);
      BOOST_TEST(pidfd == -1);
      BOOST_TEST(fcntl(keep.get(), F_GETFD) >= 0);  // still open
      BOOST_TEST(noChildren());
    }
  }
}
#endif

BOOST_AUTO_TEST_SUITE_END()
