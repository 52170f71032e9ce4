#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The committed zerrors/ headers against Go's own tables (ctest: gen_gotables).

For each of the twelve arches, every name that both our headers and Go's
generated files define must have the same value (and be the same kind of
thing: an Errno, a Signal or a plain constant), and every errno and signal
number both describe must have the same message. Two Go sources, each from
its Debian package:

  syscall   $(go env GOROOT)/src/syscall/zerrors_linux_<arch>.go and
            zsysnum_linux_<arch>.go (golang-go). Frozen: Go generated them
            from the kernel headers of their day (2014-2018 for most arches)
            and no longer regenerates them.
  x/sys     golang.org/x/sys/unix's zerrors_linux.go (the names every arch
            shares), zerrors_linux_<arch>.go and zsysnum_linux_<arch>.go
            (golang-golang-x-sys-dev), regenerated from recent kernel and
            glibc headers.

A difference is either a generator bug (fixed in gen/) or deliberate, and
then listed in DELIBERATE below with its reason, found in the headers. The
list is held true both ways: a difference not listed fails, and so does a
listed one that no longer differs. Skips when a package is not installed.
One difference this found was ours, and is fixed in gen/headers.py:
F_GETLK/F_SETLK/F_SETLKW on ppc64 and ppc64le were glibc's 12-14, which the
64-bit kernel rejects; they are the kernel's 5-7 now, as in both of Go's.

    /usr/bin/python3 gen/test_gotables.py -v
"""

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZERRORS = os.path.join(ROOT, "zerrors")
ARCHES = ("386", "amd64", "arm", "arm64", "mips", "mips64", "mips64le", "mipsle",
          "ppc64", "ppc64le", "riscv64", "s390x")
SOURCES = ("syscall", "x/sys")
XSYS = "/usr/share/gocode/src/golang.org/x/sys/unix"


@functools.lru_cache(maxsize=None)
def goroot():
    """GOROOT of the installed Go (golang-go), or None."""
    # Debian puts go in /usr/bin; /usr/lib/go/bin for a PATH without it.
    go = shutil.which("go") or shutil.which("go", path="/usr/lib/go/bin")
    if go is None:
        return None
    try:
        out = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def go_files(source, arch):
    """The Go files of one source and arch."""
    if source == "syscall":
        d = os.path.join(goroot() or "/nonexistent", "src", "syscall")
        return [os.path.join(d, f"zerrors_linux_{arch}.go"), os.path.join(d, f"zsysnum_linux_{arch}.go")]
    return [os.path.join(XSYS, "zerrors_linux.go"), os.path.join(XSYS, f"zerrors_linux_{arch}.go"),
            os.path.join(XSYS, f"zsysnum_linux_{arch}.go")]


# --- parsing ------------------------------------------------------------------
# Go, inside const ( ... ):  NAME = 0x1f  |  NAME = -0x64  |  NAME = 12
#                            NAME = Errno(0x1)  |  NAME = syscall.Signal(0x12)
# (string constants, and the message arrays, do not match).
_GO_CONST = re.compile(r"^\t(\w+)\s+=\s+(?:(?:syscall\.)?(Errno|Signal)\()?(-?(?:0x[0-9a-fA-F]+|\d+))\)?\s*$",
                       re.M)
# Go syscall's messages:   var errors = [...]string{ 1: "operation not permitted", ...
_GO_MESSAGE = re.compile(r'^\t(\d+):\s+"([^"]*)",$', re.M)
_GO_ARRAY = re.compile(r"^var (errors|signals) = \[\.\.\.\]string\{\n(.*?)^\}", re.M | re.S)
# x/sys's:                 var errorList = [...]struct{...}{ {1, "EPERM", "operation not permitted"}, ...
_XSYS_ENTRY = re.compile(r'^\t\{(\d+), "(\w+)", "([^"]*)"\},$', re.M)
# (the struct type's own "}" comes first: the entries follow "}{").
_XSYS_LIST = re.compile(r"^var (errorList|signalList) = \[\.\.\.\]struct \{\n.*?^\}\{\n(.*?)^\}", re.M | re.S)
_XSYS_KIND = {"errorList": "errors", "signalList": "signals"}

# C++:  inline constexpr uintptr NAME_ = 0x1f;   inline constexpr Errno EPERM_{0x1};
#       inline constexpr std::int64_t AT_FDCWD_ = -0x64LL;   inline constexpr uintptr SYS_READ = 0;
_CXX_CONST = re.compile(r"^inline constexpr ([\w:]+) (\w+)(?: = |\{)(-?(?:0x[0-9a-f]+|\d+))(?:LL)?[};]", re.M)
# C++ messages:  inline constexpr const char* errors[134] = { /* 1 EPERM */ "operation not permitted", ...
_CXX_ARRAY = re.compile(r"^inline constexpr const char\* (errors|signals)\[\d+\] = \{\n(.*?)^\};",
                        re.M | re.S)
_CXX_MESSAGE = re.compile(r'/\* (\d+)(?: \w+)? \*/ "([^"]*)"')


def _kind(typ):
    # Errno and Signal are types of their own on both sides; everything else
    # (uintptr, int64 for a negative value, uint64 for one wider than a
    # 32-bit word) is a plain constant, untyped in Go.
    return typ if typ in ("Errno", "Signal") else "const"


def parse_go(paths):
    """{name: (kind, value)} of Go constants, and {"errors[n]"/"signals[n]": text}."""
    consts, messages = {}, {}
    for path in paths:
        with open(path) as f:
            text = f.read()
        for name, typ, value in _GO_CONST.findall(text):
            consts[name] = (_kind(typ), int(value, 0))
        for kind, body in _GO_ARRAY.findall(text):
            for n, msg in _GO_MESSAGE.findall(body):
                messages[f"{kind}[{n}]"] = msg
        for kind, body in _XSYS_LIST.findall(text):
            for n, _name, msg in _XSYS_ENTRY.findall(body):
                messages[f"{_XSYS_KIND[kind]}[{n}]"] = msg
    return consts, messages


def parse_ours(arch, zerrors=ZERRORS):
    """The same two maps from the committed headers; Go's names (no C++ underscore)."""
    consts, messages = {}, {}
    for fname in (f"zerrors_linux_{arch}.hpp", f"zsysnum_linux_{arch}.hpp"):
        with open(os.path.join(zerrors, fname)) as f:
            text = f.read()
        for typ, name, value in _CXX_CONST.findall(text):
            # zerrors names end in "_" (they would clash with the C macros);
            # SYS_ numbers in zsysnum do not.
            consts[name[:-1] if name.endswith("_") else name] = (_kind(typ), int(value, 0))
        for kind, body in _CXX_ARRAY.findall(text):
            for n, msg in _CXX_MESSAGE.findall(body):
                messages[f"{kind}[{n}]"] = msg
    return consts, messages


