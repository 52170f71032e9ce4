// SPDX-License-Identifier: BSD-3-Clause
// LookPath, ported from Go's dot_test.go (TestLookPath), lp_unix_test.go
// (TestLookPathUnixEmptyPath) and lp_linux_test.go
// (TestFindExecutableVsNoexec), with cases of our own for the error
// messages and Go issue 74466.
#include <sys/mount.h>
#include <sys/syscall.h>

#include "exec_test_helpers.hpp"
#include "skip.hpp"

using namespace et;

namespace {

// faccessat2 (Linux 5.8) is what sees a noexec mount; without it glibc
// answers from the mode bits, as Go's test notes.
std::string noFaccessat2() {
  if (::syscall(SYS_faccessat2, AT_FDCWD, "/", X_OK, AT_EACCESS) == 0 || errno != ENOSYS) return "";
  return "faccessat2 is missing here (Linux before 5.8, or a seccomp profile): a noexec mount "
         "looks executable to faccessat";
}

// A tmpfs mounted (and unmounted) on a fresh directory, tried in a child:
// it needs CAP_SYS_ADMIN, which a container may not give.
std::string noTmpfsMount() {
  TempDir tmp;
  if (skip::inChild([&] {
        return mount("tmpfs", tmp.path().c_str(), "tmpfs", 0, nullptr) == 0 &&
               umount(tmp.path().c_str()) == 0;
      }))
    return "";
  return "a tmpfs cannot be mounted here (no CAP_SYS_ADMIN, or a container denies mount)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lookpath)

// Go: TestLookPath (dot_test.go), GODEBUG=execerrdot=1 (the only behaviour
// here: no GODEBUG): "." and "../testdir" on PATH give ErrDot.
BOOST_AUTO_TEST_CASE(TestLookPath) {
  TempDir tmp;
  const std::string tmpDir = tmp.path() + "/testdir";
  const std::string executable = "execabs-test";
  tmp.file("testdir/" + executable, std::string("\x01\x02\x03", 3), 0777);
  Chdir in(tmpDir);
  Setenv pwd("PWD", tmpDir.c_str());
  const std::string origPath = sc::Getenv("PATH").first;

  for (const std::string dir : {".", "../testdir"}) {
    BOOST_TEST_CONTEXT("PATH=" << dir) {
      Setenv path("PATH", (dir + ":" + origPath).c_str());
      const std::string good = dir + "/" + executable;
      auto [found, err] = ex::LookPath(good);
      BOOST_TEST(!err);
      BOOST_TEST(found.rfind(good, 0) == 0);

      auto [f2, err2] = ex::LookPath(executable);
      BOOST_TEST(go::errors::Is(err2, ex::ErrDot), err2.Error());

      auto cmd = ex::Command(executable);
      BOOST_TEST(go::errors::Is(cmd.Err, ex::ErrDot));
      cmd.Err = nullptr;
      // Now it runs, and fails because it is not a program.
      const error rerr = cmd.Run();
      BOOST_TEST(bool(rerr));
      BOOST_TEST(!go::errors::Is(rerr, ex::ErrDot));
      BOOST_TEST(go::errors::Is(rerr, sc::ENOEXEC_), rerr.Error());
    }
  }

  // PATH=$PWD: the absolute entry wins, with no error.
  {
    Setenv path("PATH", (tmpDir + ":" + origPath).c_str());
    const std::string good = tmpDir + "/" + executable;
    auto [found, err] = ex::LookPath(good);
    BOOST_TEST(!err);
    BOOST_TEST(found == good);
    auto [f2, err2] = ex::LookPath(executable);
    BOOST_TEST(!err2);
    BOOST_TEST(f2 == good);
    BOOST_TEST(!ex::Command(executable).Err);
  }

  // PATH=$OTHER: "." is never implied on Unix, so an executable of the same
  // name elsewhere on PATH is found, absolute.
  {
    Setenv path("PATH", "");
    auto [found, err] = ex::LookPath(executable);
    BOOST_TEST(bool(err));
    BOOST_TEST(!go::errors::Is(err, ex::ErrDot));
    TempDir other;
    other.file(executable, std::string("\x01\x02\x03", 3), 0777);
    Setenv path2("PATH", (other.path() + ":" + origPath).c_str());
    auto [f2, err2] = ex::LookPath(executable);
    BOOST_TEST(!err2);
    BOOST_TEST(f2 == other.path() + "/" + executable);
  }
}

// Go: TestLookPathUnixEmptyPath: an empty PATH finds nothing, not even in
// the current directory.
BOOST_AUTO_TEST_CASE(TestLookPathUnixEmptyPath) {
  TempDir tmp;
  tmp.file("exec_me", "", 0700);
  Chdir in(tmp.path());
  Setenv path("PATH", "");
  auto [found, err] = ex::LookPath("exec_me");
  BOOST_TEST(bool(err));
  BOOST_TEST(found == "");
}

// Go: TestFindExecutableVsNoexec: a file on a noexec mount is not
// executable, whatever its mode.
BOOST_AUTO_TEST_CASE(TestFindExecutableVsNoexec,
                     *skip::when(skip::all<noFaccessat2, noTmpfsMount>)) {
  TempDir tmp;
  BOOST_TEST_REQUIRE(mount("tmpfs", tmp.path().c_str(), "tmpfs", 0, nullptr) == 0);
  const std::string path = tmp.file("program", "#!/bin/sh\necho 123\n", 0755);
  auto [found, err] = ex::LookPath(path);
  BOOST_TEST(!err);
  BOOST_TEST(!ex::Command(path).Run());

  BOOST_TEST_REQUIRE(mount("", tmp.path().c_str(), "", MS_REMOUNT | MS_NOEXEC, nullptr) == 0);
  BOOST_TEST(bool(ex::Command(path).Run()));
  auto [f2, err2] = ex::LookPath(path);
  BOOST_TEST(go::errors::Is(err2, sc::EACCES_), err2.Error());
  umount(tmp.path().c_str());
}

// Not Go's test: the messages, as Go prints them.
BOOST_AUTO_TEST_CASE(error_messages) {
  TempDir tmp;
  const std::string plain = tmp.file("plain", "", 0644);
  Setenv path("PATH", "/nonexistent");
  BOOST_TEST(ex::LookPath("nosuch").second.Error() ==
             "exec: \"nosuch\": executable file not found in $PATH");
  BOOST_TEST(ex::LookPath("/nonexistent/x").second.Error() ==
             "exec: \"/nonexistent/x\": stat /nonexistent/x: no such file or directory");
  BOOST_TEST(ex::LookPath(tmp.path()).second.Error() ==
             "exec: \"" + tmp.path() + "\": is a directory");
  BOOST_TEST(ex::LookPath(plain).second.Error() == "exec: \"" + plain + "\": permission denied");
  BOOST_TEST(ex::LookPath("a\"b\n").second.Error() ==
             "exec: \"a\\\"b\\n\": executable file not found in $PATH");
  const error notFound = ex::LookPath("nosuch").second;
  const auto* e = go::errors::As<ex::Error>(notFound);
  BOOST_TEST_REQUIRE(e != nullptr);
  BOOST_TEST(e->Name == "nosuch");
  BOOST_TEST(e->Err == ex::ErrNotFound);
}

// Not Go's test: Go issue 74466 (CVE-2025-47906): "", "." and ".." are
// never found, though PATH entries are directories that exist.
BOOST_AUTO_TEST_CASE(dot_and_dotdot_are_not_found_issue74466) {
  Setenv path("PATH", "/usr/bin:/bin:.");
  for (const std::string name : {"", ".", ".."}) {
    auto [found, err] = ex::LookPath(name);
    BOOST_TEST(found == "");
    BOOST_TEST(go::errors::Is(err, ex::ErrNotFound), name);
  }
}

// Not Go's test: empty entries are the current directory, and Join cleans
// what it builds ("dir//x/" entries, "./x").
BOOST_AUTO_TEST_CASE(empty_entries_and_clean_paths) {
  TempDir tmp;
  tmp.file("bin/tool", "#!/bin/sh\n", 0755);
  {
    Chdir in(tmp.path() + "/bin");
    Setenv path("PATH", "/nonexistent::/usr/bin");
    auto [found, err] = ex::LookPath("tool");
    BOOST_TEST(found == "tool");  // Go's filepath.Join(".", "tool")
    BOOST_TEST(go::errors::Is(err, ex::ErrDot));
  }
  Setenv path("PATH", (tmp.path() + "//bin/:/usr/bin").c_str());
  auto [found, err] = ex::LookPath("tool");
  BOOST_TEST(!err);
  BOOST_TEST(found == tmp.path() + "/bin/tool");
}

BOOST_AUTO_TEST_SUITE_END()
