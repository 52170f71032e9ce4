// SPDX-License-Identifier: BSD-3-Clause
// gospawn's command line (see gospawn_options.hpp).
#include "tools/gospawn_options.hpp"

#include <getopt.h>
#include <grp.h>
#include <pwd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tools/gospawn_exit.hpp"

#ifndef GOSYSCALL_VERSION
#define GOSYSCALL_VERSION "0.1.0"
#endif

namespace gospawn {

namespace gs = go::syscall;

namespace {

const char kUsage[] = R"(Usage: gospawn [OPTIONS] [--] PROGRAM [ARG]...
Run PROGRAM with ARGs in a new process set up by go::syscall::ForkExec, wait
for it, and exit with its status.

Options:
      --pdeathsig SIG       have the kernel send SIG to PROGRAM when gospawn
                            dies (a name or number: KILL, SIGKILL or 9)
  -s, --setsid              run PROGRAM in a new session
  -g, --setpgid             run PROGRAM in a new process group
      --setctty             make standard input (or --ctty FD) PROGRAM's
                            controlling terminal (use with --setsid)
      --noctty              detach PROGRAM from the controlling terminal of
                            standard input
  -R, --chroot DIR          change the root directory to DIR
  -w, --dir DIR             change the working directory to DIR (inside the
                            new root if --chroot is given)
  -S, --uid UID             run as user UID (a number or a user name)
  -G, --gid GID             run as group GID (default: the primary group of
                            UID if it has one, else gospawn's group)
      --groups G1,G2,...    set the supplementary groups (default with -S or
                            -G: none)
  -e, --env NAME=VALUE      set NAME to VALUE in PROGRAM's environment;
                            repeatable
      --ignore-environment  start PROGRAM with only the -e variables instead
                            of gospawn's environment plus them
      --close-fds           close every file descriptor but 0, 1 and 2 in
                            PROGRAM, also those not marked close-on-exec
      --sigmask SIGS        start PROGRAM with exactly these signals blocked
                            (a comma-separated list; '' for none) instead of
                            gospawn's mask
      --sigdefault SIGS     reset these signals to their default action in
                            PROGRAM, also those gospawn inherited as ignored
  -h, --help                show this help and exit
  -V, --version             show the version and exit
)";

// After the Linux options (gospawn_linux.cpp, kLinuxUsage).
const char kUsageTail[] = R"(
Option parsing stops at PROGRAM, so PROGRAM's own options pass through. The
short options are unshare(1)'s letters for the same things.
PROGRAM without a slash is looked up in the PATH of gospawn's environment (an
empty entry is the current directory; if PATH is unset, /bin:/usr/bin), as
PROGRAM will see the file system after --chroot and --dir. Standard input,
output and error are passed on; gospawn opens no other file for PROGRAM.

Init duties: gospawn reaps every child that ends, so as pid 1 (a container's
entrypoint) it reaps the orphans the kernel hands it, as tini does, and exits
with PROGRAM's status when PROGRAM ends. With -p, gospawn starts a copy of
itself as pid 1 of the new pid namespace: that init mounts --mount-proc's
/proc, runs PROGRAM (pid 2), passes signals on to it, reaps the orphans and
exits with PROGRAM's status, which gospawn passes on. (--mount-proc alone
runs it too, not as pid 1, to mount /proc.)

Signals: every signal gospawn can catch is passed on to PROGRAM (TERM, INT,
HUP, QUIT, USR1, USR2, ALRM, WINCH, CONT, TSTP, PIPE, the real-time ones...),
except CHLD, TTIN and TTOU, which gospawn keeps for itself as tini does; one
that gospawn inherited as ignored stays ignored. While PROGRAM runs no
signal but KILL ends gospawn (for KILL there is --pdeathsig), and none but
STOP stops it.

Exit status:
  N         PROGRAM exited with status N
  128+N     PROGRAM was killed by signal N
  125       gospawn itself failed (bad option, signal name, user, group or
            directory), or a step before PROGRAM did (a namespace, an id
            change, a mount: what the kernel refused is said)
  126       PROGRAM was found but could not be executed
  127       PROGRAM was not found

Example:
  gospawn --pdeathsig KILL --setsid -- sh -c 'echo $$; exec sleep 600'
    runs the shell in a new session; if gospawn is killed, even with SIGKILL,
    the kernel kills the shell too.
  gospawn -r -p --mount-proc -- ps -e
    runs ps as root of a new user namespace, in a new pid namespace whose
    /proc it sees: gospawn's init as pid 1, ps as pid 2.
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