def compare(ours, theirs):
    """(constants compared, messages compared, {name: (our value, Go's)} where they differ).
    A constant's value is (kind, number); a message's, its text."""
    counts, diffs = [], {}
    for mine, go in zip(ours, theirs):
        common = sorted(set(mine) & set(go))
        counts.append(len(common))
        diffs.update({n: (mine[n], go[n]) for n in common if mine[n] != go[n]})
    return counts[0], counts[1], diffs


# --- the deliberate differences ---------------------------------------------
# (source, arch or "*", name) -> reason; a name is a constant's or SYS_
# number's, or errors[n] / signals[n] for a message. "*" would stand for
# every arch where both define the name (none is listed so: each entry
# names its arches, so that one that stops differing is noticed).
ALL_64 = ("arm64", "mips64", "mips64le", "ppc64", "ppc64le", "riscv64", "s390x")  # but amd64
MIPS = ("mips", "mips64", "mips64le", "mipsle")
PPC = ("ppc64", "ppc64le")


def _each(source, arches, names, reason):
    return {(source, a, n): reason for a in arches for n in names}


DELIBERATE = {
    # Go's syscall tables are frozen: each arch's file was generated once from
    # the kernel and glibc headers of its day, and values changed since.
    # (Go's riscv64 file, the newest, has today's MS_RMT_MASK.)
    **_each("syscall", [a for a in ARCHES if a != "riscv64"], ["MS_RMT_MASK"],
            "linux/mount.h added MS_LAZYTIME (1<<25) to MS_RMT_MASK in Linux 4.0; Go's 0x800051 predates it"),
    **_each("syscall", ("386", "amd64", "arm"), ["PTRACE_O_MASK"],
            "Go's 0x7f predates PTRACE_O_TRACESECCOMP (0x80, Linux 3.5), PTRACE_O_EXITKILL (1<<20, 3.8) "
            "and PTRACE_O_SUSPEND_SECCOMP (1<<21, 4.3), all in linux/ptrace.h's mask now"),
    **_each("syscall", ("arm64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le", "riscv64"),
            ["PTRACE_O_MASK"],
            "Go's 0x1000ff lacks PTRACE_O_SUSPEND_SECCOMP (1<<21, Linux 4.3), in linux/ptrace.h's mask now"),
    **_each("syscall", ("arm",), ["O_SYNC", "O_FSYNC", "O_RSYNC"],
            "Go's arm file has the pre-2.6.33 O_SYNC (0x1000, today's O_DSYNC); glibc's O_SYNC is "
            "04010000 (__O_SYNC|O_DSYNC), as Go's own 386 and amd64 files have it"),
    **_each("syscall", ("arm64", "ppc64le"), ["O_TMPFILE"],
            "older glibc wrote __O_TMPFILE as 020200000, the generic O_DIRECTORY (0x10000) in it; "
            "glibc now has (020000000 | __O_DIRECTORY), and O_DIRECTORY is 0x4000 here (Go's too)"),
    **_each("syscall", ALL_64, ["PR_SET_PTRACER_ANY"],
            "linux/prctl.h's ((unsigned long)-1): Go's file writes it signed (-0x1), the same 64 bits; "
            "x/sys and ours 0xffffffffffffffff"),
    # Messages: ours are glibc 2.36's strerror texts (messages.py; EDEADLOCK's
    # checked under qemu-user), Go's those of the glibc it ran.
    **_each("syscall", ("386", "amd64", "arm", "ppc64"), ["errors[116]"],
            "ESTALE: the glibc Go ran said 'stale NFS file handle'; glibc 2.36 (and x/sys) "
            "'stale file handle'"),
    **_each("syscall", ("mips64", "mips64le"), ["errors[151]"],
            "ESTALE (151 on mips): the glibc Go ran said 'stale NFS file handle'; glibc 2.36 "
            "'stale file handle'"),
    **_each("syscall", ("arm",), ["errors[133]"],
            "EHWPOISON: the glibc Go's arm file came from had no text ('unknown error 133'); "
            "glibc 2.36 has one"),
    **_each("syscall", MIPS, ["errors[56]"],
            "EDEADLOCK (56 on mips, not EDEADLK): glibc 2.36 has no text ('unknown error 56'), the glibc "
            "Go ran had 'file locking deadlock error'"),
    **_each("x/sys", MIPS, ["errors[56]"],
            "EDEADLOCK (56 on mips, not EDEADLK): glibc 2.36 has no text ('unknown error 56'), the glibc "
            "x/sys ran had 'file locking deadlock error'"),
    **_each("syscall", PPC, ["errors[58]"],
            "EDEADLOCK (58 on ppc, not EDEADLK): glibc 2.36 has no text ('unknown error 58'), the glibc "
            "Go ran had 'file locking deadlock error'"),
    **_each("x/sys", PPC, ["errors[58]"],
            "EDEADLOCK (58 on ppc, not EDEADLK): glibc 2.36 has no text ('unknown error 58'), the glibc "
            "x/sys ran had 'file locking deadlock error'"),
}


