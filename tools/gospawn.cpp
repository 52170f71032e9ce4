// gospawn: run a program through go::syscall::ForkExec with a SysProcAttr
// built from flags, wait for it, and exit with its status.
//
//   gospawn [OPTIONS] [--] PROGRAM [ARG]...
//
// The options map one to one onto SysProcAttr and ProcAttr fields (see
// --help). The PATH search is gospawn_path.cpp (over go::exec::LookPath),
// the signal forwarding gospawn_forward.cpp.
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "syscall/syscall.hpp"
#include "tools/gospawn_forward.hpp"
#include "tools/gospawn_linux.hpp"
#include "tools/gospawn_path.hpp"

#ifndef GOSYSCALL_VERSION
#define GOSYSCALL_VERSION "0.1.0"
#endif

extern char** environ;

namespace {

namespace gs = go::syscall;

// Exit statuses of gospawn itself, as env(1), chroot(1) and POSIX shells use them.
constexpr int kExitFailure = 125;     // gospawn's own error
constexpr int kExitCannotExec = 126;  // PROGRAM found but not executable
constexpr int kExitNotFound = 127;    // PROGRAM not found
constexpr int kMaxSignal = 64;        // _NSIG - 1 on Linux
constexpr char kDefaultPath[] = "/bin:/usr/bin";  // PATH unset: glibc's execvp default

const char kUsage[] = R"(Usage: gospawn [OPTIONS] [--] PROGRAM [ARG]...
Run PROGRAM with ARGs in a new process set up by go::syscall::ForkExec, wait
for it, and exit with its status.

Options:
  -p, --pdeathsig SIG       have the kernel send SIG to PROGRAM when gospawn
                            dies (a name or number: KILL, SIGKILL or 9)
  -s, --setsid              run PROGRAM in a new session
  -g, --setpgid             run PROGRAM in a new process group
      --setctty             make standard input (or --ctty FD) PROGRAM's
                            controlling terminal (use with --setsid)
      --noctty              detach PROGRAM from the controlling terminal of
                            standard input
  -r, --chroot DIR          change the root directory to DIR
  -C, --dir DIR             change the working directory to DIR (inside the
                            new root if --chroot is given)
  -u, --uid UID             run as user UID (a number or a user name)
      --gid GID             run as group GID (default: the primary group of
                            UID if it has one, else gospawn's group)
      --groups G1,G2,...    set the supplementary groups (default with -u or
                            --gid: none)
  -e, --env NAME=VALUE      set NAME to VALUE in PROGRAM's environment;
                            repeatable
  -i, --ignore-environment  start PROGRAM with only the -e variables instead
                            of gospawn's environment plus them
  -h, --help                show this help and exit
      --version             show the version and exit
)";

// After the Linux options (gospawn_linux.cpp, kLinuxUsage).
const char kUsageTail[] = R"(
Option parsing stops at PROGRAM, so PROGRAM's own options pass through.
PROGRAM without a slash is looked up in the PATH of gospawn's environment (an
empty entry is the current directory; if PATH is unset, /bin:/usr/bin), as
PROGRAM will see the file system after --chroot and --dir. Standard input,
output and error are passed on; gospawn opens no other file for PROGRAM.
SIGTERM, SIGINT, SIGHUP and SIGQUIT received by gospawn are passed on to
PROGRAM; one that gospawn inherited as ignored stays ignored.

Exit status:
  N         PROGRAM exited with status N
  128+N     PROGRAM was killed by signal N
  125       gospawn itself failed (bad option, signal name, user, group or
            directory)
  126       PROGRAM was found but could not be executed
  127       PROGRAM was not found

Example:
  gospawn --pdeathsig KILL --setsid -- sh -c 'echo $$; exec sleep 600'
    runs the shell in a new session; if gospawn is killed, even with SIGKILL,
    the kernel kills the shell too.
)";

