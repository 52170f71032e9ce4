# SPDX-License-Identifier: BSD-3-Clause
"""Syscall numbers: the target's <asm/unistd.h> __NR_* macros under Go's names.

Like mksysnum_linux: __NR_getpid -> SYS_GETPID, __NR__llseek -> SYS__LLSEEK.
The values go through the same compiler evaluation as every other constant,
which resolves arm's (__NR_SYSCALL_BASE + n) and asm-generic's __NR3264_*.
"""

import re
from typing import Dict, Iterable

_NR = re.compile(r"__NR_([a-z0-9_]+)")

# Lower-case __NR_ names that are markers, not syscalls.
NOT_SYSCALLS = frozenset({
    "__NR_syscalls",                # asm-generic: how many there are
    "__NR_arch_specific_syscall",   # asm-generic: where arch-private ones would start
})


def select(macros: Iterable[str]) -> Dict[str, str]:
    """Go name -> C macro, for every syscall number macro in `macros`."""
    out = {}
    for c in sorted(set(macros)):
        m = _NR.fullmatch(c)
        if m and c not in NOT_SYSCALLS:
            out[go_name(c)] = c
    return dict(sorted(out.items()))


def go_name(c_name: str) -> str:
    m = _NR.fullmatch(c_name)
    if not m:
        raise ValueError(f"not a syscall number macro: {c_name}")
    return "SYS_" + m.group(1).upper()
