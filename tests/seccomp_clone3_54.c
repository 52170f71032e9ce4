// SPDX-License-Identifier: BSD-3-Clause
/* clone3 as Linux 5.4 answers it, for seccomp_launch's linux-5.4.
 *
 * Linux 5.4 has clone3 but refuses what came later: flags above bit 31
 * (CLONE_CLEAR_SIGHAND 5.5, CLONE_INTO_CGROUP 5.7) and CLONE_NEWTIME (5.6,
 * in the CSIGNAL bits) with EINVAL, and a struct clone_args longer than its
 * 64 bytes (set_tid 5.5, cgroup 5.7) unless the rest is zero, with E2BIG.
 * This library passes CLONE_CLEAR_SIGHAND to every clone3, so 5.4 answers
 * each of them EINVAL, while glibc (2.34+), which creates its threads and
 * posix_spawn's children with clone3 and falls back only on ENOSYS, works
 * there. The answer depends on memory a filter cannot read, so the filter
 * hands each clone3 to this supervisor (SECCOMP_RET_USER_NOTIF), which reads
 * the caller's clone_args and refuses as 5.4 would or lets the call go on.
 *
 * The supervisor is a detached grandchild of the launcher, made before the
 * filter exists (it must not be under the filter itself), with no fd of the
 * launcher's but the socket the listener arrives on: it is no child of the
 * suite, and holds no pipe of ctest's. It ends when the kernel says every
 * process under the filter has been reaped (POLLHUP, Linux 5.8+). Needs
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE (Linux 5.5+) and the right to read the
 * callers' memory (/proc/PID/mem: root, or the same user without Yama); a
 * call it cannot read runs unchanged. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seccomp_clone3_54.h"

enum {
  kArgsSize54 = 64, /* CLONE_ARGS_SIZE_VER0: flags ... tls */
  kCsignal = 0xff,  /* the exit-signal bits of clone's flags */
  kCloneDetached = 0x00400000,
};

/* answer54 is 5.4's errno for the clone3 of req, 0 to let the call run. */
static int answer54(int listener, const struct seccomp_notif* req) {
  const uint64_t at = req->data.args[0], size = req->data.args[1];
  if (size < kArgsSize54 || size > 4096) return 0; /* EINVAL or E2BIG, then as now */
  unsigned char args[4096];
  char path[64];
  snprintf(path, sizeof path, "/proc/%u/mem", req->pid);
  const int mem = open(path, O_RDONLY | O_CLOEXEC);
  const ssize_t n = mem < 0 ? -1 : pread(mem, args, size, (off_t)at);
  if (mem >= 0) close(mem);
  /* The caller may have died and its pid been reused since: what was read
   * is its only if the notification is still pending. */
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) != 0) return 0;
  if (n != (ssize_t)size) return 0; /* unreadable: the kernel answers (EFAULT) */
  for (uint64_t i = kArgsSize54; i < size; i++)
    if (args[i] != 0) return E2BIG;
  uint64_t flags;
  memcpy(&flags, args, sizeof flags);
  if ((flags >> 32) != 0 || (flags & (kCsignal | kCloneDetached)) != 0) return EINVAL;
  return 0;
}

static void supervise(int listener) {
  struct seccomp_notif_sizes sizes;
  if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) return;
  struct seccomp_notif* req = calloc(1, sizes.seccomp_notif);
  struct seccomp_notif_resp* resp = calloc(1, sizes.seccomp_notif_resp);
  if (req == NULL || resp == NULL) return;
  for (;;) {
    struct pollfd p = {listener, POLLIN, 0};
    if (poll(&p, 1, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p.revents & (POLLHUP | POLLERR)) return; /* every user reaped */
    memset(req, 0, sizes.seccomp_notif);
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
      if (errno == EINTR || errno == ENOENT) continue; /* ENOENT: the caller is gone */
      return;
    }
    memset(resp, 0, sizes.seccomp_notif_resp);
    resp->id = req->id;
    const int err = answer54(listener, req);
    if (err != 0)
      resp->error = -err;
    else
      resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp); /* ENOENT: the caller was killed */
  }
}

/* recvFd: the one fd sent on sock (SCM_RIGHTS), or -1. */
static int recvFd(int sock) {
  char byte;
  struct iovec iov = {&byte, 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  struct msghdr m = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1) return -1;
  struct cmsghdr* c = CMSG_FIRSTHDR(&m);
  if (c == NULL || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

int startClone3Supervisor54(void) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return -1;
  const pid_t h = fork();
  if (h < 0) return -1;
  if (h == 0) {
    if (fork() != 0) _exit(0); /* orphaned at once: never the suite's child */
    setsid();                  /* nor in its session or process group */
    const int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; fd++) dup2(null, fd);
    const int sock = sv[1];
    syscall(SYS_close_range, 3, sock - 1, 0);
    syscall(SYS_close_range, sock + 1, ~0u, 0);
    const int listener = recvFd(sock);
    close(sock);
    if (listener >= 0) supervise(listener);
    _exit(0);
  }
  close(sv[1]);
  while (waitpid(h, NULL, 0) < 0 && errno == EINTR) {
  }
  return sv[0];
}

int sendFd(int sock, int fd) {
  char byte = 0;
  struct iovec iov = {&byte, 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr m = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}
