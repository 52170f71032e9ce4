// gospawn's Linux attribute options (tools/gospawn_linux.cpp), each run
// through the real gospawn with the probe as PROGRAM: --unshare-*,
// --map-root, --pgid, --ambient-cap, --cgroup errors, and --help.
#include "live_probe.hpp"

using namespace th;
namespace utf = boost::unit_test;

namespace {

const std::string kGospawn = GOSPAWN_PATH;

// gospawn runs `gospawn args...` (probe output on the pipe Run::out).
Run gospawn(const std::vector<std::string>& args) { return runProbe(args, gs::ProcAttr{}, kGospawn); }

}  // namespace

BOOST_AUTO_TEST_SUITE(gospawn_linux)

// --unshare-pid is Cloneflags CLONE_NEWPID for gospawn's init, which runs
// PROGRAM as pid 2 (tools/gospawn_init.hpp).
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
  for (const char* flag : {"-U, --unshare-user", "-r, --map-root", "-p, --unshare-pid",
                           "-m, --unshare-mount", "-n, --unshare-net", "-u, --unshare-uts",
                           "-i, --unshare-ipc", "-C, --unshare-cgroup", "--mount-proc[=DIR]",
                           "--cgroup DIR", "--pgid N", "--foreground", "--ctty FD",
                           "--ambient-cap CAP"})
    BOOST_TEST(r.out.find(flag) != std::string::npos, flag);
}

BOOST_AUTO_TEST_SUITE_END()
