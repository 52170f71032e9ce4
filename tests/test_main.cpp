// SPDX-License-Identifier: BSD-3-Clause
// The Boost.Test runner, compiled once and linked into every suite.
// Header-only Boost.Test, so that cross builds need no target Boost library.
#define BOOST_TEST_MODULE gosyscall
#include <boost/test/included/unit_test.hpp>

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

// The environment matrix (tools/test): with GOSYSCALL_SECCOMP_ENV=NAME a
// suite re-executes itself through tests/seccomp_launch.c, which installs
// environment NAME's seccomp filter and clears the variable, so the suite
// and every child it creates see the kernel as that environment does. ctest
// has no wrapper option; this keeps the builds and ctest's own test list as
// they are. Without the variable (every other run) nothing happens. Runs
// before main, as a constructor, which glibc calls with main's arguments.
__attribute__((constructor)) void enterSeccompEnvironment(int argc, char** argv, char**) {
  const char* env = std::getenv("GOSYSCALL_SECCOMP_ENV");
  if (env == nullptr || *env == '\0') return;
#ifdef SECCOMP_LAUNCH_PATH
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    std::vector<char*> args{const_cast<char*>(SECCOMP_LAUNCH_PATH), const_cast<char*>(env), self};
    for (int i = 1; i < argc; i++) args.push_back(argv[i]);
    args.push_back(nullptr);
    std::printf("seccomp environment %s (%s)\n", env, SECCOMP_LAUNCH_PATH);
    std::fflush(stdout);
    execv(SECCOMP_LAUNCH_PATH, args.data());
  }
  std::fprintf(stderr, "GOSYSCALL_SECCOMP_ENV=%s: cannot start %s: %s\n", env, SECCOMP_LAUNCH_PATH,
               std::strerror(errno));
#else
  (void)argc;
  (void)argv;
  std::fprintf(stderr, "GOSYSCALL_SECCOMP_ENV=%s: this build has no seccomp launcher\n", env);
#endif
  std::_Exit(126);  // never run the cases outside the environment asked for
}

}  // namespace
