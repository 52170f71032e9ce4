// SPDX-License-Identifier: BSD-3-Clause
// ForkExec's success path, checked against what the child saw (the probe)
// and what the kernel reported (Wait4, /proc): exit statuses and signals,
// argv, Env, Dir, Files, StartProcess, and no fd leaked by the library.
#include "exec_helpers.hpp"
#include "skip.hpp"

using namespace th;

BOOST_AUTO_TEST_SUITE(forkexec)

BOOST_AUTO_TEST_CASE(exit_status_zero_and_42) {
  for (int code : {0, 42, 255}) {
    Run r = runProbe({"exit", std::to_string(code)});
    BOOST_TEST_REQUIRE(r.err == gs::Errno{});
    BOOST_TEST(r.pid > 0);
    BOOST_TEST(r.exited);
    BOOST_TEST(r.status == code);
  }
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(wait4_sees_signal_death) {
  // Killed by the parent with Kill.
  Pipe in, out;
  gs::ProcAttr attr;
  attr.Files = {in.r.u(), out.w.u(), 2};
  auto [pid, err] = gs::ForkExec(kProbe, {"probe", "wait"}, &attr);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  out.w.reset();
  BOOST_TEST(readLine(out.r.get()) == "ready " + std::to_string(pid));
  BOOST_TEST(gs::Kill(pid, gs::SIGKILL_) == gs::Errno{});
  gs::WaitStatus ws = wait4(pid);
  BOOST_TEST(ws.Signaled());
  BOOST_TEST(!ws.Exited());
  BOOST_TEST(ws.Signal() == gs::SIGKILL_);
  BOOST_TEST(ws.ExitStatus() == -1);

  // Killed by a signal it raised itself.
  Run r = runProbe({"raise", std::to_string(gs::SIGTERM_.value())});
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.signaled);
  BOOST_TEST(r.status == gs::SIGTERM_.value());
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(wait4_wnohang_then_exit) {
  Pipe in, out;
  gs::ProcAttr attr;
  attr.Files = {in.r.u(), out.w.u(), 2};
  auto [pid, err] = gs::ForkExec(kProbe, {"probe", "wait"}, &attr);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  out.w.reset();
  in.r.reset();
  BOOST_TEST(readLine(out.r.get()) == "ready " + std::to_string(pid));
  gs::WaitStatus ws;
  auto [wpid, werr] = gs::Wait4(pid, &ws, WNOHANG, nullptr);
  BOOST_TEST(werr == gs::Errno{});
  BOOST_TEST(wpid == 0);  // still running: blocked on its stdin
  in.w.reset();           // EOF: the probe exits 0
  ws = wait4(pid);
  BOOST_TEST(ws.Exited());
  BOOST_TEST(ws.ExitStatus() == 0);
  BOOST_TEST(readLine(out.r.get()) == "eof");
}

BOOST_AUTO_TEST_CASE(argv_passed_exactly) {
  const std::vector<std::string> args = {"argv",      "",          "two words",
                                         "tab\there", "new\nline", "ünïcødé",
                                         "-",         "--",        std::string(3000, 'x')};
  Run r = runProbe(args);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.exited);
  BOOST_TEST(r.status == 0);
  std::string want = "5:probe\n";
  for (const auto& a : args) want += std::to_string(a.size()) + ":" + a + "\n";
  BOOST_TEST(r.out == want);
}

BOOST_AUTO_TEST_CASE(argv0_is_the_program_argv_is_what_it_sees) {
  // argv0 names the file; argv[0] is only what the program is told.
  gs::ProcAttr attr;
  Pipe out;
  Fd null = devNull();
  attr.Files = {null.u(), out.w.u(), 2};
  auto [pid, err] = gs::ForkExec(kProbe, {"not-the-probe-name", "argv", "x"}, &attr);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  out.w.reset();
  BOOST_TEST(readAll(out.r.get()) == "18:not-the-probe-name\n4:argv\n1:x\n");
  BOOST_TEST(wait4(pid).ExitStatus() == 0);
}

BOOST_AUTO_TEST_CASE(env_exact, *skip::when(skip::envRebuilt)) {
  setenv("GOSYSCALL_PARENT_ONLY", "leak", 1);  // must not reach the child
  gs::ProcAttr attr;
  attr.Env = {"A=1", "B=two words", "EMPTY=", "EQ=x=y=z", "NOEQUALS", "A=dup", "U=ünï"};
  Run r = runProbe({"env"}, attr);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.status == 0);
  std::vector<std::string> got = lines(r.out);
  BOOST_TEST(got == attr.Env, boost::test_tools::per_element());
  unsetenv("GOSYSCALL_PARENT_ONLY");
}

BOOST_AUTO_TEST_CASE(env_empty_is_empty) {
  setenv("GOSYSCALL_PARENT_ONLY", "leak", 1);
  Run r = runProbe({"env"});
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == "");
  unsetenv("GOSYSCALL_PARENT_ONLY");
}

