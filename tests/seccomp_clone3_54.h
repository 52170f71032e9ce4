// SPDX-License-Identifier: BSD-3-Clause
/* The supervisor that answers clone3 as Linux 5.4 would
 * (seccomp_clone3_54.c), for seccomp_launch.c. */
#pragma once

/* startClone3Supervisor54 starts the supervisor, detached; it returns the
 * socket to send it the filter's listener on, or -1. */
int startClone3Supervisor54(void);

/* sendFd sends fd on sock (SCM_RIGHTS); 0, or -1 with errno set. */
int sendFd(int sock, int fd);
