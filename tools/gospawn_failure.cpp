// SPDX-License-Identifier: BSD-3-Clause
// What gospawn says when ForkExec did not start PROGRAM (see gospawn_failure.hpp).
#include "tools/gospawn_failure.hpp"

#include <cstdio>
#include <utility>

#include "tools/gospawn_exit.hpp"

namespace gospawn {

namespace gs = go::syscall;

namespace {

// KernelNeed: an option, the Errnos a kernel without the feature answers
// it with, and what it needs.
struct KernelNeed {
  bool given;
  std::initializer_list<gs::Errno> errs;
  const char* need;
};

// kernelNeed returns what the running kernel may lack for o, given err, or
// nullptr. Each feature is named with the release that brought it.
const char* kernelNeed(const Options& o, gs::Errno err) {
  const LinuxOptions& a = o.attrs;
  const KernelNeed needs[] = {
      // clone3 (5.3) answers ENOSYS where missing; its argument grew
      // CLONE_INTO_CGROUP's field in 5.7, which older ones refuse (E2BIG)
      // or do not know (EINVAL).
      {!a.cgroup.empty(),
       {gs::ENOSYS_, gs::E2BIG_, gs::EINVAL_},
       "--cgroup needs clone3 with CLONE_INTO_CGROUP (Linux 5.7)"},
      {(a.cloneflags & gs::CLONE_NEWCGROUP_) != 0,
       {gs::EINVAL_},
       "--unshare-cgroup needs CLONE_NEWCGROUP (Linux 4.6)"},
      // PR_CAP_AMBIENT (4.3); a capability newer than the kernel (CAP_BPF
      // and CAP_PERFMON came in 5.8) is EINVAL as well.
      {!a.caps.empty(),
       {gs::EINVAL_},
       "--ambient-cap needs PR_CAP_AMBIENT (Linux 4.3) and capabilities this kernel knows"},
  };
  for (const KernelNeed& n : needs)
    if (n.given)
      for (gs::Errno e : n.errs)
        if (err == e) return n.need;
  return nullptr;
}

// privileged lists the options given that need privilege in the caller's
// user namespace, for an EPERM.
std::string privileged(const Options& o) {
  std::string list;
  auto add = [&list](bool given, const char* name) {
    if (given) list += (list.empty() ? "" : ", ") + std::string(name);
  };
  const LinuxOptions& a = o.attrs;
  const bool newUser = (a.cloneflags & gs::CLONE_NEWUSER_) != 0 || a.mapRoot;
  add(o.haveUid, "--uid");
  add(o.haveGid, "--gid");
  add(o.haveGroups, "--groups");
  add(!o.chroot.empty() && !newUser, "--chroot");
  const std::pair<gs::uintptr, const char*> namespaces[] = {
      {gs::CLONE_NEWPID_, "--unshare-pid"}, {gs::CLONE_NEWNS_, "--unshare-mount"},
      {gs::CLONE_NEWNET_, "--unshare-net"}, {gs::CLONE_NEWUTS_, "--unshare-uts"},
      {gs::CLONE_NEWIPC_, "--unshare-ipc"}, {gs::CLONE_NEWCGROUP_, "--unshare-cgroup"}};
  for (const auto& [flag, name] : namespaces) add((a.cloneflags & flag) != 0 && !newUser, name);
  add(a.mountProc && !newUser, "--mount-proc");
  add(!a.caps.empty(), "--ambient-cap");
  add(!a.cgroup.empty(), "--cgroup");
  return list;
}

}  // namespace

int ReportStartFailure(const std::string& program, gs::Errno err, gs::ChildStep step,
                       const Options& o, bool init) {
  const std::string why = err.Error();
  if (init && step == gs::ChildStep::Execve) {
    std::fprintf(stderr, "gospawn: cannot start its init (/proc/self/exe): %s\n", why.c_str());
    return kExitFailure;
  }
  if (step == gs::ChildStep::Execve) {
    std::fprintf(stderr, "gospawn: %s: %s\n", program.c_str(), why.c_str());
    return err == gs::ENOENT_ ? kExitNotFound : kExitCannotExec;
  }
  if (const char* need = kernelNeed(o, err)) {
    std::fprintf(stderr, "gospawn: %s: %s\n", need, why.c_str());
    return kExitFailure;
  }
  const std::string what = step == gs::ChildStep::None ? program : gs::ChildStepName(step);
  const std::string options = err == gs::EPERM_ ? privileged(o) : "";
  std::fprintf(stderr, "gospawn: %s: %s%s%s%s\n", what.c_str(), why.c_str(),
               options.empty() ? "" : " (needs privilege: ", options.c_str(),
               options.empty() ? "" : ")");
  return kExitFailure;
}

}  // namespace gospawn
