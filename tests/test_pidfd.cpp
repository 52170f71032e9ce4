// SPDX-License-Identifier: BSD-3-Clause
// SysProcAttr::PidFD and the Process handle (pidfd.hpp): the pidfd comes
// from the clone itself, waits, signals and polls go through it, and after
// the reap it can no longer reach the pid's next owner (pid reuse, forced
// in a pid namespace of our own through ns_last_pid).
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

#include "live_probe.hpp"

using namespace th;
namespace utf = boost::unit_test;

namespace {

// pidOfPidfd is the "Pid:" line of /proc/self/fdinfo/<fd>: the process a
// pidfd names (-1 once it was reaped), as the kernel reports it.
long pidOfPidfd(int fd) {
  std::ifstream f("/proc/self/fdinfo/" + std::to_string(fd));
  for (std::string l; std::getline(f, l);)
    if (l.rfind("Pid:", 0) == 0) return std::stol(l.substr(4));
  fail("no Pid: in fdinfo of " + std::to_string(fd));
}

gs::ProcAttr probeFiles(Pipe& in, Pipe& out) {
  gs::ProcAttr attr;
  attr.Files = {in.r.u(), out.w.u(), 2};
  return attr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pidfd)

BOOST_AUTO_TEST_CASE(pidfd_names_the_child_and_is_cloexec, *skip::when(skip::noClonePidfd)) {
  int pidfd = -7;
  gs::SysProcAttr sys;
  sys.PidFD = &pidfd;
  LiveProbe p(&sys);
  BOOST_TEST_REQUIRE(p.err == gs::Errno{});
  BOOST_TEST_REQUIRE(pidfd >= 0);
  Fd owned(pidfd);
  BOOST_TEST(pidOfPidfd(pidfd) == p.pid);
  BOOST_TEST((fcntl(pidfd, F_GETFD) & FD_CLOEXEC) != 0);
  // A pidfd, as /proc shows it.
  BOOST_TEST(fdTarget(pidfd) == "anon_inode:[pidfd]");
}

BOOST_AUTO_TEST_CASE(no_pidfd_asked_none_made) {
  const auto before = openFds();
  Run r = runProbe({"exit", "0"}, static_cast<gs::SysProcAttr*>(nullptr));
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
}

// A failed exec closes the pidfd and sets *PidFD to -1: test_exec_errors'
// exec-error table.

BOOST_AUTO_TEST_CASE(wait_reports_exit_status_then_echild, *skip::when(skip::noClonePidfd)) {
  Pipe in, out;
  gs::ProcAttr attr = probeFiles(in, out);
  auto [proc, err] = gs::Process::Start(kProbe, {"probe", "exit", "7"}, &attr);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  BOOST_TEST(proc.Pid() > 0);
  gs::WaitStatus ws;
  gs::Rusage ru{};
  BOOST_TEST(proc.Wait(&ws, 0, &ru) == gs::Errno{});
  BOOST_TEST(ws.Exited());
  BOOST_TEST(ws.ExitStatus() == 7);
  BOOST_TEST(ru.Utime.Sec + ru.Stime.Sec >= 0);  // filled (not a crash); values vary
  BOOST_TEST(proc.Wait(&ws) == gs::ECHILD_);     // reaped: nothing left to wait for
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(signal_poll_and_wait, *skip::when(skip::noClonePidfd)) {
  Pipe in, out;
  gs::ProcAttr attr = probeFiles(in, out);
  auto [proc, err] = gs::Process::Start(kProbe, {"probe", "wait"}, &attr);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  in.r.reset();
  out.w.reset();
  BOOST_TEST(readLine(out.r.get()) == "ready " + std::to_string(proc.Pid()));
  auto [ended, perr] = proc.Exited(0);
  BOOST_TEST(perr == gs::Errno{});
  BOOST_TEST(!ended);  // still waiting on its stdin
  gs::WaitStatus ws;
  BOOST_TEST(proc.Wait(&ws, int(gs::WNOHANG_)) == gs::EAGAIN_);
  BOOST_TEST(proc.Signal(gs::SIGTERM_) == gs::Errno{});
  std::tie(ended, perr) = proc.Exited(kTimeoutMs);
  BOOST_TEST(perr == gs::Errno{});
  BOOST_TEST(ended);
  BOOST_TEST(procStatus(proc.Pid(), "State").substr(0, 1) == "Z");  // Exited does not reap
  BOOST_TEST(proc.Wait(&ws) == gs::Errno{});
  BOOST_TEST(ws.Signaled());
  BOOST_TEST(ws.Signal() == gs::SIGTERM_);
  BOOST_TEST(proc.Signal(gs::SIGKILL_) == gs::ESRCH_);  // gone, whoever has its pid now
}

BOOST_AUTO_TEST_CASE(moved_handle_owns_the_fd_once, *skip::when(skip::noClonePidfd)) {
  Pipe in, out;
  gs::ProcAttr attr = probeFiles(in, out);
  const auto before = openFds();
  {
    auto [proc, err] = gs::Process::Start(kProbe, {"probe", "exit", "0"}, &attr);
    BOOST_TEST_REQUIRE(err == gs::Errno{});
    gs::Process other(std::move(proc));
    BOOST_TEST(proc.Fd() == -1);
    BOOST_TEST(proc.Kill() == gs::EBADF_);
    gs::WaitStatus ws;
    BOOST_TEST(other.Wait(&ws) == gs::Errno{});
    BOOST_TEST(ws.ExitStatus() == 0);
  }
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());  // closed by the destructor
}

BOOST_AUTO_TEST_CASE(open_a_non_child, *skip::when(skip::noPidfdOpen)) {
  // A handle from pidfd_open on a process that is not our child: it can be
  // signalled and polled, but not waited for (ECHILD).
  std::string msg = inHelper([]() -> std::string {
    Pipe in, out;
    gs::ProcAttr attr = probeFiles(in, out);
    auto [pid, err] = gs::ForkExec(kProbe, {"probe", "wait"}, &attr);
    if (err) return "ForkExec: " + err.Error();
    in.r.reset();
    out.w.reset();
    readLine(out.r.get());
    pid_t grand = fork();  // a sibling of the probe, not its parent
    if (grand == 0) {
      auto [proc, oerr] = gs::Process::Open(pid);
      gs::WaitStatus ws;
      bool ok = !oerr && proc.Wait(&ws) == gs::ECHILD_ && proc.Kill() == gs::Errno{} &&
                proc.Exited(kTimeoutMs).first;
      _exit(ok ? 0 : 1);
    }
    int st = waitStatus(grand);
    waitStatus(pid);
    if (describe(st) != "exited 0") return "sibling: " + describe(st);
    return "";
  });
  BOOST_TEST(msg == "");
  BOOST_TEST(gs::Process::Open(0).second == gs::EINVAL_);
  BOOST_TEST(gs::Process().Signal(gs::SIGTERM_) == gs::EBADF_);
}

// Pid reuse, made to happen: in a pid namespace of our own (only our
// processes there), ns_last_pid is set so that the next child gets the pid
// of one just reaped. A signal through the old child's handle must fail
// with ESRCH and leave the new owner of the pid alone; kill(2) by number
// would have hit it.
BOOST_AUTO_TEST_CASE(pid_reuse_does_not_reach_the_new_owner,
                     *skip::when(skip::noClonePidfd) *
                         utf::precondition(CanUnshare{CLONE_NEWPID, "CLONE_NEWPID"})) {
  std::string msg = inHelper([]() -> std::string {
    if (unshare(CLONE_NEWPID) != 0) return std::string("unshare: ") + strerror(errno);
    Pipe report;
    pid_t init = fork();  // pid 1 of the new namespace
    if (init < 0) return std::string("fork: ") + strerror(errno);
    if (init == 0) {
      report.r.reset();
      auto body = [&]() -> std::string {
        Pipe in1, out1;
        gs::ProcAttr a1 = probeFiles(in1, out1);
        auto [old, err] = gs::Process::Start(kProbe, {"probe", "exit", "0"}, &a1);
        if (err) return "start old: " + err.Error();
        const int reused = old.Pid();
        gs::WaitStatus ws;
        if (gs::Errno e = old.Wait(&ws)) return "wait old: " + e.Error();
        // The next pid handed out in this namespace is ns_last_pid + 1.
        std::ofstream("/proc/sys/kernel/ns_last_pid") << reused - 1 << std::flush;
        Pipe in2, out2;
        gs::ProcAttr a2 = probeFiles(in2, out2);
        auto [fresh, err2] = gs::Process::Start(kProbe, {"probe", "wait"}, &a2);
        if (err2) return "start new: " + err2.Error();
        in2.r.reset();
        out2.w.reset();
        readLine(out2.r.get());
        if (fresh.Pid() != reused)
          return "pid not reused: " + std::to_string(fresh.Pid()) + " vs " + std::to_string(reused);
        const gs::Errno serr = old.Kill();
        if (serr != gs::ESRCH_) return "old handle's Kill: " + serr.Error();
        if (fresh.Exited(0).first) return "the new owner of the pid died";
        in2.w.reset();  // now let it end by itself: exit 0, not a signal
        if (gs::Errno e = fresh.Wait(&ws)) return "wait new: " + e.Error();
        if (!ws.Exited() || ws.ExitStatus() != 0) return "new owner did not exit 0";
        return "";
      };
      std::string m;
      try {
        m = body();
      } catch (const std::exception& e) {
        m = e.what();
      }
      writeAll(report.w.get(), m);
      _exit(0);
    }
    report.w.reset();
    std::string m = readAll(report.r.get());
    waitStatus(init);
    return m;
  });
  BOOST_TEST(msg == "");
}

// blockClone3 makes clone3 fail with ENOSYS in this process from now on
// (a seccomp filter, as older container runtimes install), so that the
// library must fall back to clone.
std::string blockClone3() {
  sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog prog{sizeof code / sizeof code[0], code};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return std::string("no_new_privs: ") + strerror(errno);
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
    return std::string("seccomp: ") + strerror(errno);
  return "";
}

BOOST_AUTO_TEST_CASE(without_clone3_pidfd_comes_from_clone,
                     *skip::when(skip::all<skip::noSeccompFilter, skip::noClonePidfd>) *
                         utf::precondition(CanClone{CLONE_NEWPID, "CLONE_NEWPID"})) {
  // PidFD and Cloneflags through clone(CLONE_PIDFD | flags); what only
  // clone3 can do (UseCgroupFD) fails with its ENOSYS and makes no child.
  std::string msg = inHelper([]() -> std::string {
    if (std::string m = blockClone3(); !m.empty()) return m;
    if (syscall(SYS_clone3, nullptr, 0) != -1 || errno != ENOSYS) return "clone3 not blocked";
    Pipe in, out;
    gs::ProcAttr attr = probeFiles(in, out);
    auto [proc, err] = gs::Process::Start(kProbe, {"probe", "exit", "3"}, &attr);
    if (err) return "Start: " + err.Error();
    if (proc.Fd() < 0 || pidOfPidfd(proc.Fd()) != proc.Pid()) return "no pidfd of the child";
    gs::WaitStatus ws;
    if (gs::Errno e = proc.Wait(&ws)) return "Wait: " + e.Error();
    if (ws.ExitStatus() != 3) return "exit status " + std::to_string(ws.ExitStatus());
    {
      gs::SysProcAttr sys;
      sys.Cloneflags = gs::CLONE_NEWPID_;
      LiveProbe p(&sys);
      if (p.err) return "Cloneflags via clone: " + p.err.Error();
      if (p.innerPid() != 1) return "not pid 1 in a new pid namespace";
    }
    Fd root(open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    gs::SysProcAttr cg;
    cg.UseCgroupFD = true;
    cg.CgroupFD = root.get();
    gs::Errno cerr = runProbe({"exit", "0"}, &cg).err;
    if (cerr != gs::ENOSYS_) return "UseCgroupFD without clone3: " + cerr.Error();
    if (!noChildren()) return "a child was left";
    return "";
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_SUITE_END()