def check(results):
    """results: {(source, arch): {name: (ours, go)}} of differences.
    Returns the problems: unlisted differences, and listed ones that no longer differ."""
    out = []
    if not results:
        return out
    for (source, arch), diffs in sorted(results.items()):
        for name, (ours, go) in sorted(diffs.items()):
            if (source, arch, name) not in DELIBERATE and (source, "*", name) not in DELIBERATE:
                out.append(f"{source} {arch}: {name}: ours {ours}, Go's {go} (not in DELIBERATE)")
    for (source, arch, name), _reason in sorted(DELIBERATE.items()):
        arches = [arch] if arch != "*" else [a for s, a in results if s == source]
        for a in arches:
            if (source, a) in results and name not in results[(source, a)]:
                out.append(f"{source} {a}: {name} is listed in DELIBERATE ({arch}) but no longer differs")
    return out


def missing_sources():
    """{source: why it cannot be compared} for the sources not installed."""
    out = {}
    if goroot() is None:
        out["syscall"] = "syscall: no go command (Debian package golang-go)"
    for source in SOURCES:
        if source in out:
            continue
        gone = [p for a in ARCHES for p in go_files(source, a) if not os.path.exists(p)]
        if gone:
            pkg = "golang-go" if source == "syscall" else "golang-golang-x-sys-dev"
            out[source] = f"{source}: {gone[0]} missing (Debian package {pkg})"
    return out


def listed(source, arch, name):
    return (source, arch, name) in DELIBERATE or (source, "*", name) in DELIBERATE


