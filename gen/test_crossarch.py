#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Cross-arch agreement of the committed zerrors/ headers (ctest: gen_crossarch).

The kernel ABI fixes what must be equal and what must differ between the
twelve arches gen/ knows, and this test holds the committed files to it.
Equal:
  - errno and signal numbers, names and messages, on the arches that take
    errno from asm-generic/errno*.h and share the classic signal numbering:
    386, amd64, arm, arm64, riscv64, s390x, and ppc64/ppc64le but for one
    name (below);
  - the same among the four mips arches, which have their own numbering;
  - everything but the arch's name between the two byte orders of one arch
    (ppc64/ppc64le, mips/mipsle, mips64/mips64le): byte order changes no
    value, and the generator reads each value in the target's own order;
  - the syscall tables of arm64 and riscv64 but for their own calls (both
    are asm-generic's table).
Differ, on purpose (each is the kernel's or glibc's, not a generator slip):
  - mips, mipsle, mips64, mips64le: other errno numbers (ENOSYS 89, EDQUOT
    1133; EINIT and EREMDEV exist, glibc has no text for them: "unknown
    error 141"), other signal numbers (SIGCHLD 18, which goes into clone's
    flags; SIGEMT 7; no SIGSTKFLT), NSIG 128 (_NSIG, 65 elsewhere),
    O_NONBLOCK 0x80 (0x800 elsewhere);
  - mips and ppc: TIOCSPGRP and friends are _IOW() numbers there
    (0x80047476), the old 0x5410 elsewhere;
  - ppc64, ppc64le: EDEADLOCK is 58, not an alias of EDEADLK (35), and
    glibc 2.36 has no text for it ("unknown error 58"; mips: 56);
  - word-size constants (PR_SET_PTRACER_ANY is (unsigned long)-1; the
    generator writes O_LARGEFILE as 0 on 64-bit arches, as Go does): 32-bit
    are 386, arm, mips, mipsle;
  - flags each arch defines for itself (O_DIRECTORY: 0x4000 on arm, arm64,
    ppc64, ppc64le; 0x10000 elsewhere);
  - F_GETLK: the kernel's command for the arch's word. On the 32-bit arches
    (_FILE_OFFSET_BITS=64) glibc's F_GETLK64 of asm-generic/fcntl.h (12,
    mips o32 33), as the kernel's fcntl64 wants; on the 64-bit ones the one
    F_GETLK (5, mips64 14), ppc64/ppc64le included, as in Go's tables
    (headers.py: glibc's ppc header would give 12 there, which only glibc's
    own fcntl() turns back into 5);
  - SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK (rt_sigprocmask's how): 1, 2, 3 on
    the four mips arches (asm/signal.h), 0, 1, 2 elsewhere;
  - system call numbers: each arch has its own table (mips o32 from 4000,
    mips64 n64 from 5000), and arm64 and riscv64 (the asm-generic table)
    have no fork, dup2 or getpgrp at all.
It reads only the committed files, so it needs no compiler.

    /usr/bin/python3 gen/test_crossarch.py -v
"""

import os
import re
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZERRORS = os.path.join(ROOT, "zerrors")
ARCHES = ("386", "amd64", "arm", "arm64", "mips", "mips64", "mips64le", "mipsle",
          "ppc64", "ppc64le", "riscv64", "s390x")
MIPS = ("mips", "mips64", "mips64le", "mipsle")
PPC = ("ppc64", "ppc64le")
WORD_32 = ("386", "arm", "mips", "mipsle")
ASM_GENERIC_SYSCALLS = ("arm64", "riscv64")   # no legacy calls: only the *at forms, clone
# The same arch in both byte orders: every value equal.
BYTE_ORDER_TWINS = (("ppc64", "ppc64le"), ("mips", "mipsle"), ("mips64", "mips64le"))
# ppc's own errno: EDEADLOCK is not EDEADLK there, and glibc has no text for 58.
PPC_ERRNO = {"EDEADLOCK_": 58}
PPC_MESSAGES = {(58, "unknown error 58")}

# inline constexpr <type> NAME = value;  or  inline constexpr <type> NAME{value};
_CONST = re.compile(r"^inline constexpr (\w+) (\w+)(?: = |\{)(0x[0-9a-f]+|\d+)[};]", re.M)
_MESSAGE = re.compile(r'/\* (\d+)(?: \w+)? \*/ "([^"]*)"')


def load(arch, zerrors=ZERRORS):
    """The committed constants of one arch: {"Errno": {name: n}, "Signal": ..., "uintptr": ...,
    "SYS": {name: n}, "messages": [(n, text), ...]}."""
    tables = {"Errno": {}, "Signal": {}, "uintptr": {}, "SYS": {}}
    with open(os.path.join(zerrors, f"zerrors_linux_{arch}.hpp")) as f:
        text = f.read()
    for typ, name, value in _CONST.findall(text):
        if typ in tables:
            tables[typ][name] = int(value, 0)
    tables["messages"] = _MESSAGE.findall(text)
    with open(os.path.join(zerrors, f"zsysnum_linux_{arch}.hpp")) as f:
        for typ, name, value in _CONST.findall(f.read()):
            tables["SYS"][name] = int(value, 0)
    return tables


def _diff(a, b):
    """Names whose values differ between dicts a and b (first 5)."""
    return sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))[:5]


def problems(t):
    """Every way the tables t ({arch: load(arch)}) break the ABI rules; [] when none."""
    out = []
    ref = t["amd64"]
    for arch in ARCHES:
        # The mips arches are held to mips, the others to amd64 (ppc: but for EDEADLOCK).
        base = t["mips"] if arch in MIPS else ref
        for kind in ("Errno", "Signal"):
            want = dict(base[kind])
            if arch in PPC and kind == "Errno":
                want.update(PPC_ERRNO)
            if t[arch][kind] != want:
                out.append(f"{kind} differs between {'mips' if arch in MIPS else 'amd64'} and {arch}: "
                           f"{_diff(t[arch][kind], want)}")
        want = set(base["messages"])
        if arch in PPC:
            want = {m for m in want if m[0] != "58"} | {(str(n), x) for n, x in PPC_MESSAGES}
        if set(t[arch]["messages"]) != want:
            out.append(f"messages differ between {'mips' if arch in MIPS else 'amd64'} and {arch}: "
                       f"{sorted(set(t[arch]['messages']) ^ want)[:5]}")
        if len(t[arch]["Errno"]) < 100 or len(t[arch]["Signal"]) < 30:
            out.append(f"{arch}: too few errno or signal constants parsed")

    # mips' own numbering, where it differs from everyone else's.
    for arch in ARCHES:
        mips = arch in MIPS
        got = {n: t[arch][k].get(n + "_") for k, n in (
            ("Errno", "ENOSYS"), ("Errno", "EDQUOT"), ("Errno", "EINIT"), ("Signal", "SIGCHLD"),
            ("Signal", "SIGEMT"), ("Signal", "SIGSTKFLT"), ("uintptr", "NSIG"), ("uintptr", "O_NONBLOCK"))}
        want = (dict(ENOSYS=89, EDQUOT=1133, EINIT=141, SIGCHLD=18, SIGEMT=7, SIGSTKFLT=None,
                     NSIG=128, O_NONBLOCK=0x80) if mips else
                dict(ENOSYS=38, EDQUOT=122, EINIT=None, SIGCHLD=17, SIGEMT=None, SIGSTKFLT=16,
                     NSIG=65, O_NONBLOCK=0x800))
        if got != want:
            out.append(f"{arch}: {'mips' if mips else 'generic'} numbering broken: "
                       f"{ {n: got[n] for n in got if got[n] != want[n]} }, want "
                       f"{ {n: want[n] for n in got if got[n] != want[n]} }")
        tiocspgrp = t[arch]["uintptr"].get("TIOCSPGRP_")
        want_tioc = 0x80047476 if (mips or arch in PPC) else 0x5410
        if tiocspgrp != want_tioc:
            out.append(f"{arch}: TIOCSPGRP_ = {tiocspgrp}, want {want_tioc:#x}")

    for arch in ARCHES:
        bits = 32 if arch in WORD_32 else 64
        want = (1 << bits) - 1
        got = t[arch]["uintptr"].get("PR_SET_PTRACER_ANY_")
        if got != want:
            out.append(f"{arch}: PR_SET_PTRACER_ANY_ = {got}, want {want:#x} ({bits}-bit word)")
        largefile = t[arch]["uintptr"].get("O_LARGEFILE_")
        if (largefile == 0) != (bits == 64):
            out.append(f"{arch}: O_LARGEFILE_ = {largefile}, want 0 exactly on 64-bit arches")
    odir = {a: t[a]["uintptr"].get("O_DIRECTORY_") for a in ARCHES}
    want_odir = {a: 0x4000 if a in ("arm", "arm64") + PPC else 0x10000 for a in ARCHES}
    if odir != want_odir:
        out.append(f"O_DIRECTORY_ is not 0x4000 on arm, arm64 and ppc, 0x10000 elsewhere: {odir}")
    getlk = {a: t[a]["uintptr"].get("F_GETLK_") for a in ARCHES}
    want_getlk = {a: 5 for a in ARCHES}
    want_getlk.update({"386": 12, "arm": 12, "mips": 33, "mipsle": 33, "mips64": 14, "mips64le": 14})
    if getlk != want_getlk:
        out.append(f"F_GETLK_ is not the kernel's per-arch value: {getlk}")
    for arch in ARCHES:
        how = tuple(t[arch]["uintptr"].get(n) for n in ("SIG_BLOCK_", "SIG_UNBLOCK_", "SIG_SETMASK_"))
        want_how = (1, 2, 3) if arch in MIPS else (0, 1, 2)
        if how != want_how:
            out.append(f"{arch}: SIG_BLOCK_, SIG_UNBLOCK_, SIG_SETMASK_ = {how}, want {want_how}")

    for a, b in BYTE_ORDER_TWINS:
        for kind in ("Errno", "Signal", "uintptr", "SYS"):
            if t[a][kind] != t[b][kind]:
                out.append(f"{kind} differs between {a} and {b} (byte order only): "
                           f"{_diff(t[a][kind], t[b][kind])}")
        if t[a]["messages"] != t[b]["messages"]:
            out.append(f"messages differ between {a} and {b} (byte order only)")
    generic = {n: v for n, v in t["arm64"]["SYS"].items() if n != "SYS_RENAMEAT"}  # arm64's own
    riscv = {n: v for n, v in t["riscv64"]["SYS"].items() if n != "SYS_RISCV_FLUSH_ICACHE"}
    if generic != riscv:
        out.append(f"arm64 and riscv64 syscall tables differ beyond their own calls: "
                   f"{_diff(generic, riscv)}")

    getpid = {a: t[a]["SYS"].get("SYS_GETPID") for a in ARCHES}
    # The old i386 numbers for old calls on 386, arm, ppc and s390x; amd64 its own;
    # arm64 and riscv64 asm-generic's; mips o32 from 4000, n64 from 5000.
    want_getpid = {"386": 20, "arm": 20, "ppc64": 20, "ppc64le": 20, "s390x": 20, "amd64": 39,
                   "arm64": 172, "riscv64": 172, "mips": 4020, "mipsle": 4020,
                   "mips64": 5038, "mips64le": 5038}
    if getpid != want_getpid:
        out.append(f"SYS_GETPID is not {want_getpid}: {getpid}")
    for a, b in (("amd64", "arm64"), ("386", "amd64"), ("arm", "arm64"), ("386", "arm"),
                 ("mips", "mips64"), ("mips", "386"), ("mips64", "amd64"), ("ppc64", "386"),
                 ("s390x", "386"), ("ppc64", "s390x"), ("riscv64", "amd64")):
        common = set(t[a]["SYS"]) & set(t[b]["SYS"])
        if common and all(t[a]["SYS"][n] == t[b]["SYS"][n] for n in common):
            out.append(f"the syscall tables of {a} and {b} agree on every shared name")
    for name in ("SYS_FORK", "SYS_DUP2", "SYS_GETPGRP"):
        for arch in ARCHES:
            has = name in t[arch]["SYS"]
            if has != (arch not in ASM_GENERIC_SYSCALLS):
                out.append(f"{arch}: {name} {'present' if has else 'missing'}; "
                           "only arm64 and riscv64 (asm-generic) lack it")
    for name in ("SYS_CLONE", "SYS_DUP3", "SYS_GETPGID"):  # what arm64 uses instead
        for arch in ARCHES:
            if name not in t[arch]["SYS"]:
                out.append(f"{arch}: {name} missing")
    return out


class CrossArch(unittest.TestCase):
    def setUp(self):
        self.t = {a: load(a) for a in ARCHES}

    def test_committed_files_follow_the_abi(self):
        self.assertEqual(problems(self.t), [])

    # The checks can fail: each rule is broken once on a copy of the real tables.

    def test_a_changed_errno_is_reported(self):
        self.t["arm"]["Errno"]["EPERM_"] = 99
        self.assertTrue(any("Errno differs between amd64 and arm" in p for p in problems(self.t)))

    def test_a_changed_signal_is_reported(self):
        self.t["arm64"]["Signal"]["SIGUSR1_"] = 30
        self.assertTrue(any("Signal differs between amd64 and arm64" in p for p in problems(self.t)))

    def test_a_64_bit_word_on_386_is_reported(self):
        self.t["386"]["uintptr"]["PR_SET_PTRACER_ANY_"] = (1 << 64) - 1
        self.assertTrue(any(p.startswith("386: PR_SET_PTRACER_ANY_") for p in problems(self.t)))

    def test_a_shared_syscall_table_is_reported(self):
        self.t["arm64"]["SYS"] = dict(self.t["amd64"]["SYS"])
        found = problems(self.t)
        self.assertTrue(any("amd64 and arm64 agree" in p for p in found))
        self.assertTrue(any("arm64: SYS_FORK present" in p for p in found))

    def test_mips_with_generic_numbers_is_reported(self):
        self.t["mipsle"]["Signal"]["SIGCHLD_"] = 17
        found = problems(self.t)
        self.assertTrue(any("Signal differs between mips and mipsle" in p for p in found))
        self.assertTrue(any(p.startswith("mipsle: mips numbering broken") for p in found))
        self.assertTrue(any("between mips and mipsle (byte order only)" in p for p in found))

    def test_mips_nsig_of_65_is_reported(self):
        self.t["mips64"]["uintptr"]["NSIG_"] = 65
        self.assertTrue(any(p.startswith("mips64: mips numbering broken") for p in problems(self.t)))

    def test_ppc_edeadlock_alias_is_reported(self):
        self.t["ppc64le"]["Errno"]["EDEADLOCK_"] = 35
        self.assertTrue(any("Errno differs between amd64 and ppc64le" in p for p in problems(self.t)))

    def test_generic_tiocspgrp_on_ppc_is_reported(self):
        self.t["ppc64"]["uintptr"]["TIOCSPGRP_"] = 0x5410
        self.assertTrue(any(p.startswith("ppc64: TIOCSPGRP_") for p in problems(self.t)))

    def test_legacy_call_on_riscv64_is_reported(self):
        self.t["riscv64"]["SYS"]["SYS_FORK"] = 1079
        found = problems(self.t)
        self.assertTrue(any("riscv64: SYS_FORK present" in p for p in found))
        self.assertTrue(any("arm64 and riscv64 syscall tables differ" in p for p in found))

    def test_generic_sigmask_on_mips_is_reported(self):
        self.t["mips64le"]["uintptr"]["SIG_BLOCK_"] = 0
        self.assertTrue(any(p.startswith("mips64le: SIG_BLOCK_") for p in problems(self.t)))

    def test_mips_sigmask_elsewhere_is_reported(self):
        self.t["riscv64"]["uintptr"]["SIG_SETMASK_"] = 3
        self.assertTrue(any(p.startswith("riscv64: SIG_BLOCK_") for p in problems(self.t)))

    def test_ppc64_glibc_getlk_is_reported(self):
        self.t["ppc64le"]["uintptr"]["F_GETLK_"] = 12
        self.assertTrue(any(p.startswith("F_GETLK_ is not") for p in problems(self.t)))

    def test_fork_missing_elsewhere_is_reported(self):
        del self.t["arm"]["SYS"]["SYS_FORK"]
        self.assertTrue(any("arm: SYS_FORK missing" in p for p in problems(self.t)))


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    unittest.main()
