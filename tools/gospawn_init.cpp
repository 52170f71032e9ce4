// SPDX-License-Identifier: BSD-3-Clause
// gospawn's init (see gospawn_init.hpp).
#include "tools/gospawn_init.hpp"

#include <sys/mount.h>
#include <sys/prctl.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "syscall/syscall.hpp"

namespace gospawn {

namespace gs = go::syscall;

namespace {

// The init is gospawn's own binary, whichever path started gospawn and even
// if that file was replaced meanwhile: the kernel's link to the running
// executable, which the child resolves before any chroot. It needs /proc
// mounted where gospawn runs, as every container has.
constexpr char kSelf[] = "/proc/self/exe";

// A mask travels as /proc's SigBlk shows one: 16 hex digits, signal n at
// bit n-1.
std::string encode(const sigset_t& set) {
  uint64_t bits = 0;
  for (int sig = 1; sig < int(gs::NSIG_); sig++)
    if (sigismember(&set, sig) == 1) bits |= uint64_t{1} << (sig - 1);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, bits);
  return hex;
}

sigset_t decode(const char* hex) {
  const uint64_t bits = std::strtoull(hex, nullptr, 16);
  sigset_t set;
  sigemptyset(&set);
  for (int sig = 1; sig < int(gs::NSIG_); sig++)
    if (bits & (uint64_t{1} << (sig - 1))) sigaddset(&set, sig);  // glibc's 32 and 33 fail: fine
  return set;
}

}  // namespace

bool TakeInitArgs(int* argc, char** argv, sigset_t* restore) {
  if (*argc < 2 || std::strcmp(argv[0], kInitName) != 0) return false;
  *restore = decode(argv[1]);
  for (int i = 1; i < *argc; i++) argv[i] = argv[i + 1];  // argv[argc] is the terminating null
  (*argc)--;
  // The kernel named the process after the file it ran ("exe"): ps should
  // show gospawn.
  prctl(PR_SET_NAME, "gospawn", 0, 0, 0);
  return true;
}

std::pair<std::string, std::vector<std::string>> InitCommand(int argc, char** argv,
                                                             const sigset_t& restore) {
  std::vector<std::string> args = {kInitName, encode(restore)};
  args.insert(args.end(), argv + 1, argv + argc);
  return {kSelf, args};
}

bool MountProc(const std::string& dir, const std::string& path) {
  // As unshare(1): nosuid, noexec, nodev. The init's mount namespace is new
  // and private (gospawn_linux.cpp), so the mount stays inside it.
  if (mount("proc", path.c_str(), "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, nullptr) == 0)
    return true;
  std::fprintf(stderr, "gospawn: cannot mount proc on '%s': %s\n", dir.c_str(),
               gs::Errno{gs::uintptr(errno)}.Error().c_str());
  return false;
}

}  // namespace gospawn