// parseInt reads a number from min up to INT_MAX (an fd, a process group)
// for the option named what.
int parseInt(const char* what, const std::string& s, unsigned long long min) {
  unsigned long long n;
  if (!parseNumber(s, 0x7FFFFFFF, &n) || n < min) usageError("invalid %s '%s'", what, s.c_str());
  return int(n);
}

// parseSignal accepts KILL, SIGKILL (any case) or 9.
gs::Signal parseSignal(const std::string& s) {
  unsigned long long n;
  if (parseNumber(s, gs::NSIG_ - 1, &n) && n > 0) return gs::Signal{int(n)};
  std::string name;
  for (char c : s) name += char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (name.compare(0, 3, "SIG") != 0) name = "SIG" + name;
  const gs::Signal sig = gs::SignalNum(name);
  if (sig == gs::Signal{0}) usageError("invalid signal '%s'", s.c_str());
  return sig;
}

// commaList splits a comma-separated list into its entries, each parsed
// by parse; '' is an empty list (--groups '', --sigmask '').
template <typename T>
std::vector<T> commaList(const std::string& s, T (*parse)(const std::string&)) {
  std::vector<T> list;
  if (s.empty()) return list;
  for (std::string::size_type start = 0;;) {
    const auto comma = s.find(',', start);
    list.push_back(parse(s.substr(start, comma == std::string::npos ? comma : comma - start)));
    if (comma == std::string::npos) return list;
    start = comma + 1;
  }
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

enum {
  kSetctty = 256,
  kNoctty,
  kGroups,
  kIgnoreEnv,
  kCloseFds,
  kPdeathsig,
  kSigmask,
  kSigdefault,
  // Linux attributes (gospawn_linux.hpp)
  kMountProc,
  kCgroup,
  kPgid,
  kForeground,
  kCtty,
  kAmbientCap
};

const option kLongopts[] = {
    {"pdeathsig", required_argument, nullptr, kPdeathsig},
    {"setsid", no_argument, nullptr, 's'},
    {"setpgid", no_argument, nullptr, 'g'},
    {"setctty", no_argument, nullptr, kSetctty},
    {"noctty", no_argument, nullptr, kNoctty},
    {"chroot", required_argument, nullptr, 'R'},
    {"dir", required_argument, nullptr, 'w'},
    {"uid", required_argument, nullptr, 'S'},
    {"gid", required_argument, nullptr, 'G'},
    {"groups", required_argument, nullptr, kGroups},
    {"env", required_argument, nullptr, 'e'},
    {"ignore-environment", no_argument, nullptr, kIgnoreEnv},
    {"close-fds", no_argument, nullptr, kCloseFds},
    {"sigmask", required_argument, nullptr, kSigmask},
    {"sigdefault", required_argument, nullptr, kSigdefault},
    {"help", no_argument, nullptr, 'h'},
    {"version", no_argument, nullptr, 'V'},
    // Linux attributes (gospawn_linux.hpp)
    {"unshare-user", no_argument, nullptr, 'U'},
    {"map-root", no_argument, nullptr, 'r'},
    {"unshare-pid", no_argument, nullptr, 'p'},
    {"unshare-mount", no_argument, nullptr, 'm'},
    {"unshare-net", no_argument, nullptr, 'n'},
    {"unshare-uts", no_argument, nullptr, 'u'},
    {"unshare-ipc", no_argument, nullptr, 'i'},
    {"unshare-cgroup", no_argument, nullptr, 'C'},
    {"mount-proc", optional_argument, nullptr, kMountProc},
    {"cgroup", required_argument, nullptr, kCgroup},
    {"pgid", required_argument, nullptr, kPgid},
    {"foreground", no_argument, nullptr, kForeground},
    {"ctty", required_argument, nullptr, kCtty},
    {"ambient-cap", required_argument, nullptr, kAmbientCap},
    {nullptr, 0, nullptr, 0},
};
// '+': stop at the first non-option. ':': report a missing argument as ':'.
const char kOptstring[] = "+:sgR:w:S:G:e:hVUrpmnuiC";

// badOption reports the option getopt_long refused (c is ':' or '?').
[[noreturn]] void badOption(int c, const char* arg) {
  if (std::strncmp(arg, "--", 2) != 0) {
    if (c == ':') usageError("option requires an argument -- '%c'", optopt);
    // unshare(1)'s -f: gospawn always runs PROGRAM as its child.
    if (optopt == 'f') usageError("invalid option -- 'f' (gospawn always forks, as unshare -f)");
    usageError("invalid option -- '%c'", optopt);
  }
  const std::string name(arg, std::strcspn(arg, "="));
  if (c == ':') usageError("option '%s' requires an argument", name.c_str());
  if (optopt != 0) usageError("option '%s' doesn't allow an argument", name.c_str());
  int matches = 0;
  for (const option* lo = kLongopts; lo->name != nullptr; lo++)
    matches += std::strncmp(lo->name, name.c_str() + 2, name.size() - 2) == 0;
  usageError("%s option '%s'", matches > 1 ? "ambiguous" : "unrecognized", name.c_str());
}

// printAndExit writes text to stdout and exits 0, or 125 if it could not.
[[noreturn]] void printAndExit(std::initializer_list<const char*> text) {
  for (const char* t : text) std::fputs(t, stdout);
  std::exit(std::fflush(stdout) == 0 ? 0 : kExitFailure);
}

}  // namespace

