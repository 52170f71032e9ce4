// SPDX-License-Identifier: BSD-3-Clause
// go::exec: the behaviour tests of Go's os/exec (exec_test.go,
// exec_posix_test.go, internal_test.go, env_test.go), each case named
// after the Go test it ports, run against tests/exec_helper.cpp as Go's
// run against their test binary's helper commands. Where a port differs
// from the Go test (no goroutines here), the case says how.
#include <sys/stat.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "exec/internal/env.hpp"
#include "exec/internal/prefix_suffix_saver.hpp"
#include "exec_test_helpers.hpp"
#include "skip.hpp"

using namespace et;

BOOST_AUTO_TEST_SUITE(exec)

// The everyday form.
BOOST_AUTO_TEST_CASE(command_output_everyday_form) {
  auto cmd = ex::Command("echo", {"hi"});
  auto [out, err] = cmd.Output();
  BOOST_TEST(out == "hi\n");
  BOOST_TEST(!err);
}

// Go: TestEcho.
BOOST_AUTO_TEST_CASE(TestEcho) {
  auto [out, err] = helperCommand("echo", {"foo bar", "baz"}).Output();
  BOOST_TEST(!err);
  BOOST_TEST(out == "foo bar baz\n");
}

// Go: TestCommandRelativeName. The helper by a path relative to Dir.
BOOST_AUTO_TEST_CASE(TestCommandRelativeName) {
  const std::filesystem::path helper(kHelper);
  auto cmd = helperCommand("echo", {"foo"});
  cmd.Path = (helper.parent_path().filename() / helper.filename()).string();
  cmd.Dir = helper.parent_path().parent_path().string();
  auto [out, err] = cmd.Output();
  BOOST_TEST(!err);
  BOOST_TEST(out == "foo\n");
}

// Go: TestCatStdin.
BOOST_AUTO_TEST_CASE(TestCatStdin) {
  const std::string input = "Input string\nLine 2";
  auto p = helperCommand("cat");
  p.Stdin = input;
  auto [out, err] = p.Output();
  BOOST_TEST(!err);
  BOOST_TEST(out == input);
}

// Go: TestEchoFileRace. A write to a StdinPipe that echo never reads,
// racing Wait.
BOOST_AUTO_TEST_CASE(TestEchoFileRace, *skip::when(skip::noThreads)) {
  auto cmd = helperCommand("echo");
  auto [stdin, err] = cmd.StdinPipe();
  BOOST_TEST_REQUIRE(!err);
  BOOST_TEST_REQUIRE(!cmd.Start());
  std::thread wrote([stdin = stdin] { stdin->Write("echo\n"); });
  BOOST_TEST(!cmd.Wait());
  wrote.join();
}

// Go: TestCatGoodAndBadFile.
BOOST_AUTO_TEST_CASE(TestCatGoodAndBadFile) {
  TempDir dir;
  const std::string good = dir.file("good.txt", "func TestCatGoodAndBadFile\n", 0644);
  auto [out, err] = helperCommand("cat", {"/bogus/file.foo", good}).CombinedOutput();
  BOOST_TEST(go::errors::As<ex::ExitError>(err) != nullptr);
  const auto nl = out.find('\n');
  BOOST_TEST_REQUIRE(nl != std::string::npos);
  BOOST_TEST(out.substr(0, nl).rfind("Error: open /bogus/file.foo", 0) == 0);
  BOOST_TEST(out.substr(nl + 1) == "func TestCatGoodAndBadFile\n");
}

// Go: TestNoExistExecutable.
BOOST_AUTO_TEST_CASE(TestNoExistExecutable) {
  BOOST_TEST(bool(ex::Command("/no-exist-executable").Run()));
}

// Go: TestExitStatus.
BOOST_AUTO_TEST_CASE(TestExitStatus) {
  const error err = helperCommand("exit", {"42"}).Run();
  const auto* ee = go::errors::As<ex::ExitError>(err);
  BOOST_TEST_REQUIRE(ee != nullptr);
  BOOST_TEST(err.Error() == "exit status 42");
}