BOOST_AUTO_TEST_CASE(dir_sets_the_working_directory) {
  TempDir d;
  std::string sub = d.path + "/sub dir";
  BOOST_TEST_REQUIRE(mkdir(sub.c_str(), 0755) == 0);
  gs::ProcAttr attr;
  attr.Dir = sub;
  Run r = runProbe({"cwd"}, attr);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.out == std::filesystem::canonical(sub).string() + "\n");

  // "" keeps the parent's working directory.
  Run same = runProbe({"cwd"});
  BOOST_TEST_REQUIRE(same.err == gs::Errno{});
  BOOST_TEST(same.out == std::filesystem::current_path().string() + "\n");

  // A relative Dir is relative to the parent's working directory, and the
  // parent's own working directory does not change.
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(d.path);
  attr.Dir = "sub dir";
  Run rel = runProbe({"cwd"}, attr);
  std::filesystem::current_path(cwd);
  BOOST_TEST_REQUIRE(rel.err == gs::Errno{});
  BOOST_TEST(rel.out == std::filesystem::canonical(sub).string() + "\n");
  BOOST_TEST(std::filesystem::current_path() == cwd);
}

BOOST_AUTO_TEST_CASE(files_pipe_as_stdout_and_exact_fd_set) {
  // The child has exactly Files: 0, 1, 2, none other, none close-on-exec,
  // each the open file the parent named.
  Pipe out;
  Fd null = devNull();
  gs::ProcAttr attr;
  attr.Files = {null.u(), kOut, 2};
  const std::string t0 = fdTarget(null.get()), t2 = fdTarget(2);
  Run r = runProbe({"fds"}, attr);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  auto fds = parseFds(r.out);
  BOOST_TEST(keys(fds) == (std::set<int>{0, 1, 2}), boost::test_tools::per_element());
  BOOST_TEST(fds[0].target == t0);
  BOOST_TEST(fds[1].target.rfind("pipe:", 0) == 0u);
  BOOST_TEST(fds[2].target == t2);
  for (auto& kv : fds) BOOST_TEST(!kv.second.cloexec, "fd " << kv.first << " is close-on-exec");
}

