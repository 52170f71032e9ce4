// SPDX-License-Identifier: BSD-3-Clause
// SysProcAttr::FailedStep: which step of the child failed, sent with the
// errno on the status pipe; and Credential::NoSetGroups. Both backends.
#include <grp.h>

#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

namespace {

// stepOf runs the probe with sys, stdin /dev/null, and returns (the
// Errno, the step name).
std::pair<gs::Errno, std::string> stepOf(gs::SysProcAttr& sys, const std::string& path = kProbe) {
  gs::ChildStep step = gs::ChildStep::Keepcaps;  // overwritten whatever happens
  sys.FailedStep = &step;
  Fd null = devNull();
  gs::ProcAttr attr{"", {}, {U(null.get()), 1, 2}, &sys};
  auto [pid, err] = gs::ForkExec(path, {"probe", "exit", "0"}, &attr);
  if (pid > 0) wait4(pid);
  return {err, gs::ChildStepName(step)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(failed_step)

BOOST_AUTO_TEST_CASE(each_failing_step_is_named) {
  std::string msg = inHelper([] {
    struct Case {
      const char* want;
      gs::Errno err;
      std::function<void(gs::SysProcAttr&)> set;
      std::string path = kProbe;
    };
    static TempDir dir;
    const std::vector<Case> cases = {
      {"chroot", gs::ENOENT_, [](gs::SysProcAttr& s) { s.Chroot = "/nonexistent"; }},
      {"execve", gs::ENOENT_, [](gs::SysProcAttr&) {}, "/nonexistent/probe"},
      {"execve", gs::EACCES_, [](gs::SysProcAttr&) {}, dir.path},
#if !defined(GOSYSCALL_EXEC_BSD)
      // setpgid into a group of another session: EPERM (the BSD
      // SysProcAttr has no Pgid: its new group cannot fail).
      {"setpgid", gs::EPERM_, [](gs::SysProcAttr& s) { s.Setpgid = true, s.Pgid = 1; }},
#endif
      // The terminal steps on /dev/null: ENOTTY. (Setctty takes fd 0,
      // which is Ctty's default on Linux.)
      {"ioctl(TIOCNOTTY)", gs::ENOTTY_, [](gs::SysProcAttr& s) { s.Noctty = true; }},
      {"ioctl(TIOCSCTTY)", gs::ENOTTY_,
       [](gs::SysProcAttr& s) { s.Setsid = true, s.Setctty = true; }},
    };
    std::string report;
    for (const Case& c : cases) {
      gs::SysProcAttr sys;
      c.set(sys);
      auto [err, step] = stepOf(sys, c.path);
      if (err != c.err || step != c.want)
        report += std::string("want ") + c.want + " (" + c.err.Error() + "), got " + step + " (" +
                  err.Error() + "); ";
    }
    gs::SysProcAttr ok;
    auto [err, step] = stepOf(ok);
    if (err || !step.empty()) report += "success names a step: " + step;
    // An error of the parent's, before any child: no step.
    gs::SysProcAttr bad;
    bad.Sigdefault = {gs::Signal(NSIG)};  // one past the last signal
    std::tie(err, step) = stepOf(bad);
    if (err != gs::EINVAL_ || !step.empty()) report += "a parent error names a step: " + step;
    return report;
  });
  BOOST_TEST(msg == "");
}

// A caller without CAP_SETGID cannot call setgroups: a Credential that keeps
// its own ids works only with NoSetGroups (Go 1.9); the failure names
// setgroups. As root: NoSetGroups keeps the caller's supplementary groups.
BOOST_AUTO_TEST_CASE(nosetgroups, *skip::when([] {
                       return geteuid() == 0 ? std::string()
                                             : std::string("not root: cannot set up the groups");
                     })) {
  std::string msg = inHelper([] {
    const std::string probe = worldProbe();  // made while still root
    const gid_t groups[] = {4242};
    if (setgroups(1, groups) != 0) return std::string("setgroups failed");
    std::string report;
    gs::Credential cred{65534, 65534, {}, true};
    gs::SysProcAttr sys;
    sys.Credential = &cred;
    Run r = runProbe({"ids"}, &sys);
    if (r.err || lines(r.out).size() < 3 || lines(r.out)[2] != "groups 4242")
      report += "NoSetGroups as root: " + r.out + r.err.Error() + "; ";
    cred.NoSetGroups = false;
    r = runProbe({"ids"}, &sys);
    if (r.err || lines(r.out).size() < 3 || lines(r.out)[2] != "groups")
      report += "without NoSetGroups: " + r.out + r.err.Error() + "; ";
    // Now as an ordinary user (all three ids 65534, no capability left).
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0)
      return std::string("dropping root failed");
    auto [err, step] = stepOf(sys, probe);
    if (err != gs::EPERM_ || step != "setgroups")
      report += "unprivileged without NoSetGroups: " + err.Error() + " at " + step + "; ";
    cred.NoSetGroups = true;
    std::tie(err, step) = stepOf(sys, probe);
    if (err) report += "unprivileged with NoSetGroups: " + err.Error() + " at " + step;
    return report;
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_SUITE_END()
