// SPDX-License-Identifier: BSD-3-Clause
// UseCgroupFD / CgroupFD (clone3 CLONE_INTO_CGROUP), observed in
// /proc/<pid>/cgroup: the child starts in a cgroup the test creates under
// the machine's cgroup v2 mount. Where there is no such mount, or the
// kernel denies creating or entering a cgroup, the test is skipped with
// the reason.
#include <sys/stat.h>

#include "live_probe.hpp"

using namespace th;
namespace utf = boost::unit_test;

namespace {

// cgroup2Mount is where a cgroup v2 hierarchy is mounted ("" if none).
std::string cgroup2Mount() {
  for (const auto& l : lines(readFile("/proc/self/mountinfo"))) {
    // "... mount-point options - fstype source superoptions"
    const auto dash = l.find(" - ");
    if (dash == std::string::npos || l.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
    std::istringstream in(l);
    std::string id, parent, dev, root, point;
    in >> id >> parent >> dev >> root >> point;
    return point;
  }
  return "";
}

// ownCgroup is this process's v2 cgroup, from the "0::" line.
std::string ownCgroup(int pid) {
  for (const auto& l : lines(readFile("/proc/" + std::to_string(pid) + "/cgroup")))
    if (l.rfind("0::", 0) == 0) return l.substr(3);
  return "";
}

// TestCgroup: a fresh cgroup under ours, removed at the end (once empty).
struct TestCgroup {
  std::string rel, dir, error;
  TestCgroup() {
    const std::string mnt = cgroup2Mount();
    if (mnt.empty()) {
      error = "no cgroup v2 mount";
      return;
    }
    std::string own = ownCgroup(getpid());
    if (own == "/") own = "";
    rel = own + "/gosyscall-test-" + std::to_string(getpid());
    dir = mnt + rel;
    if (mkdir(dir.c_str(), 0755) != 0) error = "mkdir " + dir + ": " + strerror(errno);
  }
  ~TestCgroup() {
    if (error.empty()) rmdir(dir.c_str());
  }
};

// deniedErrno: what a kernel or container that does not let us move a
// process into a cgroup answers (no rights: EPERM, EACCES; a threaded or
// domain-invalid cgroup: EBUSY, EOPNOTSUPP; clone3 filtered: ENOSYS).
bool deniedErrno(gs::Errno e) {
  return e == gs::ENOSYS_ || e == gs::EPERM_ || e == gs::EACCES_ || e == gs::EBUSY_ ||
         e == gs::EOPNOTSUPP_;
}

// CgroupWorks: a cgroup can be made, and a child started in it, unless the
// kernel or the emulator denies it (any other error lets the test run and
// fail).
struct CgroupWorks {
  boost::test_tools::assertion_result operator()(utf::test_unit_id id) const {
    std::string why;
    TestCgroup cg;
    if (!cg.error.empty()) {
      why = "the kernel denies " + cg.error;
    } else {
      Fd dirfd(open(cg.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      gs::SysProcAttr sys;
      sys.UseCgroupFD = true;
      sys.CgroupFD = dirfd.get();
      const gs::Errno err = runProbe({"exit", "0"}, &sys).err;
      const std::string clone3 = skip::noClone3();
      if (err && !clone3.empty())
        why = "CLONE_INTO_CGROUP needs clone3: " + clone3;
      else if (err == gs::E2BIG_)  // 5.4's clone_args ends before cgroup: "too big"
        why = "clone3 answers E2BIG to a clone_args with a cgroup here (Linux < 5.7)";
      else if (deniedErrno(err))
        why = "the kernel denies CLONE_INTO_CGROUP: " + err.Error();
    }
    return skip::verdict(id, why);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cgroup)

BOOST_AUTO_TEST_CASE(child_starts_in_the_cgroup, *utf::precondition(CgroupWorks())) {
  TestCgroup cg;
  BOOST_TEST_REQUIRE(cg.error == "");
  Fd dirfd(open(cg.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  BOOST_TEST_REQUIRE(dirfd.get() >= 0);
  gs::SysProcAttr sys;
  sys.UseCgroupFD = true;
  sys.CgroupFD = dirfd.get();
  {
    LiveProbe p(&sys);
    BOOST_TEST_REQUIRE(p.err == gs::Errno{});
    BOOST_TEST(ownCgroup(p.pid) == cg.rel);
    BOOST_TEST(readFile(cg.dir + "/cgroup.procs") == std::to_string(p.pid) + "\n");
    BOOST_TEST(ownCgroup(getpid()) != cg.rel);  // we stay where we were
    BOOST_TEST(describe(p.finish()) == "exited 0");
  }
  BOOST_TEST(readFile(cg.dir + "/cgroup.procs") == "");
}

BOOST_AUTO_TEST_CASE(default_child_shares_our_cgroup) {
  LiveProbe p(nullptr);
  BOOST_TEST_REQUIRE(p.err == gs::Errno{});
  BOOST_TEST(readFile("/proc/" + std::to_string(p.pid) + "/cgroup") ==
             readFile("/proc/self/cgroup"));
}

BOOST_AUTO_TEST_CASE(bad_cgroup_fd_makes_no_child) {
  const auto before = openFds();
  gs::SysProcAttr sys;
  sys.UseCgroupFD = true;
  sys.CgroupFD = -1;
  BOOST_TEST(runProbe({"exit", "0"}, &sys).err == gs::EBADF_);
  // Not a cgroup directory: the kernel refuses it, and there is no child.
  Fd file = devNull();
  sys.CgroupFD = file.get();
  Run r = runProbe({"exit", "0"}, &sys);
  BOOST_TEST(r.err != gs::Errno{});
  BOOST_TEST(r.pid == 0);
  BOOST_TEST(noChildren());
  file.reset();
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
