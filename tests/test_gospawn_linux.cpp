// SPDX-License-Identifier: BSD-3-Clause
// gospawn's Linux attribute options (tools/gospawn_linux.cpp), each run
// through the real gospawn with the probe (or gospawn_child) as PROGRAM:
// --unshare-* and their unshare(1) letters, --map-root, --mount-proc,
// --pgid, --ambient-cap, --cgroup errors, what a refusal of a kernel too
// old says, and --help.
#include <sys/syscall.h>

#include "deny_syscalls.hpp"
#include "gospawn_run.hpp"

using namespace th;
namespace utf = boost::unit_test;

namespace {

// gospawn runs `gospawn args...` (probe output on the pipe Run::out).
Run gospawn(const std::vector<std::string>& args) {
  return runProbe(args, gs::ProcAttr{}, kGospawn);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gospawn_linux)

// --unshare-pid is Cloneflags CLONE_NEWPID for gospawn's init, which runs
// PROGRAM as pid 2 (tools/gospawn_init.hpp; tests/test_gospawn_init.cpp).
BOOST_AUTO_TEST_CASE(unshare_pid_runs_program_as_pid_2_under_an_init,
                     *utf::precondition(CanClone{CLONE_NEWPID, "CLONE_NEWPID"})) {
  Run r = gospawn({"--unshare-pid", "--", kProbe, "stat"});
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.exited);
  BOOST_TEST(r.status == 0);
  auto kv = parseKV(r.out);
  BOOST_TEST(kv["pid"] == 2);
  // (ppid comes from /proc, which is still the outer namespace's procfs.)
}

// nsOf runs `gospawn flags... -- gospawn_child report`: what PROGRAM saw.
Facts nsOf(const std::vector<std::string>& flags) {
  Spawned s(kGospawn, gospawnWith(flags, {"report"}));
  const Ended e = s.finish();
  BOOST_TEST_REQUIRE(e.code() == 0, e.how() << ": " << e.err);
  return parseFacts(e.out);
}

// Each short option is unshare(1)'s letter for the same namespace: PROGRAM
// is in a new one of that kind, and in the test's for every other.
BOOST_AUTO_TEST_CASE(namespace_letters_are_unshares,
                     *utf::precondition(CanClone{CLONE_NEWUSER, "CLONE_NEWUSER"}) *
                         utf::precondition(CanUnshare{CLONE_NEWUSER | CLONE_NEWNS,
                                                      "CLONE_NEWNS"})) {
  const std::pair<const char*, const char*> letters[] = {
      {"-U", "user"}, {"-n", "net"}, {"-u", "uts"}, {"-i", "ipc"}, {"-C", "cgroup"}, {"-m", "mnt"}};
  for (const auto& [letter, ns] : letters) {
    // -U with each, so that no privilege is needed: -U alone is the user one.
    const Facts f = nsOf(std::string(letter) == "-U" ? std::vector<std::string>{"-U"}
                                                     : std::vector<std::string>{"-U", letter});
    for (const char* other : {"user", "net", "uts", "ipc", "cgroup", "mnt", "pid"}) {
      const bool fresh = std::string(other) == ns || std::string(other) == "user";
      BOOST_TEST((f.get(std::string("ns ") + other) != nsLink(getpid(), other)) == fresh,
                 letter << ": ns " << other);
    }
  }
}

// -r (--map-root) implies -U (--unshare-user), as unshare's -r does.
BOOST_AUTO_TEST_CASE(map_root_implies_unshare_user,
                     *utf::precondition(CanClone{CLONE_NEWUSER, "CLONE_NEWUSER"})) {
  for (const char* flag : {"-r", "--map-root"}) {
    const Facts f = nsOf({flag});
    BOOST_TEST(f.get("Uid") == "0 0 0 0", flag);
    BOOST_TEST(f.get("ns user") != nsLink(getpid(), "user"), flag);
    BOOST_TEST(f.get("setgroups") == "deny", flag);
  }
}

// --mount-proc implies -m: without -p, its /proc shows the test's pid
// namespace, in a mount namespace of PROGRAM's own. (Not with -r alone:
// the kernel mounts a proc only for a user namespace that owns its pid
// namespace, as unshare -r --mount-proc finds too.)
BOOST_AUTO_TEST_CASE(mount_proc_implies_a_mount_namespace,
                     *skip::when(skip::noGuestExec) *
                         utf::precondition(CanUnshare{CLONE_NEWNS, "CLONE_NEWNS"})) {
  const Facts f = nsOf({"--mount-proc"});
  BOOST_TEST(f.get("ns mnt") != nsLink(getpid(), "mnt"));
  BOOST_TEST(f.get("ns pid") == nsLink(getpid(), "pid"));
  BOOST_TEST(f.ps.size() > 2u);  // the test's processes, not a new namespace's
}

