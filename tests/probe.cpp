// SPDX-License-Identifier: BSD-3-Clause
// probe: the program the exec suites start as the child. It reports what
// the child sees, one fact per line, on fd 1 (or on fd N with a leading
// "@N" argument), and exits 0 unless a command says otherwise.
//
//   probe [@N] argv            each argv element as "<length>:<bytes>"
//   probe [@N] env             each environment entry on its own line
//   probe [@N] cwd             the working directory
//   probe [@N] ls DIR          the names in DIR, sorted, one a line
//   probe [@N] fds             every open fd: "<fd> <cloexec 0|1> <target>"
//   probe count-fds            exit status = the number of open fds
//   probe [@N] ids             "uid R E S F", "gid R E S F", "groups G..."
//   probe [@N] stat            "pid= ppid= pgid= sid= tty_nr= tpgid="
//   probe [@N] pdeathsig       the parent-death signal armed (PR_GET_PDEATHSIG)
//   probe [@N] sigs            "blocked S..." and "caught S..." / "ignored S..."
//   probe [@N] maps            the files mapped into the probe, and the
//                              names the loader found its libraries by
//   probe [@N] wait            prints "ready <pid>", reads fd 0 until EOF,
//                              prints "eof" and exits 0
//   probe exit N               exits with status N
//   probe raise SIG            kills itself with signal SIG (a number)
//   probe write-fd N TEXT...   writes TEXT to fd N, for each pair; exit
//                              status = the number of writes that failed
//
// Plain libc and nothing else: it must also run inside a chroot that holds
// only the probe and the libraries it maps, where /proc is absent.
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

extern char** environ;

namespace {

int out = 1;  // where the report goes

void emit(const std::string& s) {
  const char* p = s.data();
  size_t n = s.size();
  while (n > 0) {
    ssize_t w = write(out, p, n);
    if (w < 0) exit(120);
    p += w;
    n -= size_t(w);
  }
}

std::vector<int> openFds() {
  std::vector<int> fds;
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) {  // no /proc (a chroot): ask the kernel fd by fd
    for (int fd = 0; fd < 1024; fd++)
      if (fcntl(fd, F_GETFD) >= 0) fds.push_back(fd);
    return fds;
  }
  const int self = dirfd(d);
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    int fd = atoi(e->d_name);
    if (fd != self) fds.push_back(fd);
  }
  closedir(d);
  std::sort(fds.begin(), fds.end());
  return fds;
}

std::string target(int fd) {
  char path[64], buf[PATH_MAX];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(path, buf, sizeof buf - 1);
  if (n < 0) return "?";
  return std::string(buf, size_t(n));
}

std::string sigList(const sigset_t& set) {
  std::string s;
  for (int sig = 1; sig < NSIG; sig++)
    if (sigismember(&set, sig) == 1) s += " " + std::to_string(sig);
  return s;
}

// statFields returns fields 4..8 of /proc/self/stat (after "pid (comm) state").
// The file is opened relative to /proc: qemu-user replaces a file opened as
// "/proc/self/stat" with its own, which has zeros in these fields, and
// passes a relative name through to the kernel.
bool statFields(long* ppid, long* pgrp, long* sid, long* tty, long* tpgid) {
  const int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (proc < 0) return false;
  const int fd = openat(proc, "self/stat", O_RDONLY | O_CLOEXEC);
  close(proc);
  if (fd < 0) return false;
  FILE* f = fdopen(fd, "r");
  if (f == nullptr) {
    close(fd);
    return false;
  }
  char buf[1024];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  const char* p = strrchr(buf, ')');  // comm may hold spaces and parens
  if (p == nullptr) return false;
  char state;
  return sscanf(p + 1, " %c %ld %ld %ld %ld %ld", &state, ppid, pgrp, sid, tty, tpgid) == 6;
}

int usage() {
  fprintf(stderr, "probe: bad arguments\n");
  return 121;
}

}  // namespace

