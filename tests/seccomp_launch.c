// SPDX-License-Identifier: BSD-3-Clause
/* seccomp_launch: runs a program as the kernel looks from inside a container
 * profile or an older LTS kernel, on this (newer) x86-64 kernel.
 *
 *   seccomp_launch ENVIRONMENT PROGRAM [ARG...]
 *   seccomp_launch --list        the environments, "name<TAB>what" per line
 *
 * It sets no_new_privs (so that no privilege is needed), installs the
 * environment's seccomp filter and execs PROGRAM. The kernel keeps both
 * across fork, clone and execve, so PROGRAM and every process it creates
 * see the kernel the same way. It also removes GOSYSCALL_SECCOMP_ENV from
 * the environment: that variable makes a suite re-exec itself through this
 * program (tests/test_main.cpp), once.
 *
 * The filter dispatches on seccomp_data.arch: an x86-64 kernel runs both
 * x86-64 programs and i386 ones (the 386 suites, which exec host x86-64
 * programs such as /bin/sh too), and each arch numbers the calls its own
 * way. Any other arch, and any call no rule names, is allowed. (x32 calls,
 * x86-64 numbers with bit 30 set, are not emulated: nothing here uses x32.)
 *
 * Emulated, not identical: seccomp can refuse a call, never change what a
 * call does. Where a real kernel would ignore what it does not know, the
 * filter refuses instead; each such place says so below. Where the answer
 * depends on memory the filter cannot read (linux-5.4's clone3), a
 * supervisor process answers (seccomp_clone3_54.c). docs/SECURITY.md lists
 * the environments and the differences. Host-native and static, built by
 * tests/CMakeLists.txt for the builds that run natively. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_clone3_54.h"

#if !defined(__x86_64__)
#error "seccomp_launch emulates environments of an x86-64 kernel (x86-64 and i386 programs)"
#endif

/* The arches a filter tells apart, and each one's numbers of the calls the
 * rules name: [0] x86-64 (arch/x86/entry/syscalls/syscall_64.tbl), [1] i386
 * (syscall_32.tbl). From pidfd_send_signal (Linux 5.1) on, every arch
 * numbers new calls alike. */
enum { X86_64, I386, NARCH };
static const unsigned kAudit[NARCH] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386};
#define NR_CLONE \
  { 56, 120 }
#define NR_WAITID \
  { 247, 284 }
#define NR_PIDFD_SEND_SIGNAL \
  { 424, 424 }
#define NR_PIDFD_OPEN \
  { 434, 434 }
#define NR_CLONE3 \
  { 435, 435 }
/* The last call a kernel had, per arch: after it, every number is ENOSYS.
 * Linux 5.4: clone3 (5.3) on both; close_range (436, Linux 5.9), openat2
 * and pidfd_getfd (5.6), faccessat2 (5.8) and everything later come after.
 * Linux 4.19: rseq (4.18), the last call until 5.1 brought
 * pidfd_send_signal, io_uring and, on i386, the time64 calls and the
 * direct SysV IPC calls (393-423: glibc falls back from each on ENOSYS). */
#define LAST_IN_5_4 \
  { 435, 435 }
#define LAST_IN_4_19 \
  { 334, 386 }

/* What a rule compares: the call alone, every call numbered above nr, or
 * the call with its argument arg (the low 32 bits, where each of these
 * calls keeps an int or unsigned int) equal to value, not 0, or having any
 * bit of value. */
enum test { CALL, ABOVE, ARG_EQ, ARG_NONZERO, ARG_ANY_BIT };

struct rule {
  enum test test;
  unsigned nr[NARCH];
  unsigned arg, value;
  unsigned err; /* the errno it answers, or SUPERVISED; 0 ends a list */
};
/* Not an errno: the call goes to a supervisor, which answers it after
 * reading what the filter cannot (seccomp_clone3_54.c). */
#define SUPERVISED 0x10000u

struct environment {
  const char* name;
  const char* what;
  struct rule rules[8];
};

/* Kernel facts: clone3 5.3, CLONE_CLEAR_SIGHAND 5.5 (clone(2)); pidfd_open
 * 5.3, PIDFD_NONBLOCK 5.10, PIDFD_THREAD 6.9 (pidfd_open(2));
 * pidfd_send_signal 5.1, flags 0 only until 6.9 (PIDFD_SIGNAL_*); waitid
 * P_PIDFD 5.4 (wait(2)); CLONE_PIDFD 5.2 (clone(2)). */
static const struct environment kEnvironments[] = {
    {"docker-default",
     "Docker's default seccomp profile: clone3 answers ENOSYS",
     {{CALL, NR_CLONE3, 0, 0, ENOSYS}}},
    {"container-eperm",
     "older Docker/containerd/podman profiles, systemd SystemCallFilter=: clone3 answers EPERM",
     {{CALL, NR_CLONE3, 0, 0, EPERM}}},
    {"linux-5.4",
     "Linux 5.4 LTS: clone3 without later flags, no call after it, no pidfd flags",
     {/* 5.4 has clone3 but not CLONE_CLEAR_SIGHAND (5.5), which this
       * library passes to every clone3 it makes: 5.4 answers each EINVAL.
       * glibc's clone3 calls, without it, work: a supervisor tells them
       * apart by the flags (seccomp_clone3_54.c). */
      {CALL, NR_CLONE3, 0, 0, SUPERVISED},
      {ABOVE, LAST_IN_5_4, 0, 0, ENOSYS},
      {ARG_NONZERO, NR_PIDFD_OPEN, 1, 0, EINVAL},          /* flags: 5.10, 6.9 */
      {ARG_NONZERO, NR_PIDFD_SEND_SIGNAL, 3, 0, EINVAL}}}, /* flags: 6.9 */
    {"linux-4.19",
     "Linux 4.19 LTS: no call after rseq (no pidfd, clone3, close_range), "
     "no P_PIDFD, no CLONE_PIDFD",
     {{ABOVE, LAST_IN_4_19, 0, 0, ENOSYS},
      {ARG_EQ, NR_WAITID, 0, 3 /* P_PIDFD */, EINVAL},
      /* 4.19 ignores the bit CLONE_PIDFD (0x1000, once CLONE_PID) and
       * writes no pidfd; a filter cannot clear a bit, so it refuses:
       * EINVAL, which callers must treat as "no CLONE_PIDFD" too. */
      {ARG_ANY_BIT, NR_CLONE, 0, 0x1000 /* CLONE_PIDFD */, EINVAL}}},
};
#define NENV (sizeof kEnvironments / sizeof kEnvironments[0])

