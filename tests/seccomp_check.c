// SPDX-License-Identifier: BSD-3-Clause
/* seccomp_check: the test of tests/seccomp_launch.c. Run under an
 * environment, it makes each call the environments change, with arguments
 * the kernel itself would accept or answer with another errno, and checks
 * each answer against what that environment must answer:
 *
 *   seccomp_launch ENVIRONMENT seccomp_check ENVIRONMENT
 *   seccomp_check none           the kernel's own answers (Linux >= 5.10)
 *
 * Built for the target, so the 386 build checks the filter's i386 rules and
 * the amd64 build its x86-64 ones. The "none" run proves that each call is
 * well formed: an answer an environment gives is the filter's, not a
 * mistake of ours. One line per call; exit status 1 if any answer differs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#define P_PIDFD 3
#define ANY (-1) /* the kernel's answer varies by version: not checked */

/* A call's outcome: 0 when it succeeded, else its errno. */
static int outcome(long r) { return r < 0 ? errno : 0; }

/* reap ends what a successful clone made: the child exits at once. */
static int reap(long pid) {
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid((pid_t)pid, NULL, 0);
  return outcome(pid);
}

static int clone3Flags(unsigned long long flags) {
  struct clone_args args;
  memset(&args, 0, sizeof args);
  args.flags = flags;
  args.exit_signal = SIGCHLD;
  return reap(syscall(SYS_clone3, &args, sizeof args));
}
static int clone3Plain(void) { return clone3Flags(0); }
static int clone3ClearSighand(void) { return clone3Flags(CLONE_CLEAR_SIGHAND); }
/* glibc 2.34+ makes threads and posix_spawn's children with clone3, and
 * falls back to clone on ENOSYS only. */
static void* nothing(void* arg) { return arg; }
static int threadCreate(void) {
  pthread_t t;
  const int err = pthread_create(&t, NULL, nothing, NULL);
  if (err == 0) pthread_join(t, NULL);
  return err;
}
static int posixSpawn(void) {
  char* argv[] = {(char*)"true", NULL};
  pid_t pid;
  const int err = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, NULL);
  if (err == 0) waitpid(pid, NULL, 0);
  return err;
}
static int cloneArgs(unsigned long flags) {
  int pidfd = -1;
  /* The parent-tid pointer, where CLONE_PIDFD stores, is the third
   * argument on x86-64 and i386 alike; no stack: the child runs on a copy
   * of ours, as after fork. */
  const int r = reap(syscall(SYS_clone, flags | SIGCHLD, 0, &pidfd, 0, 0));
  if (pidfd >= 0) close(pidfd);
  return r;
}
static int clonePlain(void) { return cloneArgs(0); }
static int clonePidfd(void) { return cloneArgs(CLONE_PIDFD); }
static int closeRange(void) { return outcome(syscall(SYS_close_range, ~0u - 1, ~0u, 0)); }
static int pidfdOpen(unsigned flags) {
  const long fd = syscall(SYS_pidfd_open, getpid(), flags);
  if (fd >= 0) close((int)fd);
  return outcome(fd);
}
static int pidfdOpenPlain(void) { return pidfdOpen(0); }
static int pidfdOpenNonblock(void) { return pidfdOpen(PIDFD_NONBLOCK); }
/* fd -1: the kernel answers EBADF, after refusing unknown flags. */
static int pidfdSendSignal(void) { return outcome(syscall(SYS_pidfd_send_signal, -1, 0, NULL, 0)); }
static int pidfdSendSignalFlags(void) {
  return outcome(syscall(SYS_pidfd_send_signal, -1, 0, NULL, 1));
}
/* An fd number nothing has open: EBADF from a kernel that knows P_PIDFD. */
static int waitidPidfd(void) {
  siginfo_t info;
  return outcome(syscall(SYS_waitid, P_PIDFD, 999999, &info, WEXITED, NULL));
}
static int openat2Root(void) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
  const long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
  if (fd >= 0) close((int)fd);
  return outcome(fd);
}
static int faccessat2Root(void) { return outcome(syscall(SYS_faccessat2, AT_FDCWD, "/", F_OK, 0)); }
/* rseq, the last call of Linux 4.19: a registration of length 0 is EINVAL
 * whether glibc registered one already or not. */
static int rseqBad(void) { return outcome(syscall(SYS_rseq, NULL, 0, 0, 0)); }

static const char* const kEnvironments[] = {"none", "docker-default", "container-eperm",
                                            "linux-5.4", "linux-4.19"};
#define NENV 5

struct check {
  const char* what;
  int (*call)(void);
  int expect[NENV]; /* per environment, in kEnvironments' order */
};

static const struct check kChecks[] = {
    {"clone3", clone3Plain, {0, ENOSYS, EPERM, 0, ENOSYS}},
    {"clone3(CLONE_CLEAR_SIGHAND)", clone3ClearSighand, {0, ENOSYS, EPERM, EINVAL, ENOSYS}},
    {"pthread_create", threadCreate, {0, 0, EPERM, 0, 0}},
    {"posix_spawn", posixSpawn, {0, 0, EPERM, 0, 0}},
    {"clone", clonePlain, {0, 0, 0, 0, 0}},
    {"clone(CLONE_PIDFD)", clonePidfd, {0, 0, 0, 0, EINVAL}},
    {"close_range", closeRange, {0, 0, 0, ENOSYS, ENOSYS}},
    {"pidfd_open", pidfdOpenPlain, {0, 0, 0, 0, ENOSYS}},
    {"pidfd_open(PIDFD_NONBLOCK)", pidfdOpenNonblock, {0, 0, 0, EINVAL, ENOSYS}},
    {"pidfd_send_signal", pidfdSendSignal, {EBADF, EBADF, EBADF, EBADF, ENOSYS}},
    /* Flags are EINVAL before Linux 6.9 and EBADF (of fd -1) after. */
    {"pidfd_send_signal(flags)", pidfdSendSignalFlags, {ANY, ANY, ANY, EINVAL, ENOSYS}},
    {"waitid(P_PIDFD)", waitidPidfd, {EBADF, EBADF, EBADF, EBADF, EINVAL}},
    {"openat2", openat2Root, {0, 0, 0, ENOSYS, ENOSYS}},
    {"faccessat2", faccessat2Root, {0, 0, 0, ENOSYS, ENOSYS}},
    {"rseq", rseqBad, {EINVAL, EINVAL, EINVAL, EINVAL, EINVAL}},
};

static const char* name(int err) { return err == 0 ? "success" : strerrorname_np(err); }

int main(int argc, char** argv) {
  int env = -1;
  for (int i = 0; argc == 2 && i < NENV; i++)
    if (strcmp(argv[1], kEnvironments[i]) == 0) env = i;
  if (env < 0) {
    fputs("usage: seccomp_check none|docker-default|container-eperm|linux-5.4|linux-4.19\n",
          stderr);
    return 2;
  }
  int failed = 0;
  for (size_t i = 0; i < sizeof kChecks / sizeof kChecks[0]; i++) {
    const struct check* c = &kChecks[i];
    const int want = c->expect[env], got = c->call();
    if (want == ANY) {
      printf("any  %s: %s\n", c->what, name(got));
    } else if (got == want) {
      printf("ok   %s: %s\n", c->what, name(got));
    } else {
      printf("FAIL %s: %s expected, got %s\n", c->what, name(want), name(got));
      failed = 1;
    }
  }
  printf("%s: %s\n", kEnvironments[env], failed ? "FAILED" : "every answer as expected");
  return failed;
}
