// SPDX-License-Identifier: BSD-3-Clause
// The fd shuffle: child fd i = Files[i], whatever the numbers of the source
// fds, of the status pipe and of the fds in between. Each child fd is proved
// to be the intended file by writing a distinct token through it and reading
// it back from the other end of the intended pipe.
//
// Cases with small fd numbers run in a forked helper whose fd table is laid
// out exactly: pipes at 0..n-1 (close-on-exec, as a Go runtime's are), then
// k filler fds, then nothing below kHelperFd; so the status pipe lands at
// n+k and n+k+1, at every position relative to Files in turn.
#include <algorithm>

#include "exec_helpers.hpp"

using namespace th;

namespace {

std::string token(size_t i) { return "<t" + std::to_string(i) + ">"; }

// writeArgs: `probe write-fd i token(i)` for every open entry of files.
std::vector<std::string> writeArgs(const std::vector<int>& files) {
  std::vector<std::string> argv{"probe", "write-fd"};
  for (size_t i = 0; i < files.size(); i++)
    if (files[i] >= 0) {
      argv.push_back(std::to_string(i));
      argv.push_back(token(i));
    }
  return argv;
}

std::vector<gs::uintptr> toFiles(const std::vector<int>& files) {
  std::vector<gs::uintptr> v;
  for (int f : files) v.push_back(f < 0 ? kClosed : gs::uintptr(f));
  return v;
}

// What pipe j must receive: the tokens of every i with files[i] == j.
std::string expected(const std::vector<int>& files, int j) {
  std::string s;
  for (size_t i = 0; i < files.size(); i++)
    if (files[i] == j) s += token(i);
  return s;
}

// layout moves the helper's fds into place: pipe j's write end at fd j
// (close-on-exec), k /dev/null fillers right above, nothing else below
// kHelperFd. Returns "" or what went wrong.
std::string layout(std::vector<Pipe>& pipes, int k) {
  std::vector<int> high;
  for (size_t j = 0; j < pipes.size(); j++) {
    high.push_back(fcntl(pipes[j].w.get(), F_DUPFD_CLOEXEC, 500));
    if (high.back() < 0) return "F_DUPFD_CLOEXEC failed";
  }
  const int n = int(pipes.size());
  for (int fd : openFds())
    if (fd >= 3 && fd < 500) close(fd);  // every Pipe's original fds too
  for (int j = 0; j < n; j++) {
    if (dup3(high[j], j, O_CLOEXEC) != j) return "dup3 failed";
    close(high[j]);
  }
  closeFdsFrom(std::max(n, 3));
  for (int i = 0; i < k; i++)
    if (open("/dev/null", O_RDONLY | O_CLOEXEC) != std::max(n, 3) + i) return "filler misplaced";
  return "";
}

// shuffleCase runs, in a helper laid out with npipes pipes and k fillers,
// the probe with Files = files and checks that every pipe received exactly
// the tokens of the child fds that were its duplicates; then an exec of a
// directory with the same Files, which must fail with EACCES (Go issue
// 14979: the status pipe must survive the shuffle for the error to arrive).
void shuffleCase(const std::vector<int>& files, int npipes, int k) {
  BOOST_TEST_CONTEXT("Files {" <<
                     [&] {
    std::string s;
    for (int f : files) s += std::to_string(f) + ",";
    return s;
  }() << "} pipes "
      << npipes << " fillers " << k) {
    std::vector<Pipe> pipes(static_cast<size_t>(npipes));
    std::string msg = inHelper([&]() -> std::string {
      if (std::string m = layout(pipes, k); !m.empty()) return m;
      const std::set<int> before = openFds();
      gs::ProcAttr attr;
      attr.Files = toFiles(files);
      auto [pid, err] = gs::ForkExec(kProbe, writeArgs(files), &attr);
      if (err) return "ForkExec: " + err.Error();
      int st = waitStatus(pid);
      if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return "probe " + describe(st);

      auto [pid2, err2] = gs::ForkExec("/", {"/"}, &attr);
      if (err2 != gs::EACCES_) return "exec of / gave Errno " + err2.Error() + ", want EACCES";
      if (pid2 != 0 || !noChildren()) return "exec of /: a child is left behind";
      if (openFds() != before) return "the helper's fd table changed";
      return "";
    });
    BOOST_TEST(msg == "");
    for (int j = 0; j < npipes; j++) {
      pipes[size_t(j)].w.reset();
      BOOST_TEST(readAll(pipes[size_t(j)].r.get()) == expected(files, j), "pipe " << j);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fdshuffle)

BOOST_AUTO_TEST_CASE(issue14979_permuted_stdio_exec_of_directory) {
  // As Go's TestExecErrPermutedFds, in this process as it is.
  gs::ProcAttr attr;
  attr.Files = {0, 2, 1};
  auto [pid, err] = gs::ForkExec("/", {"/"}, &attr);
  BOOST_TEST(err == gs::EACCES_);
  BOOST_TEST(pid == 0);
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(permutations_of_stdio) {
  const std::vector<std::vector<int>> perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                               {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  for (int k = 0; k < 4; k++)
    for (const auto& p : perms) shuffleCase(p, 3, k);
}

BOOST_AUTO_TEST_CASE(cycles_and_short_tables) {
  for (int k = 0; k < 3; k++) {
    shuffleCase({1, 0}, 2, k);  // swap; the child's fd 2 closed
    shuffleCase({1, 0}, 3, k);
    shuffleCase({2, 0, 1}, 3, k);     // a 3-cycle
    shuffleCase({1, 2, 3, 0}, 4, k);  // a 4-cycle reaching fd 3
    shuffleCase({3, 2, 1, 0}, 4, k);  // two swaps
    shuffleCase({0}, 1, k);           // only stdin
    shuffleCase({2}, 3, k);           // fd 0 from fd 2; 1 and 2 closed
  }
}

BOOST_AUTO_TEST_CASE(duplicates_and_closed_entries) {
  for (int k = 0; k < 3; k++) {
    shuffleCase({1, 1, 1}, 3, k);
    shuffleCase({2, 2, 0, 0}, 3, k);
    shuffleCase({-1, 0, -1, 2}, 3, k);
    shuffleCase({1, -1, 0}, 3, k);
    shuffleCase({0, 1, 2, 3, 3, 2, 1, 0}, 4, k);  // fds 4..7 from the low ones
  }
}

BOOST_AUTO_TEST_CASE(identity_clears_close_on_exec) {
  // Files[i] == i: nothing to move, but the fd is close-on-exec in the
  // helper (layout makes every pipe so) and must be open in the child.
  for (int k = 0; k < 3; k++) {
    shuffleCase({0, 1, 2, 3}, 4, k);
    shuffleCase({0, 1, 2, 3, 4, 5}, 6, k);
  }
  // And the child sees each as not close-on-exec.
  Pipe out;
  std::string msg = inHelper([&]() -> std::string {
    std::vector<Pipe> lay(4);
    lay[1] = std::move(out);  // the report goes through child fd 1
    if (std::string m = layout(lay, 0); !m.empty()) return m;
    gs::ProcAttr attr;
    attr.Files = {0, 1, 2, 3};
    auto [pid, err] = gs::ForkExec(kProbe, {"probe", "fds"}, &attr);
    if (err) return "ForkExec: " + err.Error();
    int st = waitStatus(pid);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "" : "probe " + describe(st);
  });
  BOOST_TEST_REQUIRE(msg == "");
  out.w.reset();
  auto fds = parseFds(readAll(out.r.get()));
  BOOST_TEST(keys(fds) == (std::set<int>{0, 1, 2, 3}), boost::test_tools::per_element());
  for (auto& kv : fds) BOOST_TEST(!kv.second.cloexec, "fd " << kv.first);
}

BOOST_AUTO_TEST_CASE(source_fds_above_len_files) {
  // Sources far above len(Files): nothing needs moving out of the way, but
  // each must land at its own place. Placed at exact numbers with dup3.
  auto at = [](int fd, const Pipe& p) {
    if (fcntl(fd, F_GETFD) >= 0) fail("fd " + std::to_string(fd) + " is in use");
    if (dup3(p.w.get(), fd, O_CLOEXEC) != fd) fail("dup3");
    return Fd(fd);
  };
  Pipe a, b, c;
  Fd fa = at(120, a), fb = at(130, b), fc = at(125, c);
  a.w.reset();
  b.w.reset();
  c.w.reset();
  for (const auto& files : std::vector<std::vector<int>>{
           {120, 130, 125}, {130, 125, 120}, {125, 125, 130, 120}, {-1, 130}, {120, -1, -1, 130}}) {
    gs::ProcAttr attr;
    attr.Files = toFiles(files);
    auto [pid, err] = gs::ForkExec(kProbe, writeArgs(files), &attr);
    BOOST_TEST_REQUIRE(err == gs::Errno{});
    BOOST_TEST(wait4(pid).ExitStatus() == 0);
    // Read what arrived so far: the child has exited, its writes are in.
    for (auto [fd, pipe] : {std::pair{120, &a}, {130, &b}, {125, &c}}) {
      std::string got;
      char buf[256];
      while (pollIn(pipe->r.get(), 0)) {
        ssize_t n = read(pipe->r.get(), buf, sizeof buf);
        if (n <= 0) break;
        got.append(buf, size_t(n));
      }
      BOOST_TEST(got == expected(files, fd), "fd " << fd);
    }
    // And the exec failure still arrives.
    auto [pid2, err2] = gs::ForkExec("/", {"/"}, &attr);
    BOOST_TEST(err2 == gs::EACCES_);
  }
  BOOST_TEST(noChildren());
}

BOOST_AUTO_TEST_CASE(files_naming_the_status_pipe_slot) {
  // In a helper with only 0..2 open (and k fillers), the status pipe will be
  // made at 3+k and 4+k. A Files entry naming either names a closed fd:
  // EBADF, never the status pipe handed to the child (which would make the
  // child's exec look like a failure, or its failure like success).
  for (int k = 0; k < 3; k++) {
    for (int slot = 0; slot < 3; slot++) {
      std::vector<Pipe> pipes(3);
      std::string msg = inHelper([&]() -> std::string {
        if (std::string m = layout(pipes, k); !m.empty()) return m;
        const std::set<int> before = openFds();
        for (const auto& files : std::vector<std::vector<int>>{
                 {0, 1, 2, 3 + k + slot}, {3 + k + slot, 0, 1}, {2, 1, 0, -1, 3 + k + slot}}) {
          gs::ProcAttr attr;
          attr.Files = toFiles(files);
          auto [pid, err] = gs::ForkExec(kProbe, {"probe", "exit", "0"}, &attr);
          if (err != gs::EBADF_) return "Errno " + err.Error() + ", want EBADF";
          if (pid != 0 || !noChildren()) return "a child is left behind";
          if (openFds() != before) return "fd leaked";
        }
        return "";
      });
      BOOST_TEST(msg == "", "fillers " << k << " slot " << slot);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