[[noreturn]] void usageError(const char* format, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void usageError(const char* format, ...) {
  std::fputs("gospawn: ", stderr);
  va_list ap;
  va_start(ap, format);
  std::vfprintf(stderr, format, ap);
  va_end(ap);
  std::fputs("\nTry 'gospawn --help' for more information.\n", stderr);
  std::exit(kExitFailure);
}

// parseNumber reads a decimal number in [0, max]; false if s is not one.
bool parseNumber(const std::string& s, unsigned long long max, unsigned long long* out) {
  if (s.empty() || s.size() > 10) return false;
  unsigned long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + unsigned(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

// parseSignal accepts KILL, SIGKILL (any case) or 9.
gs::Signal parseSignal(const std::string& s) {
  unsigned long long n;
  if (parseNumber(s, kMaxSignal, &n) && n > 0) return gs::Signal{int(n)};
  std::string name;
  for (char c : s) name += char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (name.compare(0, 3, "SIG") != 0) name = "SIG" + name;
  const gs::Signal sig = gs::SignalNum(name);
  if (sig == gs::Signal{0}) usageError("invalid signal '%s'", s.c_str());
  return sig;
}

// An id is a number up to 2^32-2 (uint32(-1) means "unchanged" to the kernel).
constexpr unsigned long long kMaxId = 0xFFFFFFFEull;

uint32_t parseUid(const std::string& s) {
  unsigned long long n;
  if (parseNumber(s, kMaxId, &n)) return uint32_t(n);
  if (const passwd* pw = getpwnam(s.c_str())) return pw->pw_uid;
  usageError("invalid user '%s'", s.c_str());
}

uint32_t parseGid(const std::string& s) {
  unsigned long long n;
  if (parseNumber(s, kMaxId, &n)) return uint32_t(n);
  if (const group* gr = getgrnam(s.c_str())) return gr->gr_gid;
  usageError("invalid group '%s'", s.c_str());
}

std::vector<uint32_t> parseGroups(const std::string& s) {
  std::vector<uint32_t> groups;
  if (s.empty()) return groups;  // --groups '': none
  std::string::size_type start = 0;
  for (;;) {
    const auto comma = s.find(',', start);
    groups.push_back(parseGid(s.substr(start, comma == std::string::npos ? comma : comma - start)));
    if (comma == std::string::npos) return groups;
    start = comma + 1;
  }
}

// setEnv sets entry ("NAME=VALUE") in env, replacing the variables of that name.
void setEnv(std::vector<std::string>& env, const std::string& entry) {
  const auto eq = entry.find('=');
  if (eq == 0 || eq == std::string::npos) usageError("invalid --env '%s': expected NAME=VALUE", entry.c_str());
  const std::string prefix = entry.substr(0, eq + 1);
  bool replaced = false;
  for (auto it = env.begin(); it != env.end();) {
    if (it->compare(0, prefix.size(), prefix) != 0) {
      ++it;
    } else if (!replaced) {
      *it++ = entry;
      replaced = true;
    } else {
      it = env.erase(it);
    }
  }
  if (!replaced) env.push_back(entry);
}

// checkDir fails (125) unless path, as gospawn sees it, is a directory: a
// bad --chroot or --dir would otherwise be reported by the child as if
// PROGRAM were missing.
void checkDir(const char* what, const std::string& shown, const std::string& path) {
  struct stat st;
  const int err = stat(path.c_str(), &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
  if (err == 0) return;
  std::fprintf(stderr, "gospawn: cannot change %s to '%s': %s\n", what, shown.c_str(),
               gs::Errno{uintptr_t(err)}.Error().c_str());
  std::exit(kExitFailure);
}

struct Options {
  gs::Signal pdeathsig{0};
  bool setsid = false, setpgid = false, setctty = false, noctty = false;
  std::string chroot, dir;
  bool haveUid = false, haveGid = false, haveGroups = false;
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> groups;
  std::vector<std::string> envSet;  // the -e entries, in order
  bool ignoreEnv = false;
  std::vector<std::string> argv;    // PROGRAM [ARG]...
  gospawn::LinuxOptions attrs;      // namespaces, cgroup, terminal, caps
};

Options parseOptions(int argc, char** argv) {
  enum { kSetctty = 256, kNoctty, kGid, kGroups, kVersion,
         // Linux attributes (gospawn_linux.hpp)
         kUnshareUser, kMapRoot, kUnsharePid, kUnshareMount, kUnshareNet, kUnshareUts,
         kUnshareIpc, kUnshareCgroup, kCgroup, kPgid, kForeground, kCtty, kAmbientCap };
  static const option longopts[] = {
      {"pdeathsig", required_argument, nullptr, 'p'},
      {"setsid", no_argument, nullptr, 's'},
      {"setpgid", no_argument, nullptr, 'g'},
      {"setctty", no_argument, nullptr, kSetctty},
      {"noctty", no_argument, nullptr, kNoctty},
      {"chroot", required_argument, nullptr, 'r'},
      {"dir", required_argument, nullptr, 'C'},
      {"uid", required_argument, nullptr, 'u'},
      {"gid", required_argument, nullptr, kGid},
      {"groups", required_argument, nullptr, kGroups},
      {"env", required_argument, nullptr, 'e'},
      {"ignore-environment", no_argument, nullptr, 'i'},
      {"help", no_argument, nullptr, 'h'},
      {"version", no_argument, nullptr, kVersion},
      // Linux attributes (gospawn_linux.hpp)
      {"unshare-user", no_argument, nullptr, kUnshareUser},
      {"map-root", no_argument, nullptr, kMapRoot},
      {"unshare-pid", no_argument, nullptr, kUnsharePid},
      {"unshare-mount", no_argument, nullptr, kUnshareMount},
      {"unshare-net", no_argument, nullptr, kUnshareNet},
      {"unshare-uts", no_argument, nullptr, kUnshareUts},
      {"unshare-ipc", no_argument, nullptr, kUnshareIpc},
      {"unshare-cgroup", no_argument, nullptr, kUnshareCgroup},
      {"cgroup", required_argument, nullptr, kCgroup},
      {"pgid", required_argument, nullptr, kPgid},
      {"foreground", no_argument, nullptr, kForeground},
      {"ctty", required_argument, nullptr, kCtty},
      {"ambient-cap", required_argument, nullptr, kAmbientCap},
      {nullptr, 0, nullptr, 0},
  };
  // '+': stop at the first non-option. ':': report a missing argument as ':'.
  static const char optstring[] = "+:p:sgr:C:u:e:ih";

  Options o;
  opterr = 0;  // the messages below say "gospawn:", whatever argv[0] is
  int c;
  while ((c = getopt_long(argc, argv, optstring, longopts, nullptr)) != -1) {
    switch (c) {
      case 'p': o.pdeathsig = parseSignal(optarg); break;
      case 's': o.setsid = true; break;
      case 'g': o.setpgid = true; break;
      case kSetctty: o.setctty = true; break;
      case kNoctty: o.noctty = true; break;
      case 'r': o.chroot = optarg; break;
      case 'C': o.dir = optarg; break;
      case 'u': o.uid = parseUid(optarg); o.haveUid = true; break;
      case kGid: o.gid = parseGid(optarg); o.haveGid = true; break;
      case kGroups: o.groups = parseGroups(optarg); o.haveGroups = true; break;
      case 'e': o.envSet.push_back(optarg); break;
      case 'i': o.ignoreEnv = true; break;
      case 'h':
        std::fputs(kUsage, stdout);
        std::fputs(gospawn::kLinuxUsage, stdout);
        std::fputs(kUsageTail, stdout);
        std::exit(std::fflush(stdout) == 0 ? 0 : kExitFailure);
      // Linux attributes (gospawn_linux.hpp)
      case kUnshareUser: o.attrs.cloneflags |= gs::CLONE_NEWUSER_; break;
      case kMapRoot: o.attrs.mapRoot = true; break;
      case kUnsharePid: o.attrs.cloneflags |= gs::CLONE_NEWPID_; break;
      case kUnshareMount: o.attrs.cloneflags |= gs::CLONE_NEWNS_; break;
      case kUnshareNet: o.attrs.cloneflags |= gs::CLONE_NEWNET_; break;
      case kUnshareUts: o.attrs.cloneflags |= gs::CLONE_NEWUTS_; break;
      case kUnshareIpc: o.attrs.cloneflags |= gs::CLONE_NEWIPC_; break;
      case kUnshareCgroup: o.attrs.cloneflags |= gs::CLONE_NEWCGROUP_; break;
      case kCgroup: o.attrs.cgroup = optarg; break;
      case kPgid: {
        unsigned long long n;
        if (!parseNumber(optarg, 0x7FFFFFFF, &n) || n == 0) usageError("invalid --pgid '%s'", optarg);
        o.attrs.pgid = int(n);
        o.attrs.havePgid = true;
        break;
      }
      case kForeground: o.attrs.foreground = true; break;
      case kCtty: {
        unsigned long long n;
        if (!parseNumber(optarg, 0x7FFFFFFF, &n)) usageError("invalid --ctty '%s'", optarg);
        o.attrs.ctty = int(n);
        o.attrs.haveCtty = true;
        break;
      }
      case kAmbientCap: {
        gs::uintptr cap;
        if (!gospawn::ParseCapability(optarg, &cap)) usageError("invalid capability '%s'", optarg);
        o.attrs.caps.push_back(cap);
        break;
      }
      case kVersion:
        std::puts("gospawn (gosyscall) " GOSYSCALL_VERSION);
        std::exit(std::fflush(stdout) == 0 ? 0 : kExitFailure);
      case ':':
      case '?': {
        const char* arg = argv[optind - 1];
        if (std::strncmp(arg, "--", 2) != 0) {
          if (c == ':') usageError("option requires an argument -- '%c'", optopt);
          usageError("invalid option -- '%c'", optopt);
        }
        const std::string name(arg, std::strcspn(arg, "="));
        if (c == ':') usageError("option '%s' requires an argument", name.c_str());
        if (optopt != 0) usageError("option '%s' doesn't allow an argument", name.c_str());
        int matches = 0;
        for (const option* lo = longopts; lo->name != nullptr; lo++)
          matches += std::strncmp(lo->name, name.c_str() + 2, name.size() - 2) == 0;
        usageError("%s option '%s'", matches > 1 ? "ambiguous" : "unrecognized", name.c_str());
      }
    }
  }
  if (optind >= argc) usageError("missing PROGRAM");
  o.argv.assign(argv + optind, argv + argc);
  return o;
}

// credential builds the Credential the options ask for; false if none.
bool credential(const Options& o, gs::Credential* cred) {
  if (!o.haveUid && !o.haveGid && !o.haveGroups) return false;
  cred->Uid = o.haveUid ? o.uid : uint32_t(gs::Getuid());
  if (o.haveGid) {
    cred->Gid = o.gid;
  } else if (const passwd* pw = o.haveUid ? getpwuid(o.uid) : nullptr) {
    cred->Gid = pw->pw_gid;
  } else {
    cred->Gid = uint32_t(gs::Getgid());
  }
  cred->Groups = o.groups;  // empty unless --groups: none
  return true;
}

std::vector<std::string> environment(const Options& o) {
  std::vector<std::string> env;
  if (!o.ignoreEnv)
    for (char** e = environ; *e != nullptr; e++) env.emplace_back(*e);
  for (const auto& entry : o.envSet) setEnv(env, entry);
  return env;
}

// stdFiles passes gospawn's fds 0, 1 and 2 on; one that is closed stays
// closed in the child (naming it would make ForkExec fail with EBADF).
std::vector<gs::uintptr> stdFiles() {
  std::vector<gs::uintptr> files;
  for (int fd = 0; fd < 3; fd++)
    files.push_back(gs::Fcntl(fd, int(gs::F_GETFD_), 0).second ? ~gs::uintptr(0) : gs::uintptr(fd));
  return files;
}

// waitChild waits for pid to end and reaps it. It first waits without
// reaping (waitid WNOWAIT), so that the pid cannot be reused while
// forwarding may still signal it.
gs::WaitStatus waitChild(int pid) {
  siginfo_t info;
  while (waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
  gospawn::StopForwarding();
  gs::WaitStatus ws;
  for (;;) {
    const gs::Errno err = gs::Wait4(pid, &ws, 0, nullptr).second;
    if (err == gs::EINTR_) continue;
    if (err) {
      std::fprintf(stderr, "gospawn: wait4: %s\n", err.Error().c_str());
      std::exit(kExitFailure);
    }
    return ws;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parseOptions(argc, argv);
  const std::string& program = o.argv[0];

  gs::Credential cred;
  gs::SysProcAttr sys;
  sys.Chroot = o.chroot;
  sys.Credential = credential(o, &cred) ? &cred : nullptr;
  sys.Setsid = o.setsid;
  sys.Setpgid = o.setpgid;
  sys.Setctty = o.setctty;
  sys.Noctty = o.noctty;
  gospawn::LinuxAttrs held;
#if defined(GOSYSCALL_EXEC_BSD)
  if (o.pdeathsig != gs::Signal{0}) {
    std::fputs("gospawn: --pdeathsig is Linux-only; this gospawn uses the BSD child side\n", stderr);
    return kExitFailure;
  }
  if (o.attrs.any()) {
    std::fputs("gospawn: --unshare-*, --map-root, --cgroup, --pgid, --foreground, --ctty and "
               "--ambient-cap are Linux-only; this gospawn uses the BSD child side\n", stderr);
    return kExitFailure;
  }
#else
  sys.Pdeathsig = o.pdeathsig;
  if (!gospawn::ApplyLinuxOptions(o.attrs, sys, held)) return kExitFailure;
#endif

  gs::ProcAttr attr;
  attr.Dir = o.dir;
  attr.Env = environment(o);
  attr.Files = stdFiles();
  attr.Sys = &sys;

  const gospawn::ChildView view{o.chroot, o.dir};
  if (!o.chroot.empty()) checkDir("root directory", o.chroot, o.chroot);
  if (!o.dir.empty()) checkDir("directory", o.dir, view(o.dir));

  const char* path = std::getenv("PATH");
  std::string argv0;
  gs::Errno err;
  std::tie(argv0, err) = gospawn::FindProgram(program, path ? path : kDefaultPath, view);
  if (!err) {
    // A SIGCHLD that gospawn inherited as ignored would have the kernel reap
    // the child on its own, and wait would find nothing.
    signal(SIGCHLD, SIG_DFL);
    gospawn::InstallForwarding();
    int pid;
    std::tie(pid, err) = gs::ForkExec(argv0, o.argv, &attr);
    if (!err) {
      gospawn::ForwardTo(pid);
      const gs::WaitStatus ws = waitChild(pid);
#if !defined(GOSYSCALL_EXEC_BSD)
      gospawn::RestoreForeground(o.attrs);
#endif
      if (ws.Exited()) return ws.ExitStatus();
      if (ws.Signaled()) return 128 + ws.Signal().value();
      return kExitFailure;  // cannot happen: wait4 without WUNTRACED
    }
  }
  std::fprintf(stderr, "gospawn: %s: %s\n", program.c_str(), err.Error().c_str());
  return err == gs::ENOENT_ ? kExitNotFound : kExitCannotExec;
}
