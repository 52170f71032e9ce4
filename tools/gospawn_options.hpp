// SPDX-License-Identifier: BSD-3-Clause
// gospawn's command line: the options (getopt_long), --help and --version.
// The short options are unshare(1)'s letters for the same things (-U -r -p
// -m -n -u -i -C -R -w -S -G -V -h); no letter means something else than in
// unshare(1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "syscall/syscall.hpp"
#include "tools/gospawn_linux.hpp"

namespace gospawn {

struct Options {
  go::syscall::Signal pdeathsig{0};
  bool setsid = false, setpgid = false, setctty = false, noctty = false;
  std::string chroot, dir;
  bool haveUid = false, haveGid = false, haveGroups = false;
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> groups;
  std::vector<std::string> envSet;  // the -e entries, in order
  bool ignoreEnv = false;
  bool closeFds = false;
  std::optional<std::vector<go::syscall::Signal>> sigmask;  // --sigmask
  std::vector<go::syscall::Signal> sigdefault;              // --sigdefault
  std::vector<std::string> argv;                            // PROGRAM [ARG]...
  LinuxOptions attrs;                                       // namespaces, cgroup, terminal, caps
};

// ParseOptions reads argv (option parsing stops at PROGRAM). A usage error
// prints "gospawn: ...", a hint to --help, and exits 125; --help and
// --version print and exit 0.
Options ParseOptions(int argc, char** argv);

}  // namespace gospawn
