// SPDX-License-Identifier: BSD-3-Clause
// The recipes of docs/EMBEDDING.md, built from the document itself
// (tests/recipes.cmake), run as their users would run them.
#include <signal.h>

#include "exec_test_helpers.hpp"
#include "live_probe.hpp"
#include "skip.hpp"

using namespace et;

BOOST_AUTO_TEST_SUITE(recipes)

BOOST_AUTO_TEST_CASE(capture) {
  auto [out, err] =
      ex::Command(RECIPE_CAPTURE, {"sh", "-c", "echo out; echo err >&2; exit 3"}).Output();
  BOOST_TEST(!err);
  BOOST_TEST(out == "exit status 3\nstdout: out\nstderr: err\n");

  auto missing = ex::Command(RECIPE_CAPTURE, {"no-such-program"});
  auto [text, merr] = missing.CombinedOutput();
  BOOST_TEST(missing.ProcessState.ExitCode() == 1);
  BOOST_TEST(text == "capture: exec: \"no-such-program\": executable file not found in $PATH\n");
}

// superviseWorker runs supervisor with a worker that exits at once the
// first time (so that it is restarted), then runs until it is stopped:
// sends the supervisor SIGTERM once the second worker runs, and returns
// what the supervisor wrote on stderr. The worker must be gone, reaped.
std::string superviseWorker(const std::string& supervisor) {
  TempDir dir;
  const std::string mark = dir.path() + "/mark";
  auto sup = ex::Command(
      supervisor, {"/bin/sh", "-c",
                   "if [ -e " + mark + " ]; then echo second $$; exec sleep 1000; fi; touch " +
                       mark + "; echo first"});
  std::string log;
  sup.Stderr = &log;
  auto [out, err] = sup.StdoutPipe();
  BOOST_TEST_REQUIRE(!err);
  BOOST_TEST_REQUIRE(!sup.Start());
  BOOST_TEST(readLine(*out) == "first");
  const std::string second = readLine(*out);
  BOOST_TEST_REQUIRE(second.rfind("second ", 0) == 0);
  const int worker = std::stoi(second.substr(7));

  BOOST_TEST(!sup.Process->Signal(sc::SIGTERM_));
  BOOST_TEST(!sup.Wait(), log);
  BOOST_TEST(kill(worker, 0) == -1);  // stopped, and reaped by the supervisor
  return log;
}

BOOST_AUTO_TEST_CASE(supervise_restarts_then_stops, *skip::when(skip::noThreads)) {
  const std::string log = superviseWorker(RECIPE_SUPERVISE);
  BOOST_TEST(log.find(": exit status 0\n") != std::string::npos, log);
  BOOST_TEST(log.find(": signal: terminated\n") != std::string::npos, log);
}

#ifdef RECIPE_PIDFD_SUPERVISE
// The same under the pidfd and signalfd supervisor, which blocks SIGTERM
// itself: the worker dies of the SIGTERM it is sent, because it started
// with an empty Sigmask (with the supervisor's mask it would live on until
// the SIGKILL 5 seconds later: "signal: killed").
BOOST_AUTO_TEST_CASE(pidfd_supervise_restarts_then_stops, *skip::when(skip::noClonePidfd)) {
  BOOST_TEST(superviseWorker(RECIPE_PIDFD_SUPERVISE) ==
             "pidfd_supervise: exit status 0\npidfd_supervise: signal: terminated\n");
}
#endif

#ifdef RECIPE_NSRUN
// The command is pid 1 and root in its namespaces, and its /proc lists
// only that pid namespace: the shell, and the ls and grep it runs.
BOOST_AUTO_TEST_CASE(nsrun_runs_pid_1_with_its_own_proc,
                     *skip::when(skip::noGuestExec) *
                         boost::unit_test::precondition(th::CanClone{
                             CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS,
                             "CLONE_NEWUSER|CLONE_NEWPID|CLONE_NEWNS"})) {
  auto cmd =
      ex::Command(RECIPE_NSRUN, {"/bin/sh", "-c", "echo $$ $(id -u); ls /proc | grep -c '^[0-9]'"});
  std::string errText;
  cmd.Stderr = &errText;
  auto [out, err] = cmd.Output();
  BOOST_TEST_REQUIRE(!err, errText);
  std::istringstream in(out);
  int pid = 0, uid = -1, processes = 0;
  in >> pid >> uid >> processes;
  BOOST_TEST(pid == 1);
  BOOST_TEST(uid == 0);
  BOOST_TEST(processes >= 1);
  BOOST_TEST(processes <= 3);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
