// SPDX-License-Identifier: BSD-3-Clause
// libFuzzer target: ForkExec of a fixed harmless program (/bin/true) with a
// ProcAttr and SysProcAttr built from the input: strings with and without
// NUL bytes, Files tables with valid, closed and impossible entries, every
// SysProcAttr field, credentials possible and impossible. Whatever the
// input, the result must be one of:
//   - an Errno, pid 0, and no child left (none made, or the one made reaped);
//   - a pid, whose child exits 0 (or, with Ptrace, stops at execve);
// and in both cases this process's fd table is as it was before.
// Any other outcome aborts, which libFuzzer reports as a crash with the input.
// Built and run by tools/fuzz.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "syscall/syscall.hpp"

namespace gs = go::syscall;

namespace {

// Input reads bytes off the front of the fuzzer's input; 0 once it is used up.
struct Input {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    n--;
    return *p++;
  }
  bool flag() { return byte() & 1; }
  uint32_t u32() {
    return uint32_t(byte()) | uint32_t(byte()) << 8 | uint32_t(byte()) << 16 |
           uint32_t(byte()) << 24;
  }
  // str is a short string of input bytes (NUL bytes included).
  std::string str() {
    std::string s;
    for (size_t len = byte() % 12; len > 0; len--) s += char(byte());
    return s;
  }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[byte() % v.size()];
  }
};

[[noreturn]] void broken(const char* what, int detail) {
  fprintf(stderr, "fuzz_forkexec: invariant broken: %s (%d)\n", what, detail);
  abort();
}

std::set<int> openFds() {
  std::set<int> fds;
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) broken("opendir /proc/self/fd", errno);
  const int self = dirfd(d);
  while (dirent* e = readdir(d))
    if (e->d_name[0] != '.' && atoi(e->d_name) != self) fds.insert(atoi(e->d_name));
  closedir(d);
  return fds;
}

bool noChildren() {
  siginfo_t si{};
  return waitid(P_ALL, 0, &si, WEXITED | WSTOPPED | WNOHANG | WNOWAIT | __WALL) == -1 &&
         errno == ECHILD;
}

// Two /dev/null fds, opened once, close-on-exec, for Files to name.
int nullFd(int i) {
  static const int fds[2] = {open("/dev/null", O_RDWR | O_CLOEXEC),
                             open("/dev/null", O_RDONLY | O_CLOEXEC)};
  return fds[i];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace std::string_literals;
  Input in{data, size};
  nullFd(0);  // opened at the first run, before the fd table is counted
  const std::set<int> before = openFds();

  const std::string argv0 = in.pick(std::vector<std::string>{
      "/bin/true", "/bin/true", "/bin/true", "/bin/true\0x"s, "/nonexistent", "", "/"});
  std::vector<std::string> argv;
  for (int k = in.byte() % 4; k > 0; k--) argv.push_back(in.flag() ? "true" : in.str());
  gs::ProcAttr attr;
  for (int k = in.byte() % 3; k > 0; k--) attr.Env.push_back(in.str());
  attr.Dir = in.pick(
      std::vector<std::string>{"", "", "/", "/tmp", "/nonexistent", "/etc/passwd", "/tmp\0"s});
  const std::vector<gs::uintptr> files = {
      gs::uintptr(nullFd(0)), gs::uintptr(nullFd(1)), ~gs::uintptr(0),     gs::uintptr(980),
      gs::uintptr(-2),        gs::uintptr(INT_MAX),   gs::uintptr(1) << 40};
  for (int k = in.byte() % 6; k > 0; k--) attr.Files.push_back(in.pick(files));

  gs::SysProcAttr sys;
  gs::Credential cred;
  if (in.flag()) {
    attr.Sys = &sys;
    sys.Chroot = in.pick(std::vector<std::string>{"", "", "/", "/nonexistent", "/etc/passwd"});
    if (in.flag()) {
      const std::vector<uint32_t> ids = {0, 65534, 0xFFFFFFFFu, 1000};
      cred.Uid = in.flag() ? in.pick(ids) : in.u32();
      cred.Gid = in.flag() ? in.pick(ids) : in.u32();
      for (int k = in.byte() % 3; k > 0; k--) cred.Groups.push_back(in.pick(ids));
      sys.Credential = &cred;
    }
    const uint8_t bits = in.byte();
    sys.Ptrace = bits & 1;
    sys.Setsid = bits & 2;
    sys.Setpgid = bits & 4;
    sys.Setctty = bits & 8;
    sys.Noctty = bits & 16;
    sys.CloseFds = bits & 32;
    sys.PdeathsigProcessLifetime = bits & 64;
    sys.Pdeathsig = gs::Signal(int(int8_t(in.byte())) % 70);  // -69..69: some out of range
  }

  auto [pid, err] = gs::ForkExec(argv0, argv, &attr);
  if (err) {
    if (pid != 0) broken("an error with a pid", pid);
  } else {
    if (pid <= 0) broken("success without a pid", pid);
    int st = 0;
    while (waitpid(pid, &st, __WALL) != pid)
      if (errno != EINTR) broken("waitpid", errno);
    if (WIFSTOPPED(st)) {
      // Ptrace: stopped at execve by SIGTRAP; end it.
      if (!sys.Ptrace || WSTOPSIG(st) != SIGTRAP) broken("stopped", st);
      kill(pid, SIGKILL);
      while (waitpid(pid, &st, __WALL) != pid)
        if (errno != EINTR) broken("waitpid", errno);
    } else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      broken("/bin/true did not exit 0", st);
    }
  }
  // (tools/fuzz runs with -print_funcs=0: libFuzzer would otherwise start
  // llvm-symbolizer as a child of this process.)
  if (!noChildren()) broken("a child is left", pid);
  if (openFds() != before) broken("the fd table changed", int(openFds().size()));
  return 0;
}
