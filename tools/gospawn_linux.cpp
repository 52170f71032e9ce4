// gospawn's Linux attribute options (gospawn_linux.hpp).
#include "tools/gospawn_linux.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace gospawn {

namespace gs = go::syscall;

const char kLinuxUsage[] = R"(
Namespaces, process group, terminal and capabilities (Linux):
      --unshare-user        run PROGRAM in a new user namespace
      --map-root            with --unshare-user: map root inside to gospawn's
                            user and group outside (setgroups denied)
      --unshare-pid         run PROGRAM as pid 1 of a new pid namespace
      --unshare-mount       ... a new mount namespace (mounts made private)
      --unshare-net         ... a new network namespace (only loopback, down)
      --unshare-uts         ... a new UTS namespace (host and domain name)
      --unshare-ipc         ... a new IPC namespace
      --unshare-cgroup      ... a new cgroup namespace
      --cgroup DIR          start PROGRAM inside the cgroup v2 directory DIR
                            (clone3 CLONE_INTO_CGROUP, Linux 5.7)
      --pgid N              put PROGRAM in the existing process group N
      --foreground          put PROGRAM's process group in the foreground of
                            the terminal (--ctty, default standard input);
                            gospawn takes it back when PROGRAM ends
      --ctty FD             the terminal fd for --setctty (PROGRAM's fd) or
                            --foreground (gospawn's fd); default 0
      --ambient-cap CAP     raise capability CAP (NET_BIND_SERVICE, or a
                            number) in PROGRAM's ambient set, so that it
                            keeps it across execve and --uid; repeatable
)";

bool LinuxOptions::any() const {
  return cloneflags != 0 || mapRoot || !cgroup.empty() || havePgid || foreground || haveCtty ||
         !caps.empty();
}

namespace {

struct CapName {
  const char* name;
  gs::uintptr cap;
};

// The capabilities by name, values from the generated constants.
const CapName kCaps[] = {
    {"AUDIT_CONTROL", gs::CAP_AUDIT_CONTROL_}, {"AUDIT_READ", gs::CAP_AUDIT_READ_},
    {"AUDIT_WRITE", gs::CAP_AUDIT_WRITE_}, {"BLOCK_SUSPEND", gs::CAP_BLOCK_SUSPEND_},
    {"BPF", gs::CAP_BPF_}, {"CHECKPOINT_RESTORE", gs::CAP_CHECKPOINT_RESTORE_},
    {"CHOWN", gs::CAP_CHOWN_}, {"DAC_OVERRIDE", gs::CAP_DAC_OVERRIDE_},
    {"DAC_READ_SEARCH", gs::CAP_DAC_READ_SEARCH_}, {"FOWNER", gs::CAP_FOWNER_},
    {"FSETID", gs::CAP_FSETID_}, {"IPC_LOCK", gs::CAP_IPC_LOCK_},
    {"IPC_OWNER", gs::CAP_IPC_OWNER_}, {"KILL", gs::CAP_KILL_}, {"LEASE", gs::CAP_LEASE_},
    {"LINUX_IMMUTABLE", gs::CAP_LINUX_IMMUTABLE_}, {"MAC_ADMIN", gs::CAP_MAC_ADMIN_},
    {"MAC_OVERRIDE", gs::CAP_MAC_OVERRIDE_}, {"MKNOD", gs::CAP_MKNOD_},
    {"NET_ADMIN", gs::CAP_NET_ADMIN_}, {"NET_BIND_SERVICE", gs::CAP_NET_BIND_SERVICE_},
    {"NET_BROADCAST", gs::CAP_NET_BROADCAST_}, {"NET_RAW", gs::CAP_NET_RAW_},
    {"PERFMON", gs::CAP_PERFMON_}, {"SETFCAP", gs::CAP_SETFCAP_}, {"SETGID", gs::CAP_SETGID_},
    {"SETPCAP", gs::CAP_SETPCAP_}, {"SETUID", gs::CAP_SETUID_}, {"SYSLOG", gs::CAP_SYSLOG_},
    {"SYS_ADMIN", gs::CAP_SYS_ADMIN_}, {"SYS_BOOT", gs::CAP_SYS_BOOT_},
    {"SYS_CHROOT", gs::CAP_SYS_CHROOT_}, {"SYS_MODULE", gs::CAP_SYS_MODULE_},
    {"SYS_NICE", gs::CAP_SYS_NICE_}, {"SYS_PACCT", gs::CAP_SYS_PACCT_},
    {"SYS_PTRACE", gs::CAP_SYS_PTRACE_}, {"SYS_RAWIO", gs::CAP_SYS_RAWIO_},
    {"SYS_RESOURCE", gs::CAP_SYS_RESOURCE_}, {"SYS_TIME", gs::CAP_SYS_TIME_},
    {"SYS_TTY_CONFIG", gs::CAP_SYS_TTY_CONFIG_}, {"WAKE_ALARM", gs::CAP_WAKE_ALARM_},
};

}  // namespace

bool ParseCapability(const std::string& s, gs::uintptr* cap) {
  if (!s.empty() && s.size() <= 2 && s.find_first_not_of("0123456789") == std::string::npos) {
    *cap = gs::uintptr(std::stoul(s));
    return *cap <= gs::CAP_LAST_CAP_;
  }
  std::string name;
  for (char c : s) name += char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (name.compare(0, 4, "CAP_") == 0) name.erase(0, 4);
  for (const CapName& c : kCaps)
    if (name == c.name) {
      *cap = c.cap;
      return true;
    }
  return false;
}

LinuxAttrs::~LinuxAttrs() {
  if (cgroupFd >= 0) close(cgroupFd);
}

#if !defined(GOSYSCALL_EXEC_BSD)
bool ApplyLinuxOptions(const LinuxOptions& o, gs::SysProcAttr& sys, LinuxAttrs& held) {
  if (o.mapRoot && !(o.cloneflags & gs::CLONE_NEWUSER_)) {
    std::fputs("gospawn: --map-root needs --unshare-user\n", stderr);
    return false;
  }
  if (o.foreground && sys.Setctty) {
    std::fputs("gospawn: --foreground and --setctty exclude each other\n", stderr);
    return false;
  }
  sys.Cloneflags = o.cloneflags;
  if (o.mapRoot) {
    sys.UidMappings = {{0, gs::Getuid(), 1}};
    sys.GidMappings = {{0, gs::Getgid(), 1}};
    sys.GidMappingsEnableSetgroups = false;  // an unprivileged gid map requires "deny"
  }
  if (!o.cgroup.empty()) {
    held.cgroupFd = open(o.cgroup.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (held.cgroupFd < 0) {
      std::fprintf(stderr, "gospawn: cannot open cgroup '%s': %s\n", o.cgroup.c_str(),
                   gs::Errno{gs::uintptr(errno)}.Error().c_str());
      return false;
    }
    sys.UseCgroupFD = true;
    sys.CgroupFD = held.cgroupFd;
  }
  if (o.havePgid) {
    sys.Setpgid = true;
    sys.Pgid = o.pgid;
  }
  sys.Foreground = o.foreground;
  if (o.haveCtty) sys.Ctty = o.ctty;
  sys.AmbientCaps = o.caps;
  return true;
}

void RestoreForeground(const LinuxOptions& o) {
  if (!o.foreground) return;
  // gospawn is in a background group now: TIOCSPGRP would stop it with
  // SIGTTOU unless that is blocked.
  sigset_t ttou, old;
  sigemptyset(&ttou);
  sigaddset(&ttou, SIGTTOU);
  sigprocmask(SIG_BLOCK, &ttou, &old);
  tcsetpgrp(o.haveCtty ? o.ctty : 0, getpgrp());
  sigprocmask(SIG_SETMASK, &old, nullptr);
}
#endif

}  // namespace gospawn
