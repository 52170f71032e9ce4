// SPDX-License-Identifier: BSD-3-Clause
// Skipping a test case that this machine cannot run, visibly.
//
//   BOOST_AUTO_TEST_CASE(name, *skip::when(skip::noPtrace)) { ... }
//
// A reason function returns "" when the case can run, else why not. A
// skipped case prints "SKIPPED <suite>/<case>: <reason>" on stdout, which
// tools/test collects and counts per arch, and Boost.Test reports it as
// skipped (never as passed). Keep every reason to a real limit of the
// machine or emulator, found by probing it where it can be probed.
#pragma once

#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

namespace skip {

using Reason = std::string (*)();

// verdict: the answer of a precondition of case id, which prints the
// SKIPPED line tools/test-report counts when why is not empty. Other
// preconditions (tests/live_probe.hpp) answer through it too.
inline boost::test_tools::assertion_result verdict(boost::unit_test::test_unit_id id,
                                                   const std::string& why) {
  boost::test_tools::assertion_result r(why.empty());
  if (!why.empty()) {
    std::cout << "SKIPPED "
              << boost::unit_test::framework::get(id, boost::unit_test::TUT_ANY).full_name() << ": "
              << why << std::endl;
    r.message() << why;
  }
  return r;
}

// when(reason): a Boost.Test precondition that skips the case, saying why,
// when reason() is not empty.
inline boost::unit_test::precondition when(Reason reason) {
  return boost::unit_test::precondition(
      [reason](boost::unit_test::test_unit_id id) { return verdict(id, reason()); });
}

// all<A, B, ...>: the first reason of several that is not empty.
template <Reason... Rs>
std::string all() {
  for (Reason r : {Rs...}) {
    std::string why = r();
    if (!why.empty()) return why;
  }
  return "";
}

// inChild runs fn in a forked child and tells whether it exited 0.
template <typename Fn>
bool inChild(Fn fn) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(fn() ? 0 : 1);
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The name of the user-mode emulator the suites run under, "" when native
// (tests/CMakeLists.txt defines EMULATOR_PATH for emulated cross builds).
inline std::string emulator() {
#ifdef EMULATOR_PATH
  return EMULATOR_PATH;
#else
  return "";
#endif
}

// errnoName: "ENOSYS" for ENOSYS.
inline std::string errnoName(int err) {
  const char* name = ::strerrorname_np(err);
  return name != nullptr ? name : "errno " + std::to_string(err);
}

// Reasons.

// ptrace: qemu-user does not emulate it (and a seccomp profile may forbid it).
inline std::string noPtrace() {
  if (inChild([] { return ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0; })) return "";
  return "ptrace(PTRACE_TRACEME) fails here (qemu-user does not emulate ptrace)";
}

// orphansComeHere tells, from what the kernel does, whether this process is
// a child subreaper: a grandchild orphaned by its parent's exit is
// reparented to it. (Under qemu-user, where tests/emu_launch.c may have
// made it one before the emulator started, asking with prctl fails too.)
inline bool orphansComeHere() {
  int hold[2], report[2];
  if (::pipe2(hold, O_CLOEXEC) != 0) return false;
  if (::pipe2(report, O_CLOEXEC) != 0) {
    ::close(hold[0]);
    ::close(hold[1]);
    return false;
  }
  const pid_t c = ::fork();
  if (c == 0) {
    const pid_t g = ::fork();
    if (g == 0) {  // the grandchild: lives until every write end of hold is closed
      ::close(hold[1]);
      char b;
      while (::read(hold[0], &b, 1) < 0 && errno == EINTR) {
      }
      ::_exit(0);
    }
    ssize_t ignored = ::write(report[1], &g, sizeof g);
    (void)ignored;
    ::_exit(0);  // g is orphaned here
  }
  ::close(hold[0]);
  ::close(report[1]);
  pid_t g = -1;
  const ssize_t n = c > 0 ? ::read(report[0], &g, sizeof g) : -1;
  ::close(report[0]);
  int st = 0;
  if (c > 0) ::waitpid(c, &st, 0);  // c has exited, so g has its new parent
  const bool ours = n == ssize_t(sizeof g) && g > 0 && ::waitpid(g, &st, WNOHANG) == 0;
  ::close(hold[1]);  // g ends
  if (ours) ::waitpid(g, &st, 0);
  return ours;
}

// PR_SET_CHILD_SUBREAPER: qemu-user 7.2 answers EINVAL without asking the
// kernel. A suite that tests/emu_launch.c made a subreaper still runs.
inline std::string noSubreaper() {
  if (inChild([] { return ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0; })) return "";
  if (orphansComeHere()) return "";
  return "prctl(PR_SET_CHILD_SUBREAPER) fails here (qemu-user 7.2 does not pass it to the kernel)";
}

// The environment a program starts with: qemu-user rebuilds the guest's
// from its own, in reverse order and with duplicate names merged, so a
// child's exact environment cannot be observed from inside it.
inline std::string envRebuilt() {
  if (emulator().empty()) return "";
  return "the child runs under " + emulator() +
         ", which reorders its environment and merges duplicate names";
}

// Signal 64 (SIGRTMAX): qemu-user keeps the host's last real-time signals
// for itself, so it refuses guest signals 63 and 64 (EINVAL), in prctl too.
inline std::string noSigrtmax() {
  if (inChild([] { return ::prctl(PR_SET_PDEATHSIG, 64, 0, 0, 0) == 0; })) return "";
  return "prctl(PR_SET_PDEATHSIG, 64) fails here (qemu-user keeps signals 63 and 64 for itself)";
}

// Namespace flags on clone: qemu-user 7.2 emulates a clone without
// CLONE_VM as fork(), which takes only the signal and tid flags and answers
// EINVAL for anything else, where the kernel would create the namespace (or
// answer EPERM). Tried once, raw (glibc's fork cannot pass flags), with
// CLONE_NEWUTS, which an emulator that passed it on would hand the kernel.
inline std::string noNamespaceCloneflags() {
  const bool einval = inChild([] {
    const long pid = ::syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) ::_exit(0);
    if (pid > 0) ::waitpid(pid_t(pid), nullptr, 0);
    return pid < 0 && errno == EINVAL;
  });
  if (!einval) return "";
  return "clone(CLONE_NEWUTS) answers EINVAL here (qemu-user 7.2 emulates clone as fork and "
         "rejects namespace flags)";
}