// Go: TestExitCode.
BOOST_AUTO_TEST_CASE(TestExitCode) {
  struct Case {
    std::vector<std::string> args;
    int want;
  };
  for (const Case& c : {Case{{"exit", "42"}, 42}, Case{{"/no-exist-executable"}, 2},
                        Case{{"exit", "255"}, 255}, Case{{"cat"}, 0}}) {
    auto cmd = helperCommand(c.args[0], {c.args.begin() + 1, c.args.end()});
    cmd.Run();
    BOOST_TEST(cmd.ProcessState.ExitCode() == c.want, c.args[0]);
  }
  // Not run: no state, and ExitCode -1, as on Go's nil *ProcessState.
  auto cmd = helperCommand("cat");
  BOOST_TEST(cmd.ProcessState.ExitCode() == -1);
  BOOST_TEST(!cmd.ProcessState);
}

// Go: TestPipes.
BOOST_AUTO_TEST_CASE(TestPipes) {
  auto c = helperCommand("pipetest");
  auto [stdin, e1] = c.StdinPipe();
  auto [stdout, e2] = c.StdoutPipe();
  auto [stderr, e3] = c.StderrPipe();
  BOOST_TEST_REQUIRE((!e1 && !e2 && !e3));
  BOOST_TEST_REQUIRE(!c.Start());

  BOOST_TEST(!stdin->Write("O:I am output\n").second);
  BOOST_TEST(readLine(*stdout) == "O:I am output");
  BOOST_TEST(!stdin->Write("E:I am error\n").second);
  BOOST_TEST(readLine(*stderr) == "E:I am error");
  BOOST_TEST(!stdin->Write("O:I am output2\n").second);
  BOOST_TEST(readLine(*stdout) == "O:I am output2");

  stdin->Close();
  BOOST_TEST(!c.Wait());
}

const std::string stdinCloseTestString = "Some test string.";

// Go: TestStdinClose (Go issue 6270): closing the StdinPipe from another
// thread while Wait runs.
BOOST_AUTO_TEST_CASE(TestStdinClose, *skip::when(skip::noThreads)) {
  auto cmd = helperCommand("stdinClose");
  auto [stdin, err] = cmd.StdinPipe();
  BOOST_TEST_REQUIRE(!err);
  BOOST_TEST(stdin->Fd() >= 0);  // the File's own methods are there
  BOOST_TEST_REQUIRE(!cmd.Start());
  std::thread copier([stdin = stdin] {
    stdin->Write(stdinCloseTestString);
    const error cerr = stdin->Close();  // Wait may have closed it first
    if (cerr && !go::errors::Is(cerr, go::os::ErrClosed)) BOOST_ERROR("Close: " << cerr.Error());
  });
  BOOST_TEST(!cmd.Wait());
  copier.join();
}

// Go: TestStdinCloseRace (Go issue 17647): Kill and a writer race Wait,
// which must then fail.
BOOST_AUTO_TEST_CASE(TestStdinCloseRace, *skip::when(skip::noThreads)) {
  auto cmd = helperCommand("stdinClose");
  auto [stdin, err] = cmd.StdinPipe();
  BOOST_TEST_REQUIRE(!err);
  BOOST_TEST_REQUIRE(!cmd.Start());
  std::thread killer([&cmd] { cmd.Process->Kill(); });  // may find it finished: fine
  std::thread writer([stdin = stdin] {
    stdin->Write("unexpected string");  // the wrong string: it fails even if not killed
    stdin->Close();
  });
  BOOST_TEST(bool(cmd.Wait()));
  killer.join();
  writer.join();
}

// Go: TestPipeLookPathLeak (Go issue 5071): a failed LookPath leaks none
// of the pipes.
BOOST_AUTO_TEST_CASE(TestPipeLookPathLeak) {
  const auto before = openFds();
  for (int i = 0; i < 6; i++) {
    auto cmd = ex::Command("something-that-does-not-exist-executable");
    cmd.StdoutPipe();
    cmd.StderrPipe();
    cmd.StdinPipe();
    BOOST_TEST(bool(cmd.Run()));
  }
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
}