// A kernel without clone3 (as a seccomp filter makes it, answering ENOSYS):
// --cgroup says what it needs, with the Errno, and gospawn exits 125.
BOOST_AUTO_TEST_CASE(cgroup_on_a_kernel_without_clone3_says_what_it_needs,
                     *skip::when(skip::noSeccompFilter)) {
  const std::string msg = inHelper([]() -> std::string {
    const std::string why = denySyscalls({{SYS_clone3, ENOSYS}});
    if (!why.empty()) return why;
    Pipe err;
    Fd null = devNull();
    gs::ProcAttr attr;
    attr.Files = {null.u(), null.u(), err.w.u()};
    // Any directory opens as --cgroup's fd: the clone3 is refused first.
    auto [pid, e] =
        gs::ForkExec(kGospawn, {"gospawn", "--cgroup", "/tmp", "--", kProbe, "exit", "0"}, &attr);
    if (e) return "ForkExec: " + e.Error();
    err.w.reset();
    const std::string text = readAll(err.r.get());
    const int st = waitStatus(pid);
    const std::string want =
        "gospawn: --cgroup needs clone3 with CLONE_INTO_CGROUP (Linux 5.7): "
        "function not implemented\n";
    if (text != want || describe(st) != "exited 125") return describe(st) + ", stderr: " + text;
    return "";
  });
  BOOST_TEST(msg == "");
}

BOOST_AUTO_TEST_CASE(unshare_user_map_root_is_root_inside,
                     *utf::precondition(CanClone{CLONE_NEWUSER, "CLONE_NEWUSER"})) {
  Run r = gospawn({"--unshare-user", "--map-root", "--unshare-net", "--unshare-uts",
                   "--unshare-ipc", "--unshare-mount", "--", kProbe, "ids"});
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.status == 0);
  auto l = lines(r.out);
  BOOST_TEST_REQUIRE(l.size() == 3u);
  BOOST_TEST(l[0] == "uid 0 0 0 0");
  BOOST_TEST(l[1] == "gid 0 0 0 0");
}

BOOST_AUTO_TEST_CASE(ambient_cap_by_name_and_number) {
  for (const char* cap : {"NET_BIND_SERVICE", "cap_net_bind_service", "10"}) {
    Run r = gospawn({"--ambient-cap", cap, "--", kProbe, "exit", "0"});
    BOOST_TEST(r.status == 0, cap);
  }
}

BOOST_AUTO_TEST_CASE(bad_usage_exits_125) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--ambient-cap", "NO_SUCH_CAP", "--", kProbe, "exit", "0"},
           {"--ambient-cap", "99", "--", kProbe, "exit", "0"},
           {"--pgid", "0", "--", kProbe, "exit", "0"},
           {"--pgid", "x", "--", kProbe, "exit", "0"},
           {"--ctty", "-1", "--", kProbe, "exit", "0"},
           {"--cgroup", "/nonexistent-cgroup", "--", kProbe, "exit", "0"},
           {"--foreground", "--setctty", "--", kProbe, "exit", "0"},
           {"--pgid", "1", "--unshare-pid", "--", kProbe, "exit", "0"}}) {
    Run r = gospawn(args);
    BOOST_TEST(r.exited);
    BOOST_TEST(r.status == 125, args[0]);
  }
}

BOOST_AUTO_TEST_CASE(pgid_joins_a_group) {
  gs::SysProcAttr lead;
  lead.Setpgid = true;
  LiveProbe leader(&lead);
  BOOST_TEST_REQUIRE(leader.err == gs::Errno{});
  Run r = gospawn({"--pgid", std::to_string(leader.pid), "--", kProbe, "stat"});
  BOOST_TEST_REQUIRE(r.status == 0);
  BOOST_TEST(parseKV(r.out)["pgid"] == leader.pid);
}

BOOST_AUTO_TEST_CASE(help_documents_every_flag) {
  Run r = gospawn({"--help"});
  BOOST_TEST(r.status == 0);
  for (const char* flag :
       {"-U, --unshare-user", "-r, --map-root", "-p, --unshare-pid", "-m, --unshare-mount",
        "-n, --unshare-net", "-u, --unshare-uts", "-i, --unshare-ipc", "-C, --unshare-cgroup",
        "--mount-proc[=DIR]", "--cgroup DIR", "--pgid N", "--foreground", "--ctty FD",
        "--ambient-cap CAP"})
    BOOST_TEST(r.out.find(flag) != std::string::npos, flag);
}

BOOST_AUTO_TEST_SUITE_END()
