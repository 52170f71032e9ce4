// SPDX-License-Identifier: BSD-3-Clause
// gospawn: run a program through go::syscall::ForkExec with a SysProcAttr
// built from flags, wait for it, and exit with its status.
//
//   gospawn [OPTIONS] [--] PROGRAM [ARG]...
//
// The options (gospawn_options.cpp) map one to one onto SysProcAttr and
// ProcAttr fields. gospawn runs PROGRAM as its child, or, for a new pid
// namespace or --mount-proc, runs its own init, which runs PROGRAM
// (gospawn_init.hpp). Either way it passes signals on (gospawn_forward.cpp)
// and reaps every child (gospawn_reap.cpp). The PATH search is
// gospawn_path.cpp (over go::exec::LookPath); what a failure to start says,
// gospawn_failure.cpp.
#include <signal.h>
#include <sys/stat.h>

#include <pwd.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "syscall/syscall.hpp"
#include "tools/gospawn_exit.hpp"
#include "tools/gospawn_failure.hpp"
#include "tools/gospawn_forward.hpp"
#include "tools/gospawn_init.hpp"
#include "tools/gospawn_linux.hpp"
#include "tools/gospawn_options.hpp"
#include "tools/gospawn_path.hpp"
#include "tools/gospawn_reap.hpp"

extern char** environ;

namespace {

namespace gs = go::syscall;
using gospawn::Options;

constexpr char kDefaultPath[] = "/bin:/usr/bin";  // PATH unset: glibc's execvp default

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

// setEnv sets entry ("NAME=VALUE", checked by ParseOptions) in env,
// replacing the variables of that name.
void setEnv(std::vector<std::string>& env, const std::string& entry) {
  const std::string prefix = entry.substr(0, entry.find('=') + 1);
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

std::vector<std::string> inherited() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; e++) env.emplace_back(*e);
  return env;
}

