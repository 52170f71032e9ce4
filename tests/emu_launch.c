// SPDX-License-Identifier: BSD-3-Clause
/* emu_launch: a host-native stand-in for one cross-built program (GUEST),
 * which it runs under the user-mode emulator (EMULATOR, e.g.
 * qemu-arm-static). Both are absolute paths fixed at build time.
 *
 * Why: the suites execve the probe, gospawn and the demo as children. Under
 * qemu-user that execve reaches the host kernel, which cannot run an arm
 * ELF unless binfmt_misc has an entry for it, and a fresh machine (or a
 * container) often has none. This program is what binfmt_misc with the
 * P (preserve-argv[0]) flag would do: it keeps argv[0], the arguments, the
 * environment, the pid and every fd, and replaces itself with
 *   EMULATOR -0 argv[0] GUEST argv[1] ...
 * It is static, so it also runs inside a chroot that holds it, EMULATOR
 * and GUEST at their own paths.
 *
 * Built with -DSUBREAPER it first makes itself a child subreaper: qemu-user
 * 7.2 answers PR_SET_CHILD_SUBREAPER with EINVAL without asking the kernel,
 * and the attribute survives execve, so a suite that needs it (to reap the
 * orphans of a parent it killed) is started through such a launcher. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char** argv) {
#ifdef SUBREAPER
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    perror("emu_launch: PR_SET_CHILD_SUBREAPER");
    return 126;
  }
#endif
  char** args = calloc((size_t)argc + 5, sizeof *args);
  if (args == NULL) return 126;
  int n = 0;
  args[n++] = (char*)EMULATOR;
  args[n++] = (char*)"-0";
  args[n++] = argc > 0 ? argv[0] : (char*)GUEST;
  args[n++] = (char*)GUEST;
  for (int i = 1; i < argc; i++) args[n++] = argv[i];
  args[n] = NULL;
  execv(EMULATOR, args);
  /* As a shell would: 127 when the emulator is missing, else 126. */
  fprintf(stderr, "emu_launch: %s: %s\n", EMULATOR, strerror(errno));
  return errno == ENOENT ? 127 : 126;
}
