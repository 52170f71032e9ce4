// SPDX-License-Identifier: BSD-3-Clause
// LiveProbe: a `probe wait` child that stays alive while a suite looks at
// it from outside (/proc/<pid>/...), then ends when its stdin is closed.
// And a precondition for kernel features a container may deny. Included
// after exec_helpers.hpp by the suites of today's Linux attributes.
#pragma once

#include <sys/mount.h>

#include <sched.h>

#include "exec_helpers.hpp"
#include "skip.hpp"

namespace th {

struct LiveProbe {
  Pipe in, out;
  int pid = 0;
  gs::Errno err;
  std::string ready;  // the probe's "ready <its own getpid()>" line

  // Starts `probe wait` (program: kProbe or a copy) with sys; err says
  // whether ForkExec failed (then there is no child).
  explicit LiveProbe(gs::SysProcAttr* sys, const std::string& program = kProbe,
                     std::vector<gs::uintptr> extra = {}) {
    gs::ProcAttr attr;
    attr.Files = {in.r.u(), out.w.u(), 2};
    attr.Files.insert(attr.Files.end(), extra.begin(), extra.end());
    attr.Sys = sys;
    std::tie(pid, err) = gs::ForkExec(program, {"probe", "wait"}, &attr);
    in.r.reset();
    out.w.reset();
    if (!err) ready = readLine(out.r.get());
  }
  LiveProbe(const LiveProbe&) = delete;
  LiveProbe& operator=(const LiveProbe&) = delete;
  ~LiveProbe() {
    if (pid > 0) finish();
  }

  // The probe's pid in its own pid namespace, from its ready line.
  long innerPid() const { return ready.rfind("ready ", 0) == 0 ? std::stol(ready.substr(6)) : -1; }

  // finish closes the probe's stdin and reaps it; the raw wait status.
  int finish() {
    in.w.reset();
    const int st = waitStatus(pid);
    pid = 0;
    return st;
  }
};

// nsLink is /proc/<pid>/ns/<name>, e.g. "net:[4026531840]".
inline std::string nsLink(int pid, const std::string& name) {
  char buf[256];
  const std::string path = "/proc/" + std::to_string(pid) + "/ns/" + name;
  ssize_t n = readlink(path.c_str(), buf, sizeof buf);
  if (n < 0) fail("readlink " + path);
  return std::string(buf, size_t(n));
}

inline std::string readFile(const std::string& path) {
  std::ifstream f(path);
  if (!f) fail("open " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// squeeze: runs of blanks become one space (uid_map pads its columns).
inline std::string squeeze(const std::string& s) {
  std::string r;
  bool blank = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !r.empty() && r.back() != '\n') r += ' ';
    blank = false;
    r += c;
  }
  return r;
}

// CanUnshare: a precondition that the kernel lets this process unshare
// flags (tried in a forked helper). A container without the right skips
// the test with the kernel's answer as the reason (a SKIPPED line, as
// skip::when prints). Under qemu-user, unshare(CLONE_NEWUSER) is EINVAL:
// the emulator's own threads make every guest process multithreaded,
// which the kernel refuses a new user namespace.
// With CLONE_NEWNS (and remount, as for Unshareflags) it also makes every
// mount private, as the library's child does after unshare: the kernel
// refuses that (EINVAL) where / is not a mount point, as in a bare chroot.
struct CanUnshare {
  int flags;
  const char* what;
  bool remount = true;
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id id) const {
    std::string msg = inHelper([this]() -> std::string {
      if (unshare(flags) != 0) {
        std::string why =
            std::string("the kernel denies unshare(") + what + "): " + strerror(errno);
        if (errno == EINVAL && (flags & CLONE_NEWUSER) && !skip::emulator().empty())
          why +=
              " (under qemu-user the process is multithreaded: the emulator runs threads of its "
              "own)";
        return why;
      }
      if (remount && (flags & CLONE_NEWNS) &&
          mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return std::string("the kernel refuses to make / private (") + strerror(errno) +
               "): / is not a mount point here (a chroot?)";
      return "";
    });
    return skip::verdict(id, msg);
  }
};

// CanClone: as CanUnshare, and the flags can be passed to clone itself
// (Cloneflags), which qemu-user cannot do for namespace flags.
struct CanClone {
  int flags;
  const char* what;
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id id) const {
    const std::string why = skip::noNamespaceCloneflags();
    if (!why.empty()) return skip::verdict(id, std::string("Cloneflags ") + what + ": " + why);
    return CanUnshare{flags, what, false}(id);
  }
};

// CanMapIds: as CanClone(CLONE_NEWUSER) (the parent writes the maps only
// with Cloneflags), and this process may map host ids other than its own
// (root in the initial user namespace).
struct CanMapIds {
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id id) const {
    auto r = CanClone{CLONE_NEWUSER, "CLONE_NEWUSER"}(id);
    if (r && geteuid() != 0) {
      r = skip::verdict(id, "not root: mapping other host ids needs CAP_SETUID and CAP_SETGID");
    }
    return r;
  }
};

}  // namespace th
