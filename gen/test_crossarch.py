#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Cross-arch agreement of the committed zerrors/ headers (ctest: gen_crossarch).

The kernel ABI fixes what must be equal and what must differ between the four
arches gen/ knows, and this test holds the committed files to it:
  equal:   errno and signal numbers, names and messages. 386, amd64, arm and
           arm64 all take errno from asm-generic/errno*.h and share the
           classic signal numbering (mips, alpha, sparc and parisc do not).
  differ:  word-size constants (PR_SET_PTRACER_ANY is (unsigned long)-1; the
           generator writes O_LARGEFILE as 0 on 64-bit arches, as Go does),
           flags each arch defines for itself (O_DIRECTORY), and system
           call numbers: each arch has its own table, and arm64 (the
           asm-generic table) has no fork, dup2 or getpgrp at all.
It reads only the committed files, so it needs no compiler.

    /usr/bin/python3 gen/test_crossarch.py -v
"""

import os
import re
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZERRORS = os.path.join(ROOT, "zerrors")
ARCHES = ("386", "amd64", "arm", "arm64")

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


def problems(t):
    """Every way the tables t ({arch: load(arch)}) break the ABI rules; [] when none."""
    out = []
    ref = t["amd64"]
    for arch in ARCHES:
        for kind in ("Errno", "Signal", "messages"):
            if t[arch][kind] != ref[kind]:
                if kind == "messages":
                    diff = sorted(set(t[arch][kind]) ^ set(ref[kind]))[:5]
                else:
                    names = set(t[arch][kind]) | set(ref[kind])
                    diff = sorted(n for n in names if t[arch][kind].get(n) != ref[kind].get(n))[:5]
                out.append(f"{kind} differs between amd64 and {arch}: {diff}")
        if len(t[arch]["Errno"]) < 100 or len(t[arch]["Signal"]) < 30:
            out.append(f"{arch}: too few errno or signal constants parsed")

    word = {"386": 32, "arm": 32, "amd64": 64, "arm64": 64}
    for arch, bits in word.items():
        want = (1 << bits) - 1
        got = t[arch]["uintptr"].get("PR_SET_PTRACER_ANY_")
        if got != want:
            out.append(f"{arch}: PR_SET_PTRACER_ANY_ = {got}, want {want:#x} ({bits}-bit word)")
        largefile = t[arch]["uintptr"].get("O_LARGEFILE_")
        if (largefile == 0) != (bits == 64):
            out.append(f"{arch}: O_LARGEFILE_ = {largefile}, want 0 exactly on 64-bit arches")
    odir = {a: t[a]["uintptr"].get("O_DIRECTORY_") for a in ARCHES}
    if not (odir["386"] == odir["amd64"] == 0x10000 and odir["arm"] == odir["arm64"] == 0x4000):
        out.append(f"O_DIRECTORY_ is not x86's 0x10000 and arm's 0x4000: {odir}")

    getpid = {a: t[a]["SYS"].get("SYS_GETPID") for a in ARCHES}
    # 386 and arm share the old i386 numbers for old calls; amd64 and arm64 have their own.
    if getpid != {"386": 20, "arm": 20, "amd64": 39, "arm64": 172}:
        out.append(f"SYS_GETPID is not 386/arm 20, amd64 39, arm64 172: {getpid}")
    for a, b in (("amd64", "arm64"), ("386", "amd64"), ("arm", "arm64"), ("386", "arm")):
        common = set(t[a]["SYS"]) & set(t[b]["SYS"])
        if common and all(t[a]["SYS"][n] == t[b]["SYS"][n] for n in common):
            out.append(f"the syscall tables of {a} and {b} agree on every shared name")
    for name in ("SYS_FORK", "SYS_DUP2", "SYS_GETPGRP"):
        for arch in ARCHES:
            has = name in t[arch]["SYS"]
            if has != (arch != "arm64"):
                out.append(f"{arch}: {name} {'present' if has else 'missing'}; "
                           "only arm64 (asm-generic) lacks it")
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

    def test_fork_missing_elsewhere_is_reported(self):
        del self.t["arm"]["SYS"]["SYS_FORK"]
        self.assertTrue(any("arm: SYS_FORK missing" in p for p in problems(self.t)))


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    unittest.main()