// Go: TestExtraFiles. Fd 3 is the file given, and no descriptor the
// library made for another Cmd (running meanwhile, with three pipes)
// reaches the child. Under an emulator, which holds descriptors of its
// own, the child sees one more than without ExtraFiles.
BOOST_AUTO_TEST_CASE(TestExtraFiles) {
  TempDir dir;
  const std::string text = "Hello, fd 3!";
  const int tf = open(dir.file("tf", text, 0600).c_str(), O_RDONLY | O_CLOEXEC);
  BOOST_TEST_REQUIRE(tf >= 0);
  auto other = helperCommand("pipetest");
  std::string otherErr;
  other.Stderr = &otherErr;
  auto [otherIn, otherOut] = startWithPipes(other);

  auto fdSet = [](const std::string& line) {
    std::set<int> fds;
    std::istringstream in(line.substr(line.find(':') + 1));
    for (int fd; in >> fd;) fds.insert(fd);
    return fds;
  };
  auto [baseline, berr] = helperCommand("fds").Output();
  BOOST_TEST_REQUIRE(!berr);
  auto c = helperCommand("read3");
  c.ExtraFiles = {tf};
  std::string stdout, stderr;
  c.Stdout = &stdout;
  c.Stderr = &stderr;
  BOOST_TEST(!c.Run(), stderr);
  BOOST_TEST_REQUIRE(stdout.rfind(text + "\n", 0) == 0);
  const auto seen = fdSet(stdout.substr(text.size() + 1));
  auto want = fdSet(baseline);
  if (skip::emulator().empty()) {
    want.insert(3);
    BOOST_TEST(seen == want, boost::test_tools::per_element());
  } else {
    BOOST_TEST(seen.count(3) == 1u);
    BOOST_TEST(seen.size() == want.size() + 1);
  }
  close(tf);
  otherIn->Close();
  BOOST_TEST(!other.Wait());
}

// Go: TestExtraFilesRace: two commands started at once each see their own
// fd 3.
BOOST_AUTO_TEST_CASE(TestExtraFilesRace, *skip::when(skip::noThreads)) {
  TempDir dir;
  auto describe = [](int fd) {
    struct stat st;
    fstat(fd, &st);
    return "fd3: " + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + "\n";
  };
  for (int i = 0; i < 10; i++) {
    const int fa = open(dir.file("a", "a", 0600).c_str(), O_RDONLY | O_CLOEXEC);
    const int fb = open(dir.file("b" + std::to_string(i), "b", 0600).c_str(), O_RDONLY | O_CLOEXEC);
    auto ca = helperCommand("describefiles");
    ca.ExtraFiles = {fa};
    auto cb = helperCommand("describefiles");
    cb.ExtraFiles = {fb};
    std::string ares, bres;
    auto run = [](ex::Cmd* c, std::string* out) {
      auto [o, err] = c->CombinedOutput();
      *out = err ? "ERROR:" + err.Error() : o;
    };
    std::thread ta(run, &ca, &ares), tb(run, &cb, &bres);
    ta.join();
    tb.join();
    BOOST_TEST(ares == describe(fa), "iteration " << i);
    BOOST_TEST(bres == describe(fb), "iteration " << i);
    close(fa);
    close(fb);
  }
}

// Go: TestIgnorePipeErrorOnSuccess (Go issue 9173): stdin that the
// command never reads (10 MB, or without end) does not fail a successful
// run. Go's endless reader sleeps 100 ms a read; a ReadFunc runs on Wait's
// thread here, so this one does not.
BOOST_AUTO_TEST_CASE(TestIgnorePipeErrorOnSuccess) {
  const go::io::ReadFunc endless = [](char* p, size_t n) -> std::pair<size_t, error> {
    std::fill(p, p + n, 'x');
    return {n, nullptr};
  };
  for (const go::io::Reader& r :
       {go::io::Reader(std::string(10 << 20, 'x')), go::io::Reader(endless)}) {
    auto cmd = helperCommand("echo", {"foo"});
    std::string out;
    cmd.Stdin = r;
    cmd.Stdout = &out;
    BOOST_TEST(!cmd.Run());
    BOOST_TEST(out == "foo\n");
  }
}

