# SPDX-License-Identifier: BSD-3-Clause
"""The C environment the constants are read from, like mkerrors.sh's includes_Linux.

Feature macros come first so glibc exposes everything (and, on 32-bit arches,
the 64-bit file-offset variants: F_GETLK is F_GETLK64 there, as in Go; on
64-bit arches _FILE_OFFSET_BITS is left alone, see ILP32_ONLY).
<sys/ptrace.h> is left out on purpose: it declares PTRACE_* as enumerators and
clashes with <linux/ptrace.h>, whose macros are the ones we want. All of these
headers compile together on the twelve arches of arches.py; glibc's <sys/prctl.h> already
includes <linux/prctl.h>.
"""

FEATURES = (
    ("_GNU_SOURCE", "1"),
    ("_LARGEFILE_SOURCE", "1"),
    ("_LARGEFILE64_SOURCE", "1"),
    ("_FILE_OFFSET_BITS", "64"),
)
# Feature macros set only on 32-bit (ILP32) arches. _FILE_OFFSET_BITS=64
# exists for them: a 64-bit process has one off_t and one struct flock, and
# the kernel takes only F_GETLK/F_SETLK/F_SETLKW (5-7; asm-generic/fcntl.h
# defines F_GETLK64 & co., 12-14, for __BITS_PER_LONG == 32 only). glibc's
# powerpc bits/fcntl.h still turns F_GETLK into F_GETLK64 (12) under
# _FILE_OFFSET_BITS=64 on ppc64, and its fcntl() maps 12-14 back to 5-7
# before the system call (FCNTL_ADJUST_CMD, powerpc64/sysdep.h); a raw
# fcntl, as this library makes, would get EINVAL. Go's tables have 5-7.
ILP32_ONLY = ("_FILE_OFFSET_BITS",)

HEADERS = (
    "errno.h",          # E*
    "signal.h",         # SIG*
    "sys/prctl.h",      # PR_* (via linux/prctl.h)
    "sched.h",          # CLONE_* (glibc)
    "linux/sched.h",    # CLONE_* (kernel: CLONE_CLEAR_SIGHAND, CLONE_INTO_CGROUP, ...)
    "fcntl.h",          # O_*, F_*, FD_CLOEXEC
    "sys/select.h",     # FD_SETSIZE (on every arch, not only where another header drags it in)
    "unistd.h",         # F_OK, F_LOCK, ...
    "sys/wait.h",       # W*
    "linux/wait.h",     # __WALL, __WCLONE, __WNOTHREAD, P_PIDFD
    "sys/ioctl.h",      # TIOC*
    "linux/serial.h",   # struct serial_iso7816, the size in TIOCGISO7816/TIOCSISO7816
    "termios.h",        # TIOCM_*, TIOCSER_TEMT
    "linux/ptrace.h",   # PTRACE_* (with asm/ptrace.h: the arch-specific requests)
    "sys/mount.h",      # MS_* (mount flags)
    "linux/capability.h",  # CAP_* (capability numbers)
    "poll.h",           # POLL*
    "asm/unistd.h",     # __NR_* (syscall numbers)
    "stddef.h",         # offsetof, for LAYOUTS
    "sys/resource.h",   # struct rusage
    "linux/time_types.h",  # the kernel's timespecs
)

# The kernel's structs that the library lays out by hand, as sizes and
# offsets: siginfo (waitid; mips puts si_code before si_errno), rusage
# (wait4), clone_args (clone3), the two timespecs of ppoll and ppoll_time64,
# and pollfd. No header has them as macros, so these are defined after the
# headers, and the LAYOUT family turns them into constants (SIZEOF_SIGINFO
# ...) that the C++ side static_asserts its structs against. glibc's
# siginfo_t and struct rusage (without _TIME_BITS=64) are the kernel's.
# The kernel's struct sigaction is not among them: <asm/signal.h> declares
# another one on some arches (386 and arm: the old sigaction), and it
# clashes with glibc's; tests/test_rawsyscall.cpp checks that one.
LAYOUTS = (
    ("GS_SIZEOF_SIGINFO", "sizeof(siginfo_t)"),
    ("GS_OFFSETOF_SIGINFO_SIGNO", "offsetof(siginfo_t, si_signo)"),
    ("GS_OFFSETOF_SIGINFO_ERRNO", "offsetof(siginfo_t, si_errno)"),
    ("GS_OFFSETOF_SIGINFO_CODE", "offsetof(siginfo_t, si_code)"),
    ("GS_OFFSETOF_SIGINFO_PID", "offsetof(siginfo_t, si_pid)"),
    ("GS_OFFSETOF_SIGINFO_UID", "offsetof(siginfo_t, si_uid)"),
    ("GS_OFFSETOF_SIGINFO_STATUS", "offsetof(siginfo_t, si_status)"),
    ("GS_SIZEOF_RUSAGE", "sizeof(struct rusage)"),
    ("GS_OFFSETOF_RUSAGE_NIVCSW", "offsetof(struct rusage, ru_nivcsw)"),
    ("GS_SIZEOF_CLONE_ARGS", "sizeof(struct clone_args)"),
    ("GS_SIZEOF_KERNEL_TIMESPEC", "sizeof(struct __kernel_timespec)"),
    ("GS_SIZEOF_KERNEL_OLD_TIMESPEC", "sizeof(struct __kernel_old_timespec)"),
    ("GS_SIZEOF_POLLFD", "sizeof(struct pollfd)"),
)

# The header the errno family is harvested from, and the signal one (as Go does:
# only the names these define are candidates).
ERRNO_HEADER = "errno.h"
SIGNAL_HEADER = "signal.h"
SYSNUM_HEADER = "asm/unistd.h"


def feature_lines():
    out = []
    for name, value in FEATURES:
        # __LP64__: every 64-bit arch of arches.py (mips64 n64 too) defines it.
        cond = f"!defined {name} && !defined __LP64__" if name in ILP32_ONLY else f"!defined {name}"
        out.append(f"#if {cond}\n#define {name} {value}\n#endif")
    return out


def layout_lines():
    return [f"#define {name} {expr}" for name, expr in LAYOUTS]


def preamble(headers=HEADERS) -> str:
    """C source text: the feature macros, then the headers (all of them: and LAYOUTS)."""
    lines = feature_lines() + [f"#include <{h}>" for h in headers]
    if headers == HEADERS:
        lines += layout_lines()
    return "\n".join(lines) + "\n"


def single(header: str) -> str:
    """Source text including only one header (with the same feature macros)."""
    return preamble((header,))