std::vector<std::string> environment(const Options& o) {
  std::vector<std::string> env;
  if (!o.ignoreEnv) env = inherited();
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

// checkDir fails (125) unless path, as gospawn sees it, is a directory: a
// bad --chroot or --dir would otherwise be reported by the child as if
// PROGRAM were missing.
void checkDir(const char* what, const std::string& shown, const std::string& path) {
  struct stat st;
  const int err = stat(path.c_str(), &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
  if (err == 0) return;
  std::fprintf(stderr, "gospawn: cannot change %s to '%s': %s\n", what, shown.c_str(),
               gs::Errno{uintptr_t(err)}.Error().c_str());
  std::exit(gospawn::kExitFailure);
}

// programAttrs sets what belongs to PROGRAM itself, applied by whoever
// creates it (gospawn, or gospawn's init).
void programAttrs(const Options& o, gs::SysProcAttr& sys, gs::Credential& cred) {
  sys.Chroot = o.chroot;
  sys.Credential = credential(o, &cred) ? &cred : nullptr;
  sys.CloseFds = o.closeFds;
  sys.Sigmask = o.sigmask;
  sys.Sigdefault = o.sigdefault;
#if !defined(GOSYSCALL_EXEC_BSD)
  sys.Pdeathsig = o.pdeathsig;
  sys.AmbientCaps = o.attrs.caps;
#endif
}

// outerAttrs sets what gospawn applies to the process it creates, PROGRAM
// or its init: session, process group, terminal, namespaces, cgroup. False
// after saying why it cannot.
bool outerAttrs(const Options& o, gs::SysProcAttr& sys, gospawn::LinuxAttrs& held) {
  sys.Setsid = o.setsid;
  sys.Setpgid = o.setpgid;
  sys.Setctty = o.setctty;
  sys.Noctty = o.noctty;
#if defined(GOSYSCALL_EXEC_BSD)
  (void)held;
  return true;
#else
  return gospawn::ApplyLinuxOptions(o.attrs, sys, held);
#endif
}

// forInit keeps of o what gospawn's init applies itself: gospawn applied
// the rest when it created the init.
Options forInit(Options o) {
  o.setsid = o.setpgid = o.setctty = o.noctty = false;
  gospawn::LinuxOptions& a = o.attrs;
  a.cloneflags = 0;
  a.mapRoot = false;
  a.cgroup.clear();
  a.havePgid = a.foreground = a.haveCtty = false;
  return o;
}

// finish supervises the started child pid and returns gospawn's exit status.
int finish(int pid, const Options& o) {
  const gs::WaitStatus ws = gospawn::Supervise(pid);
#if !defined(GOSYSCALL_EXEC_BSD)
  gospawn::RestoreForeground(o.attrs);
#else
  (void)o;
#endif
  return gospawn::ExitCode(ws);
}

// runProgram runs PROGRAM as gospawn's child: in gospawn, or in gospawn's
// init (restore: the signal mask gospawn had, to take back once the
// handlers are in place; null in gospawn).
int runProgram(const Options& o, const sigset_t* restore) {
  gospawn::InstallForwarding();
  if (restore != nullptr) sigprocmask(SIG_SETMASK, restore, nullptr);
  const std::string& program = o.argv[0];
  const gospawn::ChildView view{o.chroot, o.dir};
  if (restore != nullptr && o.attrs.mountProc &&
      !gospawn::MountProc(o.attrs.procDir, view(o.attrs.procDir)))
    return gospawn::kExitFailure;

  gs::Credential cred;
  gs::SysProcAttr sys;
  gs::ChildStep step = gs::ChildStep::None;
  sys.FailedStep = &step;
  gospawn::LinuxAttrs held;
  programAttrs(o, sys, cred);
  if (restore == nullptr && !outerAttrs(o, sys, held)) return gospawn::kExitFailure;

  gs::ProcAttr attr;
  attr.Dir = o.dir;
  attr.Env = environment(o);
  attr.Files = stdFiles();
  attr.Sys = &sys;

  if (!o.chroot.empty()) checkDir("root directory", o.chroot, o.chroot);
  if (!o.dir.empty()) checkDir("directory", o.dir, view(o.dir));

  const char* path = std::getenv("PATH");
  std::string argv0;
  gs::Errno err;
  std::tie(argv0, err) = gospawn::FindProgram(program, path ? path : kDefaultPath, view);
  int pid = 0;
  if (err) step = gs::ChildStep::Execve;  // the search stands for execvp's: its errors are execve's
  if (!err) {
    // A SIGCHLD that gospawn inherited as ignored would have the kernel reap
    // the child on its own, and wait would find nothing.
    signal(SIGCHLD, SIG_DFL);
    std::tie(pid, err) = gs::ForkExec(argv0, o.argv, &attr);
  }
  if (err) return gospawn::ReportStartFailure(program, err, step, o, false);
  // Held before forwarding starts: a signal PROGRAM got from gospawn shows
  // that gospawn can no longer be stopped or ended by those.
  sigset_t mask;
  sigprocmask(SIG_BLOCK, nullptr, &mask);
  gospawn::HoldOwnSignals(mask);
  gospawn::ForwardTo(pid);
  return finish(pid, o);
}

// runInit runs gospawn's init (gospawn_init.hpp), created with the
// namespaces, which runs PROGRAM.
int runInit(const Options& o, int argc, char** argv) {
  gospawn::InstallForwarding();
  gs::SysProcAttr sys;
  gs::ChildStep step = gs::ChildStep::None;
  sys.FailedStep = &step;
  gospawn::LinuxAttrs held;
  if (!outerAttrs(o, sys, held)) return gospawn::kExitFailure;
  sys.CloseFds = o.closeFds;
#if !defined(GOSYSCALL_EXEC_BSD)
  sys.Pdeathsig = o.pdeathsig;
#endif
  gs::ProcAttr attr;
  attr.Env = inherited();  // the init makes PROGRAM's environment from it
  attr.Files = stdFiles();
  attr.Sys = &sys;

  signal(SIGCHLD, SIG_DFL);  // as in runProgram
  // The init starts with the forwarded signals blocked, and unblocks them
  // once its handlers are installed: see BlockForwarded.
  sigset_t old;
  gospawn::BlockForwarded(&old);
  const auto [self, args] = gospawn::InitCommand(argc, argv, old);
  const auto [pid, err] = gs::ForkExec(self, args, &attr);
  if (!err) gospawn::ForwardTo(pid);
  // The mask gospawn had, with its own signals held (see runProgram).
  gospawn::HoldOwnSignals(old);
  if (err) return gospawn::ReportStartFailure(o.argv[0], err, step, o, true);
  return finish(pid, o);
}

}  // namespace

int main(int argc, char** argv) {
  sigset_t restore;
  const bool init = gospawn::TakeInitArgs(&argc, argv, &restore);
  const Options o = gospawn::ParseOptions(argc, argv);
#if defined(GOSYSCALL_EXEC_BSD)
  if (o.pdeathsig != gs::Signal{0}) {
    std::fputs("gospawn: --pdeathsig is Linux-only; this gospawn uses the BSD child side\n",
               stderr);
    return gospawn::kExitFailure;
  }
  if (o.attrs.any()) {
    std::fputs(
        "gospawn: --unshare-*, --map-root, --mount-proc, --cgroup, --pgid, --foreground, "
        "--ctty and --ambient-cap are Linux-only; this gospawn uses the BSD child side\n",
        stderr);
    return gospawn::kExitFailure;
  }
#endif
  if (init) return runProgram(forInit(o), &restore);
  if (o.attrs.needsInit()) return runInit(o, argc, argv);
  return runProgram(o, nullptr);
}