// Go: TestClosePipeOnCopyError: a Writer that fails closes the pipe, so
// that the endless writer fails too.
BOOST_AUTO_TEST_CASE(TestClosePipeOnCopyError) {
  auto cmd = helperCommand("yes");
  cmd.Stdout = go::io::WriteFunc([](std::string_view) -> std::pair<size_t, error> {
    return {0, go::errors::New("unexpected EOF")};
  });
  BOOST_TEST(bool(cmd.Run()));
}

// Go: TestOutputStderrCapture.
BOOST_AUTO_TEST_CASE(TestOutputStderrCapture) {
  auto [out, err] = helperCommand("stderrfail").Output();
  const auto* ee = go::errors::As<ex::ExitError>(err);
  BOOST_TEST_REQUIRE(ee != nullptr);
  BOOST_TEST(ee->Stderr == "some stderr text\n");
}

// Go: TestDedupEnvEcho.
BOOST_AUTO_TEST_CASE(TestDedupEnvEcho) {
  auto cmd = helperCommand("echoenv", {"FOO"});
  cmd.Env = cmd.Environ();
  cmd.Env->push_back("FOO=bad");
  cmd.Env->push_back("FOO=good");
  auto [out, err] = cmd.CombinedOutput();
  BOOST_TEST(!err);
  BOOST_TEST(out == "good\n");
}

// Go: TestEnvNULCharacter (Go issue 56284).
BOOST_AUTO_TEST_CASE(TestEnvNULCharacter) {
  auto cmd = helperCommand("echoenv", {"FOO", "BAR"});
  cmd.Env = cmd.Environ();
  cmd.Env->push_back(std::string("FOO=foo\0BAR=bar", 15));
  auto [out, err] = cmd.CombinedOutput();
  BOOST_TEST(err.Error() == "exec: environment variable contains NUL");
  BOOST_TEST(!cmd.Process);  // refused before any child existed
}

// Go: TestString.
BOOST_AUTO_TEST_CASE(TestString) {
  auto [echoPath, err] = ex::LookPath("echo");
  BOOST_TEST_REQUIRE(!err);
  BOOST_TEST(ex::Command("echo").String() == echoPath);
  BOOST_TEST(ex::Command("echo", {"a"}).String() == echoPath + " a");
  BOOST_TEST(ex::Command("echo", {"a", "b"}).String() == echoPath + " a b");
}

// Go: TestStringPathNotResolved.
BOOST_AUTO_TEST_CASE(TestStringPathNotResolved) {
  BOOST_TEST(ex::Command("makemeasandwich", {"-lettuce"}).String() == "makemeasandwich -lettuce");
}

// Go: TestNoPath.
BOOST_AUTO_TEST_CASE(TestNoPath) {
  ex::Cmd cmd;
  BOOST_TEST(cmd.Start().Error() == "exec: no command");
}

// Go: TestDoubleStartLeavesPipesOpen: the failed second Start closes
// nothing of the first.
BOOST_AUTO_TEST_CASE(TestDoubleStartLeavesPipesOpen) {
  auto cmd = helperCommand("pipetest");
  auto [in, out] = startWithPipes(cmd);
  BOOST_TEST(cmd.Start().Error() == "exec: already started");

  const std::string msg = "O:Hello, pipe!\n";
  BOOST_TEST(!in->Write(msg).second);
  in->Close();
  BOOST_TEST(readAll(*out) == msg);
  BOOST_TEST(!cmd.Wait());
}

// Go: TestStart_twice (Go 1.26, Go issue 76746): a second Start fails,
// also after a failed first one.
BOOST_AUTO_TEST_CASE(TestStart_twice) {
  auto cmd = ex::Command("/bin/nonesuch");
  BOOST_TEST(cmd.Start().Error() == "fork/exec /bin/nonesuch: no such file or directory");
  BOOST_TEST(cmd.Start().Error() == "exec: already started");
}

