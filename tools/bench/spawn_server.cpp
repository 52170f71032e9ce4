// SPDX-License-Identifier: BSD-3-Clause
// spawn_server: the C++ side of the spawn benchmark (tools/bench/run).
//
//   spawn_server RSS_MIB
//
// Maps RSS_MIB MiB of anonymous memory and writes to every page, so that it
// is resident in this process, prints "ready", then answers lines
// "PEER TARGET N" from stdin with one line of N times, in µs, each of one
// spawn of TARGET (no arguments) and the wait for it. PEER is one of:
//   forkexec     go::syscall::ForkExec + Wait4 (this project)
//   posix_spawn  glibc's posix_spawn + waitpid
//   fork_execve  fork, execve in the child, waitpid
//   boost        Boost.Process v1's child(exe=TARGET).wait() (fork-based)
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "syscall/syscall.hpp"

#if __has_include(<boost/process.hpp>)
#include <boost/process.hpp>
#define HAVE_BOOST_PROCESS 1
#endif

extern char** environ;

namespace {

namespace gs = go::syscall;

[[noreturn]] void die(const std::string& what) {
  std::cerr << "spawn_server: " << what << "\n";
  std::exit(1);
}

// holdMemory makes mib MiB resident: every page written once. Huge pages
// are declined so that the page tables a fork copies are those of 4 KiB
// pages, as for most heaps.
void holdMemory(size_t mib) {
  const size_t n = mib << 20;
  void* p = mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) die("mmap");
  madvise(p, n, MADV_NOHUGEPAGE);
  const long page = sysconf(_SC_PAGESIZE);
  for (size_t i = 0; i < n; i += size_t(page)) static_cast<volatile char*>(p)[i] = 1;
}

void waitFor(pid_t pid) {
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) die("waitpid");
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) die("the target failed");
}

// One spawn + wait per call, by each peer. ForkExec's attr is made once,
// as a caller keeps its configuration; posix_spawn gets environ as it is.
void viaForkExec(const std::string& target, const gs::ProcAttr& attr) {
  auto [pid, err] = gs::ForkExec(target, {target}, &attr);
  if (err) die("ForkExec: " + err.Error());
  gs::WaitStatus ws;
  while (gs::Wait4(pid, &ws, 0, nullptr).second == gs::EINTR_) {
  }
  if (!ws.Exited() || ws.ExitStatus() != 0) die("the target failed");
}

void viaPosixSpawn(const std::string& target) {
  pid_t pid;
  char* argv[] = {const_cast<char*>(target.c_str()), nullptr};
  if (posix_spawn(&pid, target.c_str(), nullptr, nullptr, argv, environ) != 0) die("posix_spawn");
  waitFor(pid);
}

void viaForkExecve(const std::string& target) {
  char* argv[] = {const_cast<char*>(target.c_str()), nullptr};
  const pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    execve(target.c_str(), argv, environ);
    _exit(127);
  }
  waitFor(pid);
}

#ifdef HAVE_BOOST_PROCESS
void viaBoost(const std::string& target) {
  boost::process::child c(boost::process::exe = target);
  c.wait();
  if (c.exit_code() != 0) die("the target failed");
}
#endif

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) die("usage: spawn_server RSS_MIB");
  holdMemory(size_t(std::stoul(argv[1])));
  gs::ProcAttr attr;  // the same environment and stdio as the other peers
  for (char** e = environ; *e; e++) attr.Env.push_back(*e);
  attr.Files = {0, 1, 2};
  std::cout << "ready" << std::endl;

  for (std::string line; std::getline(std::cin, line);) {
    std::istringstream in(line);
    std::string peer, target;
    int n = 0;
    in >> peer >> target >> n;
    std::ostringstream out;
    for (int i = 0; i < n; i++) {
      const auto t0 = std::chrono::steady_clock::now();
      if (peer == "forkexec") {
        viaForkExec(target, attr);
      } else if (peer == "posix_spawn") {
        viaPosixSpawn(target);
      } else if (peer == "fork_execve") {
        viaForkExecve(target);
#ifdef HAVE_BOOST_PROCESS
      } else if (peer == "boost") {
        viaBoost(target);
#endif
      } else {
        die("unknown peer " + peer);
      }
      const std::chrono::duration<double, std::micro> us = std::chrono::steady_clock::now() - t0;
      out << (i ? " " : "") << us.count();
    }
    std::cout << out.str() << std::endl;
  }
}