BOOST_AUTO_TEST_CASE(files_closed_entry_is_closed_in_child) {
  // Files = {null, out, -1, -1, extra}: 2 and 3 closed, 4 = extra. fd 2 is
  // open (stderr) in the parent: closing it is the library's doing.
  Pipe extra;
  Fd null = devNull();
  gs::ProcAttr attr;
  attr.Files = {null.u(), kOut, kClosed, kClosed, extra.w.u()};
  Run r = runProbe({"fds"}, attr);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.status == 0);
  auto fds = parseFds(r.out);
  BOOST_TEST(keys(fds) == (std::set<int>{0, 1, 4}), boost::test_tools::per_element());
  BOOST_TEST(fds[4].target == fdTarget(extra.w.get()));
  BOOST_TEST(!fds[4].cloexec);

  // A closed stdin, with the parent's fd 0 open.
  attr.Files = {kClosed, kOut, 2};
  Run r2 = runProbe({"fds"}, attr);
  BOOST_TEST_REQUIRE(r2.err == gs::Errno{});
  BOOST_TEST(keys(parseFds(r2.out)) == (std::set<int>{1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(fewer_than_three_files_closes_the_rest_of_stdio) {
  // One entry: the child's fd 0 is the pipe, 1 and 2 are closed although
  // the parent's 1 and 2 are open. The probe reports on fd 0.
  gs::ProcAttr attr;
  attr.Files = {kOut};
  Run r = runProbe({"@0", "fds"}, attr);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(keys(parseFds(r.out)) == (std::set<int>{0}), boost::test_tools::per_element());

  // Two entries.
  attr.Files = {kOut, kOut};
  Run r2 = runProbe({"@1", "fds"}, attr);
  BOOST_TEST_REQUIRE(r2.err == gs::Errno{});
  BOOST_TEST(keys(parseFds(r2.out)) == (std::set<int>{0, 1}), boost::test_tools::per_element());

  // No Files, and no ProcAttr at all: not one fd open in the child.
  for (bool null_attr : {false, true}) {
    gs::ProcAttr empty;
    auto [pid, err] = gs::ForkExec(kProbe, {"probe", "count-fds"}, null_attr ? nullptr : &empty);
    BOOST_TEST_REQUIRE(err == gs::Errno{});
    gs::WaitStatus ws = wait4(pid);
    BOOST_TEST(ws.Exited());
    BOOST_TEST(ws.ExitStatus() == 0, "open fds in the child: " << ws.ExitStatus());
  }
}

BOOST_AUTO_TEST_CASE(the_same_fd_twice) {
  gs::ProcAttr attr;
  attr.Files = {kClosed, kOut, kOut, kOut};
  Run r = runProbe({"write-fd", "1", "a", "2", "b", "3", "c"}, attr);
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.out == "abc");
}

BOOST_AUTO_TEST_CASE(start_process) {
  Pipe out;
  Fd null = devNull();
  gs::ProcAttr attr;
  attr.Files = {null.u(), out.w.u(), 2};
  auto [pid, handle, err] = gs::StartProcess(kProbe, {"probe", "exit", "7"}, &attr);
  BOOST_TEST_REQUIRE(err == gs::Errno{});
  BOOST_TEST(pid > 0);
  BOOST_TEST(handle == 0u);
  gs::WaitStatus ws = wait4(pid);
  BOOST_TEST(ws.ExitStatus() == 7);

  auto [pid2, handle2, err2] = gs::StartProcess("/nonexistent/prog", {"prog"}, &attr);
  BOOST_TEST(err2 == gs::ENOENT_);
  BOOST_TEST(pid2 == 0);
  BOOST_TEST(handle2 == 0u);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(child_signal_state_is_clean) {
  // A handler of the parent's must not be inherited as a handler (execve
  // resets it anyway, so this checks the exec'd program sees defaults and
  // the parent's mask), and the parent's state is unchanged afterwards.
  struct sigaction sa {};
  sa.sa_handler = [](int) {};
  struct sigaction old1, old2;
  sigaction(SIGUSR1, &sa, &old1);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGUSR2, &sa, &old2);
  sigset_t block, oldmask;
  sigemptyset(&block);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &oldmask);

  Run r = runProbe({"sigs"});

  sigset_t now;
  sigprocmask(SIG_SETMASK, &oldmask, &now);
  struct sigaction cur1;
  sigaction(SIGUSR1, &old1, &cur1);
  sigaction(SIGUSR2, &old2, nullptr);

  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  auto l = lines(r.out);
  BOOST_TEST_REQUIRE(l.size() == 3u);
  BOOST_TEST(l[0] == "blocked " + std::to_string(SIGHUP));  // the parent's mask
  BOOST_TEST(l[1] == "caught");
  BOOST_TEST(l[2] == "ignored " + std::to_string(SIGUSR2));  // SIG_IGN survives execve
  // The parent: mask and handler as they were before ForkExec.
  BOOST_TEST(sigismember(&now, SIGHUP) == 1);
  BOOST_TEST(sigismember(&now, SIGUSR1) == 0);
  BOOST_TEST(cur1.sa_handler != SIG_DFL);
}

BOOST_AUTO_TEST_CASE(no_handler_of_the_parent_runs_in_the_child, *skip::when(skip::noPtrace)) {
  // A signal that reaches the child between clone and execve must meet the
  // default action, never a handler of the parent's (which would run on the
  // parent's data in the child). Made deterministic with ptrace: P installs
  // a SIGUSR1 handler that reports on a pipe, then calls ForkExec; we catch
  // the new child G at its creation, queue SIGUSR1 on it (blocked there:
  // the library blocks every signal across the clone) and let it go. The
  // handlers must be reset before the mask is restored: G dies of SIGUSR1
  // before execve, and the handler never runs.
  Pipe report, go, result;
  const pid_t p = fork();
  BOOST_TEST_REQUIRE(p >= 0);
  if (p == 0) {
    report.r.reset();
    go.w.reset();
    result.r.reset();
    reportIfHandlerRuns(SIGUSR1, report.w.get());
    char c;
    if (read(go.r.get(), &c, 1) != 1) _exit(70);
    Fd null = devNull();
    gs::ProcAttr attr;
    attr.Files = {null.u(), null.u(), 2};
    auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
    std::string msg = "ForkExec: " + err.Error();
    if (!err) {
      int st = 0;
      waitpid(pid, &st, 0);
      msg = describe(st);
    }
    writeAll(result.w.get(), msg);
    _exit(0);
  }
  report.w.reset();
  go.r.reset();
  result.w.reset();
  const int g = seizeAndCatchChild(p, go.w.get());
  BOOST_TEST(kill(g, SIGUSR1) == 0);
  BOOST_TEST(ptrace(PTRACE_DETACH, g, nullptr, nullptr) == 0);
  BOOST_TEST(ptrace(PTRACE_DETACH, p, nullptr, nullptr) == 0);
  const std::string res = readAll(result.r.get());
  BOOST_TEST(describe(waitStatus(p)) == "exited 0");
  BOOST_TEST(readAll(report.r.get()) == "");
  // G died of the signal before execve; as Go, the parent cannot tell that
  // from an exec that succeeded (the status pipe closed without a word).
  BOOST_TEST(res == "killed by signal " + std::to_string(SIGUSR1));
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(no_fd_leaked_into_the_parent) {
  const std::set<int> before = openFds();
  for (int i = 0; i < 20; i++) {
    Run ok = runProbe({"exit", "0"});
    BOOST_TEST_REQUIRE(ok.err == gs::Errno{});
    Run bad = runProbe({"exit", "0"}, gs::ProcAttr{}, "/nonexistent");
    BOOST_TEST_REQUIRE(bad.err == gs::ENOENT_);
  }
  BOOST_TEST(openFds() == before, boost::test_tools::per_element());
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(no_fd_of_the_parent_leaks_into_the_child) {
  // The parent holds close-on-exec fds at numbers around where the library
  // puts its own (status pipe, pidfd); none reaches the child.
  std::vector<Pipe> pipes(4);
  Run r = runProbe({"fds"});
  BOOST_TEST_REQUIRE(r.err == gs::Errno{});
  BOOST_TEST(keys(parseFds(r.out)) == (std::set<int>{0, 1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