// CLONE_PIDFD (Linux 5.2): the same qemu-user fork emulation rejects it
// (EINVAL); Linux < 5.2 ignores the bit and stores no pidfd; a seccomp
// filter can only refuse it (tools/test's linux-4.19 answers EINVAL).
inline std::string noClonePidfd() {
  int fd = -1;
  // Raw clone's argument order differs by arch, but the parent-tid
  // pointer (where CLONE_PIDFD stores the fd) is the third everywhere.
  // No CLONE_VM: the child runs on a copy of this stack, as after fork.
  const long pid = ::syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &fd, 0, 0);
  if (pid == 0) ::_exit(0);
  const int err = errno;
  if (pid > 0) ::waitpid(pid_t(pid), nullptr, 0);
  if (fd >= 0) ::close(fd);
  if (pid > 0 && fd >= 0) return "";
  if (pid > 0) return "clone(CLONE_PIDFD) stores no pidfd here (Linux < 5.2 ignores the flag)";
  if (err == EINVAL && !emulator().empty())
    return "clone(CLONE_PIDFD) answers EINVAL here (qemu-user 7.2 emulates clone as fork and "
           "rejects CLONE_PIDFD)";
  return "clone(CLONE_PIDFD) answers " + errnoName(err) +
         " here (a seccomp profile; Linux < 5.2 ignores the flag)";
}

// A child that shares this process's memory (clone with CLONE_VM and a stack
// of its own, as ForkExec makes it): qemu-user 7.2 emulates a clone that is
// not a thread's as fork, and rejects CLONE_VM there (EINVAL). ForkExec then
// forks, and has no shared memory to wait for the child to leave (no ppoll).
inline std::string noSharedMemoryChild() {
  alignas(16) static char stack[16 * 1024];
  const int pid =
      ::clone([](void*) -> int { ::_exit(0); }, stack + sizeof stack, CLONE_VM | SIGCHLD, nullptr);
  const int err = errno;
  if (pid > 0) {
    ::waitpid(pid, nullptr, 0);
    return "";
  }
  if (err == EINVAL && !emulator().empty())
    return "clone(CLONE_VM) answers EINVAL here (qemu-user 7.2 emulates clone as fork and "
           "rejects CLONE_VM): ForkExec forks, and makes no ppoll for a child on its memory";
  return "clone(CLONE_VM) answers " + errnoName(err) + " here";
}

// clone3 (Linux 5.3): container profiles refuse it (Docker's default:
// ENOSYS; older Docker, containerd, podman, systemd's SystemCallFilter=:
// EPERM), and qemu-user 7.2 does not emulate it. Tried with a plain clone3,
// whose child exits at once.
inline std::string noClone3() {
  clone_args args{};
  args.exit_signal = SIGCHLD;
  const long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid == 0) ::_exit(0);
  if (pid > 0) {
    ::waitpid(pid_t(pid), nullptr, 0);
    return "";
  }
  const int err = errno;
  std::string why = "clone3 answers " + errnoName(err) + " here";
  if (err == ENOSYS && !emulator().empty()) return why + " (qemu-user 7.2 does not emulate it)";
  if (err == ENOSYS) return why + " (Linux < 5.3, or a seccomp profile such as Docker's default)";
  if (err == EPERM) return why + " (a seccomp profile: older Docker, containerd, podman, systemd)";
  return why;
}

