# SPDX-License-Identifier: BSD-3-Clause
"""Which macros become generated constants, and under which Go name.

Each family is a name pattern, as in mkerrors.sh's awk filter. The errno and
signal families only consider the names <errno.h> / <signal.h> define on
their own (Go does the same), so e.g. EPOLLIN or ETH_P_IP from other headers
never become errnos. Whether a candidate is an integer constant at all is
decided later, by the compiler (values.py).
"""

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List

ERRORS, SIGNALS, CONSTANTS = "errors", "signals", "constants"


@dataclass(frozen=True)
class Family:
    key: str       # short name used in reports and in the check header
    pattern: str   # full-match regex over C macro names
    block: str     # ERRORS, SIGNALS or CONSTANTS
    exclude: str = r"(?!)"  # full-match regex of names to leave out

    def matches(self, name: str) -> bool:
        return re.fullmatch(self.pattern, name) is not None and re.fullmatch(self.exclude, name) is None


ERRNO = Family(
    "E", r"E[A-Z0-9]+", ERRORS,
    # E-names that are not error numbers, should one ever reach errno.h.
    exclude=r"EPOLL[A-Z0-9]*|EOF",
)
SIGNAL = Family(
    "SIG", r"SIG[A-Z0-9]+", SIGNALS,
    # Not signal numbers: stack sizes, and the real-time range (a libc call).
    exclude=r"SIGSTKSZ|SIGSTKSIZE|SIGRTMIN|SIGRTMAX|SIGMAX64",
)
# Capability numbers, for AmbientCaps (linux/capability.h); render_arch also
# makes their name table.
CAP = Family("CAP", r"CAP_[A-Z0-9_]+", CONSTANTS)
CONSTANT_FAMILIES = (
    Family("PR", r"PR_[A-Z0-9_]+", CONSTANTS),
    Family("CLONE", r"CLONE_[A-Z0-9_]+", CONSTANTS),
    Family("O", r"O_[A-Z0-9_]+", CONSTANTS),
    Family("F", r"F_[A-Z0-9_]+", CONSTANTS),
    Family("FD", r"FD_[A-Z0-9_]+", CONSTANTS),
    # wait(2) options; the kernel's __WALL/__WCLONE/__WNOTHREAD join as WALL,
    # WCLONE, WNOTHREAD (Go's names). __WORDSIZE only looks like one.
    Family("W", r"(__)?W[A-Z0-9]+", CONSTANTS, exclude=r"__WORDSIZE"),
    Family("TIOC", r"TIOC[A-Z0-9_]+", CONSTANTS),
    Family("PTRACE", r"PTRACE_[A-Z0-9_]+", CONSTANTS),
    # mount(2) flags: Unshareflags with CLONE_NEWNS remounts / MS_REC|MS_PRIVATE.
    # MS_* of <sys/mount.h> only, not MS_ASYNC & co. of <sys/mman.h> (not included).
    Family("MS", r"MS_[A-Z0-9_]+", CONSTANTS),
    # waitid(2) id types: P_PIDFD waits through a pidfd (the process handle).
    Family("P", r"P_(ALL|PID|PGID|PIDFD)", CONSTANTS),
    CAP,
    # openat's "the working directory" fd, poll(2)'s events, and NSIG: one
    # more than the highest signal number (signal.h).
    Family("AT", r"AT_FDCWD", CONSTANTS),
    Family("POLL", r"POLL(IN|PRI|OUT|ERR|HUP|NVAL)", CONSTANTS),
    Family("NSIG", r"NSIG", CONSTANTS),
    # rt_sigprocmask's how: 0, 1, 2, but 1, 2, 3 on mips.
    Family("SIGMASK", r"SIG_(BLOCK|UNBLOCK|SETMASK)", CONSTANTS),
    # Sizes and offsets of kernel structs (headers.LAYOUTS), without GS_.
    Family("LAYOUT", r"GS_(SIZEOF|OFFSETOF)_[A-Z_]+", CONSTANTS),
)
FAMILIES = (ERRNO, SIGNAL) + CONSTANT_FAMILIES

# Sanity ranges, checked once values are known (anything else is not an errno / signal).
ERRNO_RANGE = range(1, 4096)
SIGNAL_RANGE = range(1, 65)


@dataclass(frozen=True)
class Name:
    go: str      # Go's name, without the C++ underscore suffix: WALL
    c: str       # the C macro that gives its value: __WALL
    family: Family


def go_name(c_name: str) -> str:
    """Go's name for a C macro: the kernel's __W* wait options lose the underscores,
    the layouts their GS_ (headers.LAYOUTS)."""
    if c_name.startswith("__W"):
        return c_name[2:]
    return c_name[3:] if c_name.startswith("GS_") else c_name


def select(constant_macros: Iterable[str], errno_macros: Iterable[str],
           signal_macros: Iterable[str]) -> List[Name]:
    """The candidate names, sorted by Go name.

    constant_macros: object-like macro names from the whole include set;
    errno_macros / signal_macros: those of <errno.h> / <signal.h> alone.
    """
    chosen: Dict[str, Name] = {}
    for c in sorted(set(errno_macros)):
        if ERRNO.matches(c):
            chosen[c] = Name(c, c, ERRNO)
    for c in sorted(set(signal_macros)):
        if SIGNAL.matches(c):
            chosen[c] = Name(c, c, SIGNAL)
    constant_macros = set(constant_macros)
    for c in sorted(constant_macros):
        for fam in CONSTANT_FAMILIES:
            if fam.matches(c):
                go = go_name(c)
                # __WCOREFLAG when WCOREFLAG exists too: keep the plain one.
                if go != c and go in constant_macros:
                    break
                chosen[go] = Name(go, c, fam)
                break
    return [chosen[k] for k in sorted(chosen)]


def in_range(name: Name, value: int) -> bool:
    if name.family is ERRNO:
        return value in ERRNO_RANGE
    if name.family is SIGNAL:
        return value in SIGNAL_RANGE
    return True