class GoTables(unittest.TestCase):
    def compare_source(self, source):
        missing = missing_sources()
        if source in missing:
            print(f"\nskipped: {missing[source]}", file=sys.stderr)
            self.skipTest(missing[source])
        results, lines = {}, []
        for arch in ARCHES:
            consts, msgs, diffs = compare(parse_ours(arch), parse_go(go_files(source, arch)))
            # A parse that silently found nothing would compare nothing.
            self.assertGreater(consts, 500, f"{source} {arch}: only {consts} names in common")
            self.assertGreater(msgs, 100, f"{source} {arch}: only {msgs} messages in common")
            results[(source, arch)] = diffs
            n_listed = sum(listed(source, arch, name) for name in diffs)
            lines.append(f"{source:7} {arch:8} {consts:5} names, {msgs:3} messages compared: "
                         f"{len(diffs):2} differ, {n_listed:2} listed as deliberate")
        print("\n" + "\n".join(lines), file=sys.stderr)
        problems = check(results)
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_go_syscall(self):
        self.compare_source("syscall")

    def test_x_sys_unix(self):
        self.compare_source("x/sys")


class CheckFails(unittest.TestCase):
    """check() can fail both ways (on made-up results: no Go needed)."""

    def results(self):
        # Exactly the listed differences, with made-up values.
        out = {(s, a): {} for s in SOURCES for a in ARCHES}
        for (source, arch, name) in DELIBERATE:
            for a in (ARCHES if arch == "*" else (arch,)):
                out[(source, a)][name] = (1, 2)
        return out

    def test_exactly_the_listed_differences_pass(self):
        self.assertEqual(check(self.results()), [])

    def test_an_unlisted_difference_fails(self):
        r = self.results()
        r[("x/sys", "amd64")]["EPERM"] = (("Errno", 1), ("Errno", 2))
        self.assertEqual([p for p in check(r) if "EPERM" in p],
                         ["x/sys amd64: EPERM: ours ('Errno', 1), Go's ('Errno', 2) (not in DELIBERATE)"])

    def test_a_listed_difference_that_went_away_fails(self):
        r = self.results()
        del r[("syscall", "arm")]["O_SYNC"]
        self.assertEqual(check(r),
                         ["syscall arm: O_SYNC is listed in DELIBERATE (arm) but no longer differs"])

    def test_a_star_entry_must_differ_on_every_arch(self):
        r = self.results()
        DELIBERATE[("x/sys", "*", "FAKE")] = "test"
        try:
            for a in ARCHES[1:]:
                r[("x/sys", a)]["FAKE"] = (1, 2)
            self.assertEqual(check(r), [f"x/sys {ARCHES[0]}: FAKE is listed in DELIBERATE (*) "
                                        "but no longer differs"])
            self.assertTrue(listed("x/sys", "s390x", "FAKE"))
        finally:
            del DELIBERATE[("x/sys", "*", "FAKE")]


class Parsing(unittest.TestCase):
    def test_go_and_cxx_forms(self):
        go = ("const (\n\tAT_FDCWD = -0x64\n\tO_RDWR   = 0x2\n\tSYS_READ = 63\n"
              '\tDM_DIR   = "mapper"\n)\nconst (\n\tEPERM = syscall.Errno(0x1)\n'
              "\tSIGCHLD = Signal(0x11)\n)\n"
              "var errors = [...]string{\n\t1:   \"operation not permitted\",\n}\n"
              "var signalList = [...]struct {\n\tnum  syscall.Signal\n\tname string\n\tdesc string\n}{\n"
              '\t{17, "SIGCHLD", "child exited"},\n}\n')
        with tempfile.NamedTemporaryFile("w", suffix=".go") as f:
            f.write(go)
            f.flush()
            consts, msgs = parse_go([f.name])
        self.assertEqual(consts, {"AT_FDCWD": ("const", -100), "O_RDWR": ("const", 2),
                                  "SYS_READ": ("const", 63), "EPERM": ("Errno", 1),
                                  "SIGCHLD": ("Signal", 17)})
        self.assertEqual(msgs, {"errors[1]": "operation not permitted", "signals[17]": "child exited"})
        consts, msgs = parse_ours("amd64")
        self.assertEqual(consts["AT_FDCWD"], ("const", -100))
        self.assertEqual(consts["EPERM"], ("Errno", 1))
        self.assertEqual(consts["SIGCHLD"], ("Signal", 17))
        self.assertEqual(consts["SYS_READ"], ("const", 0))
        self.assertEqual(msgs["errors[1]"], "operation not permitted")


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    unittest.main()
