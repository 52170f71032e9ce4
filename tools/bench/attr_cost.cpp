// SPDX-License-Identifier: BSD-3-Clause
// attr_cost: what each Linux SysProcAttr attribute adds to a spawn.
// ForkExec("/bin/true") + Wait4 per attribute, the attributes interleaved
// in a fresh random order every round; prints the median µs and the ratio
// to the spawn with no attribute. Run as root (namespaces, cgroup, caps);
// an attribute the kernel refuses here is reported and left out.
//
//   attr_cost [ROUNDS [PER_ROUND]]     default 40 rounds x 5 spawns
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "syscall/syscall.hpp"
#include "tools/bench/rounds.hpp"

namespace gs = go::syscall;

namespace {

struct Attribute {
  std::string name;
  std::function<void(gs::SysProcAttr&)> set;
  std::vector<double> us;
  bool refused = false;
};

// The first cgroup v2 directory we may create a child cgroup in, or "".
std::string benchCgroup() {
  for (const char* root : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    std::string dir = std::string(root) + "/gosyscall-attr-cost";
    std::string controllers = std::string(root) + "/cgroup.controllers";
    if (access(controllers.c_str(), F_OK) == 0 &&
        (mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST))
      return dir;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 40;
  const int perRound = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::string cgroup = benchCgroup();
  const int cgroupFd =
      cgroup.empty() ? -1 : open(cgroup.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int pidfd = -1;

  auto clone = [](gs::uintptr f) { return [f](gs::SysProcAttr& s) { s.Cloneflags = f; }; };
  auto idMaps = [](gs::SysProcAttr& s) {
    s.UidMappings = {{0, 0, 1}};
    s.GidMappings = {{0, 0, 1}};
  };
  std::vector<Attribute> attrs =
      {
          {"none (default)", [](gs::SysProcAttr&) {}},
          {"Pdeathsig SIGKILL", [](gs::SysProcAttr& s) { s.Pdeathsig = gs::SIGKILL_; }},
          {"PidFD", [&](gs::SysProcAttr& s) { s.PidFD = &pidfd; }},
          {"Setsid", [](gs::SysProcAttr& s) { s.Setsid = true; }},
          {"Setpgid", [](gs::SysProcAttr& s) { s.Setpgid = true; }},
          {"CloseFds", [](gs::SysProcAttr& s) { s.CloseFds = true; }},
          {"PdeathsigProcessLifetime",
           [](gs::SysProcAttr& s) {
    s.Pdeathsig = gs::SIGKILL_;
    s.PdeathsigProcessLifetime = true;
           }},
          {"AmbientCaps {NET_BIND_SERVICE}",
           [](gs::SysProcAttr& s) { s.AmbientCaps = {gs::CAP_NET_BIND_SERVICE_}; }},
          {"Cloneflags NEWUTS", clone(gs::CLONE_NEWUTS_)},
          {"Cloneflags NEWIPC", clone(gs::CLONE_NEWIPC_)},
          {"Cloneflags NEWPID", clone(gs::CLONE_NEWPID_)},
          {"Cloneflags NEWCGROUP", clone(gs::CLONE_NEWCGROUP_)},
          {"Cloneflags NEWNS", clone(gs::CLONE_NEWNS_)},
          {"Cloneflags NEWNET", clone(gs::CLONE_NEWNET_)},
          {"Cloneflags NEWUSER (forked)", clone(gs::CLONE_NEWUSER_)},
          {"Cloneflags NEWUSER + id maps (forked)",
           [&](gs::SysProcAttr& s) {
    s.Cloneflags = gs::CLONE_NEWUSER_;
    idMaps(s);
           }},
                         {"Unshareflags NEWNS (private mounts)",
                          [](gs::SysProcAttr& s) { s.Unshareflags = gs::CLONE_NEWNS_; }},
                         {"Unshareflags NEWUSER + id maps (forked)",
                          [&](gs::SysProcAttr& s) {
    s.Unshareflags = gs::CLONE_NEWUSER_;
    idMaps(s);
                          }},
      };
  if (cgroupFd >= 0)
    attrs.push_back({"UseCgroupFD", [&](gs::SysProcAttr& s) {
                       s.UseCgroupFD = true;
                       s.CgroupFD = cgroupFd;
                     }});
  else
    std::printf("UseCgroupFD: left out (no cgroup v2 directory to create a child cgroup in)\n");

  interleave(
      attrs, rounds,
      [&](Attribute& a) {
    for (int i = 0; i < perRound && !a.refused; i++) {
      gs::SysProcAttr sys;
      a.set(sys);
      gs::ProcAttr attr;
      attr.Files = {0, 1, 2};
      attr.Sys = &sys;
      const auto t0 = std::chrono::steady_clock::now();
      auto [pid, err] = gs::ForkExec("/bin/true", {"true"}, &attr);
      if (err) {
        std::printf("%s: left out, ForkExec says %s\n", a.name.c_str(), err.Error().c_str());
        a.refused = true;
        break;
      }
      gs::WaitStatus ws;
      while (gs::Wait4(pid, &ws, 0, nullptr).second == gs::EINTR_) {
      }
      a.us.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      if (pidfd >= 0) gs::Close(pidfd), pidfd = -1;
    }
      },
      [] {});

  const double base = median(attrs[0].us);
  std::printf("| attribute | median µs | ÷ no attribute |\n|---|---|---|\n");
  for (auto& a : attrs)
    if (!a.refused)
      std::printf("| %s | %.0f | %.2f |\n", a.name.c_str(), median(a.us), median(a.us) / base);
  if (cgroupFd >= 0) close(cgroupFd), rmdir(cgroup.c_str());
}