// pidfd_open (Linux 5.3).
inline std::string noPidfdOpen() {
  const long fd = ::syscall(SYS_pidfd_open, ::getpid(), 0);
  if (fd >= 0) {
    ::close(int(fd));
    return "";
  }
  const int err = errno;
  return "pidfd_open answers " + errnoName(err) + " here" +
         (err == ENOSYS ? " (Linux < 5.3, or a seccomp profile)" : "");
}

// How a child tells that its parent died before prctl: the library reads
// the creating thread's /proc/thread-self/stat; without /proc, a child in
// another pid namespace (getppid() is 0) needs a pidfd of its parent.
inline std::string noPidfdOfParent() {
  if (::access("/proc/thread-self/stat", R_OK) == 0) return "";
  const std::string why = noPidfdOpen();
  if (why.empty()) return "";
  return why +
         " and /proc is not mounted: a child in another pid namespace cannot tell that "
         "its parent died before prctl";
}

// glibc 2.34+ makes threads and posix_spawn's children with clone3 and falls
// back to clone only on ENOSYS, so where clone3 answers EPERM (a seccomp
// profile) a program has neither. whyClone3 explains a failure with err of
// making what, if clone3 fails so too.
inline std::string whyClone3(int err, const std::string& what) {
  const std::string clone3 = noClone3();
  if (clone3.find("answers " + errnoName(err) + " ") == std::string::npos) return "";
  return ": glibc makes " + what + " with clone3 (falling back to clone only on ENOSYS), and " +
         clone3;
}

// Threads: tried with one that returns at once.
inline std::string noThreads() {
  pthread_t t;
  const int err = ::pthread_create(
      &t, nullptr, [](void* arg) { return arg; }, nullptr);
  if (err == 0) {
    ::pthread_join(t, nullptr);
    return "";
  }
  return "pthread_create answers " + errnoName(err) + " here" + whyClone3(err, "threads");
}

// posix_spawn: tried with /bin/true.
inline std::string noPosixSpawn() {
  char* argv[] = {const_cast<char*>("true"), nullptr};
  pid_t pid;
  const int err = ::posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, nullptr);
  if (err == 0) {
    ::waitpid(pid, nullptr, 0);
    return "";
  }
  return "posix_spawn answers " + errnoName(err) + " here" + whyClone3(err, "its children");
}

// A seccomp filter: qemu-user 7.2 refuses PR_SET_SECCOMP itself (EINVAL),
// so that a guest cannot forbid syscalls the emulator needs. Tried with a filter that allows
// everything.
inline std::string noSeccompFilter() {
  if (inChild([] {
        sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
        sock_fprog prog{1, allow};
        return ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
               ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0;
      }))
    return "";
  return "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER) fails here (qemu-user 7.2 refuses seccomp "
         "filters)";
}

// A program exec'd right after unshare(CLONE_NEWPID), as Unshareflags does:
// under qemu-user it aborts ("qemu_thread_create: Invalid argument"), since
// the emulator starts threads of its own and the kernel refuses a thread to
// a process whose pid_for_children is not its own pid namespace. Tried
// with the probe every suite runs (PROBE_PATH).
inline std::string noExecAfterPidUnshare() {
#ifdef PROBE_PATH
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::unshare(CLONE_NEWPID) != 0) ::_exit(0);  // denied: that is CanUnshare's to say
    ::execl(PROBE_PATH, "probe", "exit", "0", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int st = 0;
  if (pid > 0 && ::waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0) return "";
  return "a program exec'd after unshare(CLONE_NEWPID) does not start here (qemu-user aborts: "
         "the kernel refuses the emulator's own threads in such a process)";
#else
  return "";
#endif
}

// A cross-built program exec'd by its own path, as gospawn's init is (it
// re-executes /proc/self/exe): the host kernel runs it only where
// binfmt_misc has an entry for the emulator, which a fresh machine or a
// container often lacks (the suites themselves go through tests/emu_launch.c).
// Tried with the probe's own binary (PROBE_GUEST_PATH).
inline std::string noGuestExec() {
#ifdef PROBE_GUEST_PATH
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(PROBE_GUEST_PATH, "probe", "exit", "0", static_cast<char*>(nullptr));
    ::_exit(errno == ENOEXEC ? 126 : 127);
  }
  int st = 0;
  if (pid > 0 && ::waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0) return "";
  return "execve of a program built for this arch fails here (no binfmt_misc entry for " +
         emulator() + "), and gospawn's init re-executes /proc/self/exe";
#else
  return "";
#endif
}

}  // namespace skip
