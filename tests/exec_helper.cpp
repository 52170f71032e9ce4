// SPDX-License-Identifier: BSD-3-Clause
// exec_helper: the program the go::exec suites run as their command, the
// helper commands of Go's os/exec tests (TestMain's helperCommands), one
// per first argument:
//
//   echo ARG...             the arguments, space-separated, and a newline
//   echoenv NAME...         each variable's value on a line of its own
//   cat [FILE...]           standard input, or each FILE, to standard output;
//                           a FILE that cannot be opened: "Error: open FILE:
//                           <strerror>" on standard error, and exit 2
//   pipetest                each line of standard input: "O:..." to standard
//                           output, "E:..." to standard error, else exit 1
//   stdinClose              reads standard input to its end; exit 1 unless it
//                           was "Some test string."
//   exit N                  exits with status N
//   stderrfail              "some stderr text" on standard error, exit 1
//   yes [WORD...]           the words (default "y") as a line, forever; exit 1
//                           when a write fails
//   pwd                     the working directory as Go's os.Getwd says it:
//                           $PWD if that names it, else getcwd
//   fds                     "fds:" and every open fd, on one line
//   read3                   fd 3 to its end on standard output, a newline,
//                           then the line "fds" prints
//   describefiles           "fd3: DEV:INODE" of fd 3
//   hang [-interrupt] [-subsleep] exit|forever
//                           Go's cmdHang: with -interrupt, SIGINT makes it
//                           print "PID: received" on standard error and exit
//                           0, else SIGINT is ignored; with -subsleep it
//                           first forks a grandchild that keeps standard
//                           error open until its reader has gone; then it
//                           closes standard output (the sign that it is
//                           ready) and exits 0 (exit) or waits for a signal
//                           (forever)
//   fallback                go::exec where pidfds fail: see test_exec_fallback.cpp
//
// Plain libc, apart from the fallback command.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

int fallback();  // exec_helper_fallback.cpp

namespace {

bool writeAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += size_t(n);
  }
  return true;
}

// copy copies fd to standard output until its end; false on an error.
bool copy(int fd) {
  char buf[32 * 1024];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    if (!writeAll(1, std::string(buf, size_t(n)))) return false;
  }
}

std::string readAll(int fd) {
  std::string s;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return s;
    s.append(buf, size_t(n));
  }
}

std::string openFds() {
  std::string s = "fds:";
  std::vector<int> fds;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
    fds.push_back(std::stoi(e.path().filename()));
  std::sort(fds.begin(), fds.end());
  // The last one was the directory's own descriptor, already closed.
  for (int fd : fds)
    if (fcntl(fd, F_GETFD) >= 0) s += " " + std::to_string(fd);
  return s + "\n";
}

int cat(int argc, char** argv) {
  if (argc == 0) return copy(0) ? 0 : 1;
  int status = 0;
  for (int i = 0; i < argc; i++) {
    const int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      writeAll(2, std::string("Error: open ") + argv[i] + ": " + strerror(errno) + "\n");
      status = 2;
      continue;
    }
    copy(fd);
    close(fd);
  }
  return status;
}

