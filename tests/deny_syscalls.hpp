// SPDX-License-Identifier: BSD-3-Clause
// denySyscalls: a seccomp filter on the calling process that answers some
// system calls with an errno instead of running them, as a container's
// profile or an older kernel would. The suites install it in a forked helper
// (th::inHelper), never in the test process itself; the kernel keeps it
// across fork, clone and execve, so the children see it too.
#pragma once

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

#include <string>
#include <vector>

namespace th {

// The audit arch of the system calls this program makes.
#if defined(__x86_64__)
constexpr unsigned kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__i386__)
constexpr unsigned kAuditArch = AUDIT_ARCH_I386;
#elif defined(__aarch64__)
constexpr unsigned kAuditArch = AUDIT_ARCH_AARCH64;
#elif defined(__arm__)
constexpr unsigned kAuditArch = AUDIT_ARCH_ARM;
#elif defined(__riscv)
constexpr unsigned kAuditArch = AUDIT_ARCH_RISCV64;
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned kAuditArch = AUDIT_ARCH_PPC64LE;
#elif defined(__powerpc64__)
constexpr unsigned kAuditArch = AUDIT_ARCH_PPC64;
#elif defined(__s390x__)
constexpr unsigned kAuditArch = AUDIT_ARCH_S390X;
#elif defined(__mips__) && _MIPS_SIM == _ABI64 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned kAuditArch = AUDIT_ARCH_MIPSEL64;
#elif defined(__mips__) && _MIPS_SIM == _ABI64
constexpr unsigned kAuditArch = AUDIT_ARCH_MIPS64;
#elif defined(__mips__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned kAuditArch = AUDIT_ARCH_MIPSEL;
#elif defined(__mips__)
constexpr unsigned kAuditArch = AUDIT_ARCH_MIPS;
#else
#error "deny_syscalls: no AUDIT_ARCH for this arch"
#endif

// Denial: system call nr answers -err, or, with kKillProcess, ends the
// process that makes it (SIGSYS).
struct Denial {
  long nr;
  int err;
};
constexpr int kKillProcess = -1;

// denySyscalls installs the filter (with no_new_privs, so that no privilege
// is needed) and returns "" or why it could not. Calls of another arch (a
// 64-bit program exec'd by a 32-bit test) pass untouched.
inline std::string denySyscalls(const std::vector<Denial>& denials) {
  std::vector<sock_filter> prog;
  prog.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
  prog.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0));
  prog.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  prog.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
  for (const Denial& d : denials) {
    prog.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, unsigned(d.nr), 0, 1));
    const unsigned action = d.err == kKillProcess ? SECCOMP_RET_KILL_PROCESS
                                                  : SECCOMP_RET_ERRNO | (unsigned(d.err) & 0xffff);
    prog.push_back(BPF_STMT(BPF_RET | BPF_K, action));
  }
  prog.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  sock_fprog fprog{static_cast<unsigned short>(prog.size()), prog.data()};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return "PR_SET_NO_NEW_PRIVS failed";
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0) return "PR_SET_SECCOMP failed";
  return "";
}

}  // namespace th