int main(int argc, char** argv) {
  int i = 1;
  if (i < argc && argv[i][0] == '@') out = atoi(argv[i++] + 1);
  if (i >= argc) return usage();
  const std::string cmd = argv[i++];

  if (cmd == "argv") {
    for (int k = 0; k < argc; k++) emit(std::to_string(strlen(argv[k])) + ":" + argv[k] + "\n");
  } else if (cmd == "env") {
    for (char** e = environ; *e != nullptr; e++) emit(std::string(*e) + "\n");
  } else if (cmd == "cwd") {
    char buf[PATH_MAX];
    if (getcwd(buf, sizeof buf) == nullptr) return 1;
    emit(std::string(buf) + "\n");
  } else if (cmd == "ls") {
    if (i >= argc) return usage();
    DIR* d = opendir(argv[i]);
    if (d == nullptr) return 1;
    std::set<std::string> names;
    while (dirent* e = readdir(d))
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) names.insert(e->d_name);
    closedir(d);
    for (const auto& n : names) emit(n + "\n");
  } else if (cmd == "fds") {
    for (int fd : openFds()) {
      int flags = fcntl(fd, F_GETFD);
      emit(std::to_string(fd) + " " + ((flags & FD_CLOEXEC) ? "1" : "0") + " " + target(fd) + "\n");
    }
  } else if (cmd == "count-fds") {
    return int(openFds().size());
  } else if (cmd == "ids") {
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0) return 1;
    const unsigned fu = unsigned(setfsuid(uid_t(-1)));  // returns the current fsuid
    const unsigned fg = unsigned(setfsgid(gid_t(-1)));
    char buf[256];
    snprintf(buf, sizeof buf, "uid %u %u %u %u\ngid %u %u %u %u\n", ru, eu, su, fu, rg, eg, sg, fg);
    emit(buf);
    gid_t groups[NGROUPS_MAX];
    int n = getgroups(NGROUPS_MAX, groups);
    if (n < 0) return 1;
    std::string g = "groups";
    for (int k = 0; k < n; k++) g += " " + std::to_string(groups[k]);
    emit(g + "\n");
  } else if (cmd == "stat") {
    long ppid = getppid(), pgrp = getpgrp(), sid = getsid(0), tty = -1, tpgid = -1;
    statFields(&ppid, &pgrp, &sid, &tty, &tpgid);  // keeps the syscall values without /proc
    char buf[256];
    snprintf(buf, sizeof buf, "pid=%ld ppid=%ld pgid=%ld sid=%ld tty_nr=%ld tpgid=%ld\n",
             long(getpid()), ppid, pgrp, sid, tty, tpgid);
    emit(buf);
  } else if (cmd == "pdeathsig") {
    int sig = -1;
    if (prctl(PR_GET_PDEATHSIG, &sig) != 0) return 1;
    emit(std::to_string(sig) + "\n");
  } else if (cmd == "sigs") {
    sigset_t mask;
    sigprocmask(SIG_BLOCK, nullptr, &mask);
    sigset_t caught, ignored;
    sigemptyset(&caught);
    sigemptyset(&ignored);
    for (int sig = 1; sig < NSIG; sig++) {
      struct sigaction sa;
      if (sigaction(sig, nullptr, &sa) != 0) continue;
      if (sa.sa_handler == SIG_IGN)
        sigaddset(&ignored, sig);
      else if (sa.sa_handler != SIG_DFL)
        sigaddset(&caught, sig);
    }
    emit("blocked" + sigList(mask) + "\n");
    emit("caught" + sigList(caught) + "\n");
    emit("ignored" + sigList(ignored) + "\n");
  } else if (cmd == "maps") {
    FILE* f = fopen("/proc/self/maps", "r");
    if (f == nullptr) return 1;
    std::set<std::string> files;
    char line[PATH_MAX + 128];
    while (fgets(line, sizeof line, f)) {
      char* p = strchr(line, '/');
      if (p == nullptr) continue;
      p[strcspn(p, "\n")] = 0;
      files.insert(p);
    }
    fclose(f);
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
      if (info->dlpi_name && info->dlpi_name[0] == '/')
        static_cast<std::set<std::string>*>(data)->insert(info->dlpi_name);
      return 0;
        },
        &files);
    for (const auto& n : files) emit(n + "\n");
  } else if (cmd == "wait") {
    emit("ready " + std::to_string(getpid()) + "\n");
    char buf[64];
    for (;;) {
      ssize_t n = read(0, buf, sizeof buf);
      if (n == 0) break;
      if (n < 0) return 1;
    }
    emit("eof\n");
  } else if (cmd == "exit") {
    if (i >= argc) return usage();
    return atoi(argv[i]);
  } else if (cmd == "raise") {
    if (i >= argc) return usage();
    const int sig = atoi(argv[i]);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    raise(sig);
    return 122;
  } else if (cmd == "write-fd") {
    int failed = 0;
    for (; i + 1 < argc; i += 2) {
      const int fd = atoi(argv[i]);
      const size_t n = strlen(argv[i + 1]);
      if (write(fd, argv[i + 1], n) != ssize_t(n)) failed++;
    }
    return failed;
  } else {
    return usage();
  }
  return 0;
}
