// The recipes of docs/EMBEDDING.md, built from the document itself
// (tests/recipes.cmake), run as their users would run them.
#include <signal.h>

#include "exec_test_helpers.hpp"
#include "skip.hpp"

using namespace et;

BOOST_AUTO_TEST_SUITE(recipes)

BOOST_AUTO_TEST_CASE(capture) {
  auto [out, err] = ex::Command(RECIPE_CAPTURE, {"sh", "-c", "echo out; echo err >&2; exit 3"}).Output();
  BOOST_TEST(!err);
  BOOST_TEST(out == "exit status 3\nstdout: out\nstderr: err\n");

  auto missing = ex::Command(RECIPE_CAPTURE, {"no-such-program"});
  auto [text, merr] = missing.CombinedOutput();
  BOOST_TEST(missing.ProcessState.ExitCode() == 1);
  BOOST_TEST(text == "capture: exec: \"no-such-program\": executable file not found in $PATH\n");
}

// A worker that exits at once the first time (so that it is restarted),
// then runs until it is stopped.
BOOST_AUTO_TEST_CASE(supervise_restarts_then_stops, *skip::when(skip::noThreads)) {
  TempDir dir;
  const std::string mark = dir.path() + "/mark";
  auto sup = ex::Command(RECIPE_SUPERVISE,
                         {"sh", "-c", "if [ -e " + mark + " ]; then echo second $$; exec sleep 1000; fi; touch " +
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
  BOOST_TEST(log.find(": exit status 0\n") != std::string::npos, log);
  BOOST_TEST(log.find(": signal: terminated\n") != std::string::npos, log);
  BOOST_TEST(kill(worker, 0) == -1);  // stopped, and reaped by the supervisor
}

BOOST_AUTO_TEST_SUITE_END()
