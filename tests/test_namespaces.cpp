// SPDX-License-Identifier: BSD-3-Clause
// Cloneflags, Unshareflags, UidMappings/GidMappings and Pdeathsig in a new
// pid namespace, each observed from outside: the child's /proc/<pid>/ns
// links against ours, its uid_map/gid_map/setgroups, its mountinfo. A
// namespace the kernel (or a container) denies is skipped with the reason.
#include <sys/mount.h>
#include <sys/prctl.h>

#include "live_probe.hpp"

using namespace th;
namespace utf = boost::unit_test;

namespace {

struct Ns {
  gs::uintptr flag;
  const char* link;  // its /proc/<pid>/ns entry
};

// Each namespace the child's own /proc/<pid>/ns shows: with Cloneflags the
// child itself is in the new one (pid too: it is that namespace's init).
void expectOwnNamespace(gs::uintptr flag, const std::string& link, bool viaClone) {
  gs::SysProcAttr sys;
  (viaClone ? sys.Cloneflags : sys.Unshareflags) = flag;
  LiveProbe p(&sys);
  BOOST_TEST_REQUIRE(p.err == gs::Errno{});
  if (flag == gs::CLONE_NEWPID_ && !viaClone) {
    // unshare(CLONE_NEWPID) moves only the children to come: the child's
    // pid_for_children is a namespace with no process yet, which the
    // kernel shows as a dangling link (ENOENT); ours resolves.
    char buf[256];
    const std::string path = "/proc/" + std::to_string(p.pid) + "/ns/pid_for_children";
    BOOST_TEST(readlink(path.c_str(), buf, sizeof buf) == -1);
    BOOST_TEST(errno == ENOENT);
    BOOST_TEST(nsLink(getpid(), "pid_for_children") == nsLink(getpid(), "pid"));
  } else {
    BOOST_TEST(nsLink(p.pid, link) != nsLink(getpid(), link), link);
  }
  // Only that one: every other namespace is still ours.
  for (const char* other : {"uts", "ipc", "net", "mnt", "pid", "cgroup", "user"})
    if (link != other) BOOST_TEST(nsLink(p.pid, other) == nsLink(getpid(), other), other);
  const int st = p.finish();
  BOOST_TEST(describe(st) == "exited 0");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(namespaces)

BOOST_AUTO_TEST_CASE(default_shares_every_namespace) {
  LiveProbe p(nullptr);
  BOOST_TEST_REQUIRE(p.err == gs::Errno{});
  for (const char* ns : {"uts", "ipc", "net", "mnt", "pid", "cgroup", "user", "pid_for_children"})
    BOOST_TEST(nsLink(p.pid, ns) == nsLink(getpid(), ns), ns);
}

#define NS_CASES(name, FLAG, link)                                                         \
  BOOST_AUTO_TEST_CASE(cloneflags_##name, *utf::precondition(CanClone{FLAG, #FLAG})) {     \
    expectOwnNamespace(gs::FLAG##_, link, true);                                           \
  }                                                                                        \
  BOOST_AUTO_TEST_CASE(unshareflags_##name, *utf::precondition(CanUnshare{FLAG, #FLAG})) { \
    expectOwnNamespace(gs::FLAG##_, link, false);                                          \
  }

NS_CASES(uts, CLONE_NEWUTS, "uts")
NS_CASES(ipc, CLONE_NEWIPC, "ipc")
NS_CASES(net, CLONE_NEWNET, "net")
NS_CASES(mnt, CLONE_NEWNS, "mnt")
// unshareflags_pid: also the probe must start after the unshare.
BOOST_AUTO_TEST_CASE(cloneflags_pid, *utf::precondition(CanClone{CLONE_NEWPID, "CLONE_NEWPID"})) {
  expectOwnNamespace(gs::CLONE_NEWPID_, "pid", true);
}
BOOST_AUTO_TEST_CASE(unshareflags_pid,
                     *skip::when(skip::noExecAfterPidUnshare) *
                         utf::precondition(CanUnshare{CLONE_NEWPID, "CLONE_NEWPID"})) {
  expectOwnNamespace(gs::CLONE_NEWPID_, "pid", false);
}
NS_CASES(cgroup, CLONE_NEWCGROUP, "cgroup")
NS_CASES(user, CLONE_NEWUSER, "user")

BOOST_AUTO_TEST_CASE(cloneflags_newpid_child_is_init,
                     *utf::precondition(CanClone{CLONE_NEWPID, "CLONE_NEWPID"})) {
  gs::SysProcAttr sys;
  sys.Cloneflags = gs::CLONE_NEWPID_;
  LiveProbe p(&sys);
  BOOST_TEST_REQUIRE(p.err == gs::Errno{});
  BOOST_TEST(p.innerPid() == 1);  // so getppid() is 0 in there: its parent is outside
  BOOST_TEST(procStatus(p.pid, "NSpid") == std::to_string(p.pid) + "\t1");
}

BOOST_AUTO_TEST_CASE(bad_cloneflags_are_einval_and_make_no_child) {
  for (gs::uintptr bad : {gs::CLONE_VM_, gs::CLONE_FILES_, gs::CLONE_FS_, gs::CLONE_THREAD_,
                          gs::CLONE_PARENT_, gs::CLONE_VFORK_, gs::uintptr(17)}) {
    gs::SysProcAttr sys;
    sys.Cloneflags = bad;
    Run r = runProbe({"exit", "0"}, &sys);
    BOOST_TEST(r.err == gs::EINVAL_, bad);
    BOOST_TEST(noChildren());
  }
}

BOOST_AUTO_TEST_CASE(cloneflags_uid_gid_maps_written_by_parent, *utf::precondition(CanMapIds())) {
  for (bool enable : {false, true}) {
    gs::SysProcAttr sys;
    sys.Cloneflags = gs::CLONE_NEWUSER_;
    sys.UidMappings = {{0, 100000, 1000}, {1000, 5000, 1}};
    sys.GidMappings = {{0, 200000, 500}};
    sys.GidMappingsEnableSetgroups = enable;
    LiveProbe p(&sys, worldProbe());
    BOOST_TEST_REQUIRE(p.err == gs::Errno{});
    const std::string proc = "/proc/" + std::to_string(p.pid) + "/";
    BOOST_TEST(squeeze(readFile(proc + "uid_map")) == "0 100000 1000\n1000 5000 1\n");
    BOOST_TEST(squeeze(readFile(proc + "gid_map")) == "0 200000 500\n");
    BOOST_TEST(readFile(proc + "setgroups") == (enable ? "allow\n" : "deny\n"));
  }
}

BOOST_AUTO_TEST_CASE(unshareflags_maps_written_by_child,
                     *utf::precondition(CanUnshare{CLONE_NEWUSER, "CLONE_NEWUSER"})) {
  gs::SysProcAttr sys;
  // Our own ids: a map any user may write for itself.
  sys.Unshareflags = gs::CLONE_NEWUSER_;
  sys.UidMappings = {{0, int(getuid()), 1}};
  sys.GidMappings = {{0, int(getgid()), 1}};
  LiveProbe p(&sys);
  BOOST_TEST_REQUIRE(p.err == gs::Errno{});
  const std::string proc = "/proc/" + std::to_string(p.pid) + "/";
  BOOST_TEST(nsLink(p.pid, "user") != nsLink(getpid(), "user"));
  BOOST_TEST(squeeze(readFile(proc + "uid_map")) == "0 " + std::to_string(getuid()) + " 1\n");
  BOOST_TEST(squeeze(readFile(proc + "gid_map")) == "0 " + std::to_string(getgid()) + " 1\n");
  BOOST_TEST(readFile(proc + "setgroups") == "deny\n");
}

BOOST_AUTO_TEST_CASE(credential_in_new_user_namespace_sees_mapped_ids,
                     *utf::precondition(CanMapIds())) {
  // setgroups is denied there; a Credential without Groups must not call it.
  gs::Credential cred;
  cred.Uid = 7;
  cred.Gid = 9;
  gs::SysProcAttr sys;
  sys.Cloneflags = gs::CLONE_NEWUSER_;
  sys.UidMappings = {{0, 300000, 100}};
  sys.GidMappings = {{0, 300000, 100}};
  sys.Credential = &cred;
  Run r = runProbe({"ids"}, &sys, worldProbe());
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  auto l = lines(r.out);
  BOOST_TEST_REQUIRE(l.size() == 3u);
  BOOST_TEST(l[0] == "uid 7 7 7 7");
  BOOST_TEST(l[1] == "gid 9 9 9 9");
  // Outside, the same process runs as host ids 300007 / 300009.
  LiveProbe p(&sys, worldProbe());
  BOOST_TEST_REQUIRE(p.err == gs::Errno{});
  BOOST_TEST(numbers(procStatus(p.pid, "Uid")) == std::vector<long>(4, 300007),
             boost::test_tools::per_element());
  BOOST_TEST(numbers(procStatus(p.pid, "Gid")) == std::vector<long>(4, 300009),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(maps_without_newuser_are_einval) {
  gs::SysProcAttr sys;
  sys.UidMappings = {{0, 0, 1}};
  Run r = runProbe({"exit", "0"}, &sys);
  BOOST_TEST(r.err == gs::EINVAL_);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(bad_map_fails_forkexec_and_leaks_nothing,
                     *utf::precondition(CanClone{CLONE_NEWUSER, "CLONE_NEWUSER"})) {
  const auto before = openFds();
  gs::SysProcAttr sys;
  sys.Cloneflags = gs::CLONE_NEWUSER_;
  sys.UidMappings = {{0, 100000, 0}};  // a map of size 0: the kernel says EINVAL
  int pidfd = 1234;
  sys.PidFD = &pidfd;
  Run r = runProbe({"exit", "0"}, &sys);
  BOOST_TEST(r.err == gs::EINVAL_);  // the parent's write failed; the child reported it
  BOOST_TEST(pidfd == -1);           // and its pidfd is closed again
  BOOST_TEST(noChildren());          // reaped
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unshare_newns_makes_mounts_private,
                     *utf::precondition(CanClone{CLONE_NEWNS, "CLONE_NEWNS"}) *
                         utf::precondition(CanUnshare{CLONE_NEWNS, "CLONE_NEWNS"})) {
  // In a helper with its own mount namespace where every mount is shared
  // (as systemd leaves them), the child's are all private after
  // Unshareflags; with Cloneflags (no remount, as Go) they stay shared.
  std::string msg = inHelper([]() -> std::string {
    if (unshare(CLONE_NEWNS) != 0) return std::string("unshare: ") + strerror(errno);
    if (mount(nullptr, "/", nullptr, MS_REC | MS_SHARED, nullptr) != 0)
      return std::string("make-rshared: ") + strerror(errno);
    auto sharedLines = [](int pid) {
      int n = 0;
      for (const auto& l : lines(readFile("/proc/" + std::to_string(pid) + "/mountinfo")))
        n += l.find(" shared:") != std::string::npos;
      return n;
    };
    if (sharedLines(getpid()) == 0) return "the helper has no shared mount";
    gs::SysProcAttr u;
    u.Unshareflags = gs::CLONE_NEWNS_;
    LiveProbe pu(&u);
    if (pu.err) return "Unshareflags: " + pu.err.Error();
    if (int n = sharedLines(pu.pid)) return std::to_string(n) + " shared mounts after Unshareflags";
    gs::SysProcAttr c;
    c.Cloneflags = gs::CLONE_NEWNS_;
    LiveProbe pc(&c);
    if (pc.err) return "Cloneflags: " + pc.err.Error();
    if (sharedLines(pc.pid) == 0) return "Cloneflags made the mounts private too";
    return "";
  });
  BOOST_TEST(msg == "");
}

// Pdeathsig with Cloneflags CLONE_NEWPID: the child is init of its own pid
// namespace, its parent invisible (getppid() == 0), so only the pidfd the
// library keeps of the parent tells whether it died before prctl. Here the
// parent P dies after; the kernel must deliver SIGKILL to the namespace
// init (a signal from an ancestor namespace is not ignored).
BOOST_AUTO_TEST_CASE(pdeathsig_with_newpid_kills_namespace_init,
                     *utf::precondition(CanClone{CLONE_NEWPID, "CLONE_NEWPID"}) *
                         skip::when(skip::noSubreaper)) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 && !skip::orphansComeHere())
    fail("PR_SET_CHILD_SUBREAPER");
  Pipe ctl, in, out;
  const pid_t p = fork();
  if (p < 0) fail("fork");
  if (p == 0) {
    ctl.r.reset();
    out.r.reset();
    in.w.reset();
    gs::SysProcAttr sys;
    sys.Cloneflags = gs::CLONE_NEWPID_;
    sys.Pdeathsig = gs::SIGKILL_;
    gs::ProcAttr attr;
    attr.Files = {in.r.u(), out.w.u(), 2};
    attr.Sys = &sys;
    auto [pid, err] = gs::ForkExec(kProbe, {"probe", "wait"}, &attr);
    writeAll(ctl.w.get(), std::to_string(pid) + " " + std::to_string(err.value()) + "\n");
    if (err) _exit(73);  // nothing to wait for: a P left pausing would hold ctest's pipes
    for (;;) pause();
  }
  ctl.w.reset();
  out.w.reset();
  in.r.reset();
  const auto v = numbers(readLine(ctl.r.get()));
  BOOST_TEST_REQUIRE(v.size() == 2u);
  BOOST_TEST_REQUIRE(v[1] == 0);
  const int g = int(v[0]);
  BOOST_TEST(readLine(out.r.get()) == "ready 1");  // pid 1 in its namespace: getppid() is 0
  BOOST_TEST(procStatus(g, "PPid") == std::to_string(p));
  kill(p, SIGKILL);
  BOOST_TEST(describe(waitStatus(p)) == "killed by signal 9");
  // G, reparented to us (subreaper), must die of the signal, not of EOF
  // on stdin (we still hold its write end).
  BOOST_TEST(describe(waitStatus(g)) == "killed by signal 9");
  prctl(PR_SET_CHILD_SUBREAPER, 0);
}

BOOST_AUTO_TEST_SUITE_END()