// Go: TestAbsPathExec, with true(1) for Go's gofmt.
BOOST_AUTO_TEST_CASE(TestAbsPathExec) {
  auto [exe, lerr] = ex::LookPath("true");
  BOOST_TEST_REQUIRE(!lerr);
  auto cmd = ex::Command(exe);
  BOOST_TEST(cmd.Path == exe);
  BOOST_TEST(!cmd.Run());

  ex::Cmd byPath;
  byPath.Path = exe;
  BOOST_TEST(!byPath.Run());

  ex::Cmd relative;  // "true" relative to "/": no such file there
  relative.Path = "true";
  relative.Dir = "/";
  BOOST_TEST(bool(relative.Run()));

  // Path changed after Command (Go issue 68314).
  auto [exe2, lerr2] = ex::LookPath("false");
  BOOST_TEST_REQUIRE(!lerr2);
  auto modified = ex::Command(exe2);
  modified.Path = exe;
  modified.Args = {modified.Path};
  BOOST_TEST(!modified.Run());
}

// Go: TestWaitid (exec_posix_test.go, Go issue 19314): a stopped process
// is not done. Go sleeps to let Wait block first; the case holds either way.
BOOST_AUTO_TEST_CASE(TestWaitid, *skip::when(skip::noThreads)) {
  auto cmd = helperCommand("pipetest");
  auto [stdin, stdout] = startWithPipes(cmd);
  // The child is up: it answered.
  stdin->Write("O:ping\n");
  BOOST_TEST_REQUIRE(readLine(*stdout) == "O:ping");

  BOOST_TEST_REQUIRE(!cmd.Process->Signal(sc::SIGSTOP_));
  error werr = go::errors::New("not waited");
  std::thread waiter([&] { werr = cmd.Wait(); });
  // The process still exists: the signal goes through.
  BOOST_TEST(!cmd.Process->Signal(sc::SIGCONT_));
  stdin->Close();
  waiter.join();
  BOOST_TEST(!werr);
}

// Go: TestImplicitPWD (Go issue 50599): with Env unset, Dir sets PWD.
BOOST_AUTO_TEST_CASE(TestImplicitPWD) {
  const std::string cwd = std::filesystem::current_path().string();
  const std::string parent = std::filesystem::path(cwd).parent_path().string();
  struct Case {
    std::string dir, want;
  };
  for (const Case& c : {Case{"", cwd}, Case{".", cwd}, Case{"..", parent}, Case{cwd, cwd},
                        Case{cwd + "/..", parent}}) {
    auto cmd = helperCommand("pwd");
    BOOST_TEST_REQUIRE(!cmd.Env);
    cmd.Dir = c.dir;
    std::vector<std::string> pwds;
    for (const auto& kv : cmd.Environ())
      if (kv.rfind("PWD=", 0) == 0) pwds.push_back(kv.substr(4));
    // Without Dir, PWD is the caller's, if it has one (Go assumes it to be
    // the working directory; under ctest it need not be).
    std::vector<std::string> want{c.want};
    if (c.dir.empty()) {
      auto [pwd, ok] = sc::Getenv("PWD");
      want = ok ? std::vector<std::string>{pwd} : std::vector<std::string>{};
    }
    BOOST_TEST(pwds == want, boost::test_tools::per_element());

    std::string errs;
    cmd.Stderr = &errs;
    auto [out, err] = cmd.Output();
    BOOST_TEST(!err, errs);
    BOOST_TEST(out == c.want + "\n", "Dir " << c.dir);
  }
}

// Go: TestExplicitPWD: an explicit Env's PWD is left alone.
BOOST_AUTO_TEST_CASE(TestExplicitPWD) {
  TempDir tmp;
  const std::string cwd = std::filesystem::current_path().string();
  const std::string link = tmp.path() + "/link";
  std::filesystem::create_directory_symlink(cwd, link);
  struct Case {
    std::string dir, pwd;
  };
  for (const Case& c : {Case{"", cwd}, Case{"", link}, Case{link, cwd}, Case{cwd, link}}) {
    auto cmd = helperCommand("pwd");
    cmd.Env = cmd.Environ();
    cmd.Env->push_back("PWD=" + c.pwd);
    cmd.Dir = c.dir;
    std::vector<std::string> pwds;
    for (const auto& kv : cmd.Environ())
      if (kv.rfind("PWD=", 0) == 0) pwds.push_back(kv.substr(4));
    BOOST_TEST(pwds == std::vector<std::string>{c.pwd}, boost::test_tools::per_element());
    auto [out, err] = cmd.Output();
    BOOST_TEST(!err);
    BOOST_TEST(out == c.pwd + "\n", "Dir " << c.dir << " PWD " << c.pwd);
  }
}

