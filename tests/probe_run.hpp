// SPDX-License-Identifier: BSD-3-Clause
// Starting the probe (tests/probe.cpp): runProbe runs it to its end and
// returns its report; startWaiting leaves `probe wait` running until its
// stdin closes. Header-only; PROBE_PATH is the probe's path.
#pragma once

#include <fcntl.h>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "pipe.hpp"
#include "reap.hpp"
#include "syscall/syscall.hpp"

namespace th {

namespace gs = go::syscall;

inline const std::string kProbe = PROBE_PATH;
constexpr gs::uintptr kClosed = ~gs::uintptr(0);  // a closed Files entry
constexpr gs::uintptr kOut = kClosed - 0x600;     // runProbe: "its output pipe here"

inline gs::uintptr U(int fd) { return gs::uintptr(fd); }

inline Fd devNull(int flags = O_RDWR) {
  int fd = open("/dev/null", flags | O_CLOEXEC);
  if (fd < 0) fail("open /dev/null");
  return Fd(fd);
}

// forkExecWait starts `probe wait` (the program at path) with sys, its
// stdin and stdout the fds in and out, its stderr ours.
inline std::pair<int, gs::Errno> forkExecWait(int in, int out, gs::SysProcAttr sys,
                                              const std::string& path = kProbe) {
  gs::ProcAttr attr;
  attr.Files = {U(in), U(out), 2};
  attr.Sys = &sys;
  return gs::ForkExec(path, {"probe", "wait"}, &attr);
}

// Started is one `probe wait` child: its stdin (held open by us) and stdout.
struct Started {
  int pid = 0;
  gs::Errno err;
  Fd in, out;  // our ends
};

// startWaiting starts `probe wait` on two pipes of ours: it runs until we
// close its stdin.
inline Started startWaiting(const gs::SysProcAttr& sys, const std::string& path = kProbe) {
  Pipe in, out;
  Started s;
  std::tie(s.pid, s.err) = forkExecWait(in.r.get(), out.w.get(), sys, path);
  s.in = std::move(in.w);
  s.out = std::move(out.r);
  return s;
}

// Run is what one probe run gave: the ForkExec result, the probe's report
// and how it ended.
struct Run {
  int pid = 0;
  gs::Errno err;
  std::string out;
  bool exited = false, signaled = false;
  int status = -1;  // the exit status, or the signal number
};

// runProbe runs `probe args...` and waits for it. Its Files are attr's,
// where each kOut entry is replaced by the write end of the pipe whose
// contents become Run::out; without Files, stdin is /dev/null, stdout that
// pipe and stderr the test's own.
inline Run runProbe(const std::vector<std::string>& args, gs::ProcAttr attr = {},
                    const std::string& argv0 = kProbe) {
  Pipe out;
  Fd null = devNull();
  if (attr.Files.empty()) attr.Files = {null.u(), kOut, 2};
  for (auto& f : attr.Files)
    if (f == kOut) f = out.w.u();
  std::vector<std::string> argv{"probe"};
  argv.insert(argv.end(), args.begin(), args.end());
  Run r;
  std::tie(r.pid, r.err) = gs::ForkExec(argv0, argv, &attr);
  out.w.reset();
  if (r.err) return r;
  r.out = readAll(out.r.get());
  gs::WaitStatus ws = wait4(r.pid);
  r.exited = ws.Exited();
  r.signaled = ws.Signaled();
  r.status = r.exited ? ws.ExitStatus() : r.signaled ? ws.Signal().value() : -1;
  return r;
}

inline Run runProbe(const std::vector<std::string>& args, gs::SysProcAttr* sys,
                    const std::string& argv0 = kProbe) {
  gs::ProcAttr attr;
  attr.Sys = sys;
  return runProbe(args, attr, argv0);
}

}  // namespace th