int pipetest() {
  std::string line;
  char c;
  for (;;) {
    const ssize_t n = read(0, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return 1;
    if (n == 0) return line.empty() ? 0 : 1;
    if (c != '\n') {
      line += c;
      continue;
    }
    if (line.rfind("O:", 0) == 0)
      writeAll(1, line + "\n");
    else if (line.rfind("E:", 0) == 0)
      writeAll(2, line + "\n");
    else
      return 1;
    line.clear();
  }
}

// pwd is Go's os.Getwd: $PWD when it is absolute and names the same
// directory as ".", else getcwd.
int pwd() {
  const char* env = getenv("PWD");
  struct stat dot, p;
  if (env != nullptr && env[0] == '/' && stat(".", &dot) == 0 && stat(env, &p) == 0 &&
      dot.st_dev == p.st_dev && dot.st_ino == p.st_ino)
    return writeAll(1, std::string(env) + "\n") ? 0 : 1;
  char buf[4096];
  if (getcwd(buf, sizeof buf) == nullptr) return 1;
  return writeAll(1, std::string(buf) + "\n") ? 0 : 1;
}

volatile sig_atomic_t interrupted = 0;

int hang(int argc, char** argv) {
  bool exitOnInterrupt = false, subsleep = false, forever = false;
  for (int i = 0; i < argc; i++) {
    const std::string a = argv[i];
    if (a == "-interrupt")
      exitOnInterrupt = true;
    else if (a == "-subsleep")
      subsleep = true;
    else if (a == "forever")
      forever = true;
    else if (a != "exit")
      return 2;
  }
  const std::string pid = std::to_string(getpid());

  if (subsleep) {
    const pid_t g = fork();
    if (g == 0) {
      // The grandchild: holds standard error (not standard output, whose end
      // is the parent's sign) until the reader of its pipe has gone.
      close(1);
      pollfd p{2, 0, 0};  // a pipe's write end reports POLLERR once its readers are gone
      while (poll(&p, 1, -1) < 0 && errno == EINTR) {
      }
      _exit(0);
    }
    if (g < 0) return 1;
    writeAll(2, pid + ": started " + std::to_string(g) + "\n");
  }

  // SIGINT stays blocked but in sigsuspend, so that one arriving before
  // the wait is not lost.
  sigset_t intr, old;
  sigemptyset(&intr);
  sigaddset(&intr, SIGINT);
  sigprocmask(SIG_BLOCK, &intr, &old);
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = exitOnInterrupt ? +[](int) { interrupted = 1; } : SIG_IGN;
  sigaction(SIGINT, &sa, nullptr);

  close(1);  // ready
  if (!forever) return 0;
  sigdelset(&old, SIGINT);
  for (;;) {
    sigsuspend(&old);
    if (interrupted) {
      writeAll(2, pid + ": received interrupt\n");
      return 0;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "exec_helper: no command\n");
    return 2;
  }
  const std::string cmd = argv[1];
  argc -= 2;
  argv += 2;
  if (cmd == "echo") {
    std::string s;
    for (int i = 0; i < argc; i++) s += (i ? " " : "") + std::string(argv[i]);
    return writeAll(1, s + "\n") ? 0 : 1;
  }
  if (cmd == "echoenv") {
    for (int i = 0; i < argc; i++) {
      const char* v = getenv(argv[i]);
      writeAll(1, std::string(v ? v : "") + "\n");
    }
    return 0;
  }
  if (cmd == "cat") return cat(argc, argv);
  if (cmd == "pipetest") return pipetest();
  if (cmd == "stdinClose") {
    const std::string s = readAll(0);
    if (s == "Some test string.") return 0;
    writeAll(2, "Error: Read \"" + s + "\", want \"Some test string.\"");
    return 1;
  }
  if (cmd == "exit" && argc == 1) return atoi(argv[0]);
  if (cmd == "stderrfail") {
    writeAll(2, "some stderr text\n");
    return 1;
  }
  if (cmd == "yes") {
    std::string line;
    for (int i = 0; i < argc; i++) line += (i ? " " : "") + std::string(argv[i]);
    if (argc == 0) line = "y";
    line += "\n";
    signal(SIGPIPE, SIG_IGN);  // a failed write is the end, as in Go
    for (;;)
      if (!writeAll(1, line)) return 1;
  }
  if (cmd == "pwd") return pwd();
  if (cmd == "fds") return writeAll(1, openFds()) ? 0 : 1;
  if (cmd == "read3") {
    const std::string s = readAll(3);
    return writeAll(1, s + "\n" + openFds()) ? 0 : 1;
  }
  if (cmd == "describefiles") {
    struct stat st;
    if (fstat(3, &st) != 0) return 1;
    return writeAll(1, "fd3: " + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + "\n")
               ? 0
               : 1;
  }
  if (cmd == "hang") return hang(argc, argv);
  if (cmd == "fallback") return fallback();
  fprintf(stderr, "exec_helper: unknown command %s\n", cmd.c_str());
  return 2;
}
