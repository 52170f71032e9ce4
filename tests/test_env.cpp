// SPDX-License-Identifier: BSD-3-Clause
// go::syscall's environment (env.hpp): Environ, Getenv, Setenv, Unsetenv
// and Clearenv, with Go's rules (syscall/env_unix.go), against libc's view
// of the same environment.
#include <cstdlib>

#include "exec_test_helpers.hpp"

using namespace et;

extern char** environ;

BOOST_AUTO_TEST_SUITE(env)

BOOST_AUTO_TEST_CASE(setenv_getenv_unsetenv_through_libc) {
  BOOST_TEST(!sc::Setenv("GS_ENV_TEST", "a=b c"));
  BOOST_TEST(std::string(std::getenv("GS_ENV_TEST")) == "a=b c");
  auto [v, ok] = sc::Getenv("GS_ENV_TEST");
  BOOST_TEST(ok);
  BOOST_TEST(v == "a=b c");
  const auto env = sc::Environ();
  BOOST_TEST(std::count(env.begin(), env.end(), "GS_ENV_TEST=a=b c") == 1);

  BOOST_TEST(!sc::Setenv("GS_ENV_TEST", ""));  // set, and empty
  BOOST_TEST(sc::Getenv("GS_ENV_TEST").second);
  BOOST_TEST(!sc::Unsetenv("GS_ENV_TEST"));
  BOOST_TEST(!sc::Getenv("GS_ENV_TEST").second);
  BOOST_TEST(std::getenv("GS_ENV_TEST") == nullptr);
}

BOOST_AUTO_TEST_CASE(invalid_keys_and_values) {
  BOOST_TEST(sc::Setenv("", "x") == sc::EINVAL_);
  BOOST_TEST(sc::Setenv("A=B", "x") == sc::EINVAL_);
  BOOST_TEST(sc::Setenv(std::string("A\0B", 3), "x") == sc::EINVAL_);
  BOOST_TEST(sc::Setenv("GS_ENV_NUL", std::string("x\0y", 3)) == sc::EINVAL_);
  BOOST_TEST(!sc::Getenv("GS_ENV_NUL").second);
  BOOST_TEST(!sc::Unsetenv("A=B"));  // nothing to remove: no error, as in Go
  BOOST_TEST(!sc::Getenv("").second);
}

// Go's copyenv: a key's later entries are not seen (getenv(3) finds the
// first too), so that Unsetenv cannot unmask one.
BOOST_AUTO_TEST_CASE(environ_keeps_the_first_of_a_duplicate) {
  static char first[] = "GS_DUP=first", second[] = "GS_DUP=second";
  putenv(first);
  // putenv of the same key replaces; put a true duplicate into environ
  // through a copy of it.
  std::vector<char*> copy;
  for (char** e = environ; *e; e++) copy.push_back(*e);
  copy.push_back(second);
  copy.push_back(nullptr);
  char** saved = environ;
  environ = copy.data();
  const auto env = sc::Environ();
  environ = saved;
  BOOST_TEST(std::count(env.begin(), env.end(), "GS_DUP=first") == 1);
  BOOST_TEST(std::count(env.begin(), env.end(), "GS_DUP=second") == 0);
  (void)sc::Unsetenv("GS_DUP");
}

BOOST_AUTO_TEST_CASE(clearenv_then_a_cmd_inherits_nothing) {
  const auto saved = sc::Environ();
  sc::Clearenv();
  BOOST_TEST(sc::Environ().empty());
  BOOST_TEST(!sc::Setenv("ONLY", "1"));
  auto [out, err] = ex::Command(kHelper, {"echoenv", "ONLY", "HOME"}).Output();
  for (const auto& kv : saved) putenv(strdup(kv.c_str()));
  BOOST_TEST(!err);
  BOOST_TEST(out == "1\n\n");
  (void)sc::Unsetenv("ONLY");
  BOOST_TEST(sc::Environ() == saved, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