/* The program, as it is built. */
static struct sock_filter prog[BPF_MAXINSNS];
static unsigned len;

static void emit(struct sock_filter insn) {
  if (len == BPF_MAXINSNS) {
    fputs("seccomp_launch: filter too long\n", stderr);
    exit(126);
  }
  prog[len++] = insn;
}

/* Instructions, as compound literals (BPF_STMT and BPF_JUMP are initializers). */
#define LOAD(field) \
  ((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field)))
#define JUMP(op, k, jt, jf) ((struct sock_filter)BPF_JUMP(BPF_JMP | op | BPF_K, (k), (jt), (jf)))
#define RETURN(k) ((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (k)))

/* Each rule stands alone: it loads what it compares and either answers
 * or falls through to the next. seccomp_data's arguments are 64-bit; on
 * little-endian x86 their low word comes first. */
static void emitRule(const struct rule* r, int arch) {
  emit(LOAD(nr));
  switch (r->test) {
    case CALL: emit(JUMP(BPF_JEQ, r->nr[arch], 0, 1)); break;
    case ABOVE: emit(JUMP(BPF_JGT, r->nr[arch], 0, 1)); break;
    default:
      emit(JUMP(BPF_JEQ, r->nr[arch], 0, 3));
      emit(LOAD(args[r->arg]));
      if (r->test == ARG_EQ) emit(JUMP(BPF_JEQ, r->value, 0, 1));
      if (r->test == ARG_NONZERO) emit(JUMP(BPF_JEQ, 0, 1, 0));
      if (r->test == ARG_ANY_BIT) emit(JUMP(BPF_JSET, r->value, 0, 1));
  }
  emit(RETURN(r->err == SUPERVISED ? SECCOMP_RET_USER_NOTIF
                                   : SECCOMP_RET_ERRNO | (r->err & SECCOMP_RET_DATA)));
}

static int supervised(const struct environment* env) {
  for (const struct rule* r = env->rules; r->err != 0; r++)
    if (r->err == SUPERVISED) return 1;
  return 0;
}

/* build: for each arch, "if arch matches: its rules, then allow"; then
 * allow. A holds the arch across the skipped blocks. */
static void build(const struct environment* env) {
  emit(LOAD(arch));
  for (int a = 0; a < NARCH; a++) {
    const unsigned at = len;
    emit(JUMP(BPF_JEQ, kAudit[a], 0, 0));
    for (const struct rule* r = env->rules; r->err != 0; r++) emitRule(r, a);
    emit(RETURN(SECCOMP_RET_ALLOW));
    if (len - at - 1 > 255) {
      fputs("seccomp_launch: an arch's rules do not fit one jump\n", stderr);
      exit(126);
    }
    prog[at].jf = (unsigned char)(len - at - 1);
  }
  emit(RETURN(SECCOMP_RET_ALLOW));
}

static void usage(void) {
  fputs("usage: seccomp_launch ENVIRONMENT PROGRAM [ARG...] | --list\nenvironments:\n", stderr);
  for (size_t i = 0; i < NENV; i++)
    fprintf(stderr, "  %s\t%s\n", kEnvironments[i].name, kEnvironments[i].what);
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (size_t i = 0; i < NENV; i++)
      printf("%s\t%s\n", kEnvironments[i].name, kEnvironments[i].what);
    return 0;
  }
  if (argc < 3) {
    usage();
    return 2;
  }
  const struct environment* env = NULL;
  for (size_t i = 0; i < NENV; i++)
    if (strcmp(argv[1], kEnvironments[i].name) == 0) env = &kEnvironments[i];
  if (env == NULL) {
    fprintf(stderr, "seccomp_launch: no environment %s\n", argv[1]);
    usage();
    return 2;
  }
  build(env);
  /* The supervisor first: it must not be under the filter. */
  const int sock = supervised(env) ? startClone3Supervisor54() : -1;
  if (supervised(env) && sock < 0) {
    fprintf(stderr, "seccomp_launch: starting the clone3 supervisor: %s\n", strerror(errno));
    return 126;
  }
  struct sock_fprog fprog = {(unsigned short)len, prog};
  const unsigned flags = sock >= 0 ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
  long listener = -1;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      (listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog)) < 0 ||
      (sock >= 0 && sendFd(sock, (int)listener) != 0)) {
    fprintf(stderr, "seccomp_launch: installing the %s filter: %s\n", env->name, strerror(errno));
    return 126;
  }
  if (sock >= 0) {
    close((int)listener);
    close(sock);
  }
  unsetenv("GOSYSCALL_SECCOMP_ENV");
  execv(argv[2], argv + 2);
  /* As a shell would: 127 when the program is missing, else 126. */
  fprintf(stderr, "seccomp_launch: %s: %s\n", argv[2], strerror(errno));
  return errno == ENOENT ? 127 : 126;
}
