// SPDX-License-Identifier: BSD-3-Clause
/* fdcheck: the child of test_fd_load, small and static so that 10,000 of
 * them start quickly. It checks its own fd table against its arguments and
 * says the verdict in its exit status, printing nothing:
 *
 *   fdcheck DEV:INO|- ...     argument i describes fd i: the (st_dev, st_ino)
 *                             it must be, or "-" for closed
 *
 * Exit status: 0 every fd as described and no other fd open; 1 an fd open
 * that should not be (a leak); 2 an fd missing or a different file; 3 bad
 * arguments or /proc unreadable.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char** argv) {
  const int n = argc - 1;
  for (int i = 0; i < n; i++) {
    struct stat st;
    const int open = fstat(i, &st) == 0;
    if (strcmp(argv[i + 1], "-") == 0) {
      if (open) return 1;
      continue;
    }
    unsigned long long dev, ino;
    if (sscanf(argv[i + 1], "%llu:%llu", &dev, &ino) != 2) return 3;
    if (!open || (unsigned long long)st.st_dev != dev || (unsigned long long)st.st_ino != ino)
      return 2;
  }
  /* Nothing at or above n: read the fd directory (its own fd excepted). */
  DIR* d = opendir("/proc/self/fd");
  if (d == NULL) return 3;
  const int self = dirfd(d);
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    const int fd = atoi(e->d_name);
    if (fd != self && fd >= n) return 1;
  }
  closedir(d);
  return 0;
}
