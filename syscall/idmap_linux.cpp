// SPDX-License-Identifier: BSD-3-Clause
// Writing a child's id maps from the parent (idmap_linux.hpp).
#include "syscall/internal/idmap_linux.hpp"

#include "syscall/syscall_linux.hpp"
#include "syscall/zerrors.hpp"

namespace go::syscall::detail {

std::string formatIDMappings(const std::vector<SysProcIDMap>& maps) {
  std::string s;
  for (const auto& m : maps)
    s += std::to_string(m.ContainerID) + " " + std::to_string(m.HostID) + " " +
         std::to_string(m.Size) + "\n";
  return s;
}

namespace {

// writeFile writes text to path in one write.
Errno writeFile(const std::string& path, const std::string& text) {
  auto [fd, err] = Open(path.c_str(), int(O_WRONLY_ | O_CLOEXEC_), 0);
  if (err) return err;
  auto [n, werr] = Write(fd, text.data(), text.size());
  Errno cerr = Close(fd);
  if (werr) return werr;
  if (size_t(n) != text.size()) return EIO_;
  return cerr;
}

}  // namespace

Errno writeUidGidMappings(int pid, const SysProcAttr& sys, const std::string& uidmap,
                          const std::string& gidmap) {
  const std::string proc = "/proc/" + std::to_string(pid) + "/";
  if (!sys.UidMappings.empty()) {
    if (Errno err = writeFile(proc + "uid_map", uidmap)) return err;
  }
  if (!sys.GidMappings.empty()) {
    Errno err = writeFile(proc + "setgroups", sys.GidMappingsEnableSetgroups ? "allow" : "deny");
    if (err && err != ENOENT_) return err;  // no such file before Linux 3.19: fine
    if (Errno err2 = writeFile(proc + "gid_map", gidmap)) return err2;
  }
  return Errno{};
}

}  // namespace go::syscall::detail