Options ParseOptions(int argc, char** argv) {
  Options o;
  LinuxOptions& a = o.attrs;
  opterr = 0;  // the messages below say "gospawn:", whatever argv[0] is
  optind = 1;
  int c;
  while ((c = getopt_long(argc, argv, kOptstring, kLongopts, nullptr)) != -1) {
    switch (c) {
      case kPdeathsig: o.pdeathsig = parseSignal(optarg); break;
      case 's': o.setsid = true; break;
      case 'g': o.setpgid = true; break;
      case kSetctty: o.setctty = true; break;
      case kNoctty: o.noctty = true; break;
      case 'R': o.chroot = optarg; break;
      case 'w': o.dir = optarg; break;
      case 'S':
        o.uid = parseUid(optarg);
        o.haveUid = true;
        break;
      case 'G':
        o.gid = parseGid(optarg);
        o.haveGid = true;
        break;
      case kGroups:
        o.groups = commaList(optarg, parseGid);
        o.haveGroups = true;
        break;
      case 'e':
        if (optarg[0] == '=' || std::strchr(optarg, '=') == nullptr)
          usageError("invalid --env '%s': expected NAME=VALUE", optarg);
        o.envSet.push_back(optarg);
        break;
      case kIgnoreEnv: o.ignoreEnv = true; break;
      case kCloseFds: o.closeFds = true; break;
      case kSigmask: o.sigmask = commaList(optarg, parseSignal); break;
      case kSigdefault: o.sigdefault = commaList(optarg, parseSignal); break;
      case 'h': printAndExit({kUsage, kLinuxUsage, kUsageTail});
      case 'V': printAndExit({"gospawn from gosyscall " GOSYSCALL_VERSION "\n"});
      // Linux attributes (gospawn_linux.hpp)
      case 'U': a.cloneflags |= gs::CLONE_NEWUSER_; break;
      case 'r': a.mapRoot = true; break;
      case 'p': a.cloneflags |= gs::CLONE_NEWPID_; break;
      case 'm': a.cloneflags |= gs::CLONE_NEWNS_; break;
      case 'n': a.cloneflags |= gs::CLONE_NEWNET_; break;
      case 'u': a.cloneflags |= gs::CLONE_NEWUTS_; break;
      case 'i': a.cloneflags |= gs::CLONE_NEWIPC_; break;
      case 'C': a.cloneflags |= gs::CLONE_NEWCGROUP_; break;
      case kMountProc:
        if (optarg != nullptr && *optarg == '\0') usageError("invalid --mount-proc ''");
        a.mountProc = true;
        a.procDir = optarg != nullptr ? optarg : "/proc";
        break;
      case kCgroup: a.cgroup = optarg; break;
      case kPgid:
        a.pgid = parseInt("--pgid", optarg, 1);
        a.havePgid = true;
        break;
      case kForeground: a.foreground = true; break;
      case kCtty:
        a.ctty = parseInt("--ctty", optarg, 0);
        a.haveCtty = true;
        break;
      case kAmbientCap: {
        gs::uintptr cap;
        if (!ParseCapability(optarg, &cap)) usageError("invalid capability '%s'", optarg);
        a.caps.push_back(cap);
        break;
      }
      default: badOption(c, argv[optind - 1]);  // ':' or '?'
    }
  }
  if (optind >= argc) usageError("missing PROGRAM");
  o.argv.assign(argv + optind, argv + argc);
  return o;
}

}  // namespace gospawn