// Go: TestPrefixSuffixSaver (internal_test.go).
BOOST_AUTO_TEST_CASE(TestPrefixSuffixSaver) {
  struct Case {
    size_t n;
    std::vector<std::string> writes;
    std::string want;
  };
  const Case cases[] = {
      {2, {}, ""},
      {2, {"a"}, "a"},
      {2, {"abc", "d"}, "abcd"},
      {2, {"abc", "d", "e"}, "ab\n... omitting 1 bytes ...\nde"},
      {2, {"ab______________________yz"}, "ab\n... omitting 22 bytes ...\nyz"},
      {2, {"ab_______________________y", "z"}, "ab\n... omitting 23 bytes ...\nyz"},
  };
  for (const auto& c : cases) {
    ex::internal::PrefixSuffixSaver w(c.n);
    for (const auto& s : c.writes) w.Write(s);
    BOOST_TEST(w.Bytes() == c.want);
  }
}

// Go: TestDedupEnv (env_test.go).
BOOST_AUTO_TEST_CASE(TestDedupEnv) {
  struct Case {
    bool noCase, nulOK;
    std::vector<std::string> in, want;
    bool wantErr;
  };
  const Case cases[] = {
      {true, false, {"k1=v1", "k2=v2", "K1=v3"}, {"k2=v2", "K1=v3"}, false},
      {false, false, {"k1=v1", "K1=V2", "k1=v3"}, {"K1=V2", "k1=v3"}, false},
      {false, false, {"=a", "=b", "foo", "bar"}, {"=b", "foo", "bar"}, false},
      // Go issue 49886: Windows keys with a leading "=" are kept.
      {true,
       false,
       {"=C:=C:\\golang", "=D:=D:\\tmp", "=D:=D:\\"},
       {"=C:=C:\\golang", "=D:=D:\\"},
       false},
      // Go issue 52436: entries that are not key=value are kept (for now).
      {false, false, {"dodgy", "entries"}, {"dodgy", "entries"}, false},
      // Entries holding NUL are filtered out, with an error.
      {false, false, {std::string("A=a\0b", 5), "B=b", std::string("C\0C=c", 5)}, {"B=b"}, true},
      // Where NUL is allowed (Go's Plan 9), they stay.
      {false, true, {std::string("A=a\0b", 5), "B=b"}, {std::string("A=a\0b", 5), "B=b"}, false},
  };
  for (const auto& c : cases) {
    auto [got, err] = ex::internal::dedupEnvCase(c.noCase, c.nulOK, c.in);
    BOOST_TEST(got == c.want, boost::test_tools::per_element());
    BOOST_TEST(bool(err) == c.wantErr);
  }
}

// Not Go's: a Cmd destroyed after Start, without Wait, kills and reaps its
// process and closes what it opened.
BOOST_AUTO_TEST_CASE(destroyed_started_cmd_leaves_nothing) {
  const auto before = openFds();
  int pid = 0;
  {
    auto cmd = helperCommand("pipetest");  // would wait for input forever
    auto [in, e1] = cmd.StdinPipe();
    std::string out;
    cmd.Stdout = &out;
    BOOST_TEST_REQUIRE(!cmd.Start());
    pid = cmd.Process->Pid;
  }
  BOOST_TEST(kill(pid, 0) == -1);  // gone, not a zombie: reaped
  BOOST_TEST(noChildren());
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
}

// Not Go's: Wait before Start, and twice.
BOOST_AUTO_TEST_CASE(wait_misuse) {
  auto cmd = helperCommand("exit", {"0"});
  BOOST_TEST(cmd.Wait().Error() == "exec: not started");
  BOOST_TEST(!cmd.Run());
  BOOST_TEST(cmd.Wait().Error() == "exec: Wait was already called");
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_SUITE_END()
