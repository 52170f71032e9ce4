// SPDX-License-Identifier: BSD-3-Clause
// gospawn's init, for -p/--unshare-pid and --mount-proc.
//
// The first process of a new pid namespace is its init, and the kernel
// treats it as such: a signal from outside whose disposition is the
// default is dropped (PROGRAM as pid 1 would silently ignore the SIGTERM
// gospawn forwards), and every orphan of the namespace becomes its child
// (PROGRAM would have to reap them). So PROGRAM is not that process.
// gospawn creates the namespaces with a copy of itself, re-executed from
// /proc/self/exe under the name kInitName: the init, pid 1 inside. It
//
//   1. installs gospawn's handlers for every signal, then unblocks them:
//      gospawn created it with them blocked (BlockForwarded), so a signal
//      sent before its handlers existed was queued, not dropped;
//   2. mounts proc on --mount-proc's DIR, in its new mount namespace;
//   3. runs PROGRAM (pid 2) with the attributes that are PROGRAM's own
//      (--chroot, --dir, the ids, --env, --ambient-cap, --close-fds,
//      --pdeathsig) and the environment, as gospawn would;
//   4. forwards every signal to PROGRAM and reaps every child, as gospawn
//      does (gospawn_forward.hpp, gospawn_reap.hpp);
//   5. exits with PROGRAM's status (N, or 128+N for signal N), which
//      gospawn, waiting outside, passes on as its own.
//
// gospawn, outside, applies the rest to the init: the namespaces and id
// maps, --cgroup, the session, process group and terminal options (PROGRAM
// inherits those from the init), --pdeathsig (the init gets SIG when
// gospawn dies; PROGRAM gets it when the init dies), --close-fds. It
// forwards signals to the init. The init receives the same arguments as
// gospawn and ignores what gospawn applied.
#pragma once

#include <signal.h>

#include <string>
#include <utility>
#include <vector>

namespace gospawn {

// The init's argv[0]; also what ps shows as its command.
constexpr char kInitName[] = "gospawn-init";

// TakeInitArgs tells whether this process is gospawn's init (argv[0] is
// kInitName). If so it reads the signal mask to restore once its handlers
// are installed from argv[1] into *restore, and removes argv[1], so that
// argv is gospawn's own command line again.
bool TakeInitArgs(int* argc, char** argv, sigset_t* restore);

// InitCommand is the program and argv that start the init for the command
// line argv, whose signal mask is to be restore.
std::pair<std::string, std::vector<std::string>> InitCommand(int argc, char** argv,
                                                             const sigset_t& restore);

// MountProc mounts a proc file system on path (dir as PROGRAM will name
// it), as unshare(1)'s --mount-proc; on failure it says why and returns
// false.
bool MountProc(const std::string& dir, const std::string& path);

}  // namespace gospawn
