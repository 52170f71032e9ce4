#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Fails when the child path (the code between clone and execve) of a build
makes a call: issue 12, defect 7.

    check_child_calls.py [--expect NAME]... [--report FILE]
        --build LABEL [--flags FLAGS] [--expect NAME]... [--canary CALLEE]
                FILE... [--build LABEL ...]

Each --build names one build, the compiler flags it was made with (shown
in the log), and the files it made: object files, static libraries (ar
archives), shared libraries or executables, of any arch this project
supports. An argument holding ';' is a CMake list of files
($<TARGET_OBJECTS:...> reaches add_test as one argument). The child
functions (elf_functions.CHILD_ENTRIES) are found by name in each build's
files and disassembled with objdump; child_rules says what fails.

A build in which no child function is found fails, and so does one that
lacks a function named with --expect (before the first --build: every
build; after one: that build): a check that finds nothing to check would
pass whatever the code does. For the same reason a build given --canary
(canary.cpp, whose childMain calls CALLEE) must show that call: it proves,
in each build's arch and flags, that the check still sees a call. Every
line printed starts with
"child-calls:"; --report FILE also gets one line per build and function
checked, which tools/test lists at the end of its run.
"""

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

import child_rules
import disassemble
import elf_functions


# Violations shown per function: an instrumented build has hundreds, and
# the first ones say what is wrong.
MAX_SHOWN = 20


@dataclass
class Build:
    label: str
    flags: str = ""
    files: list = field(default_factory=list)
    expect: list = field(default_factory=list)    # child functions it must have
    canary: str = ""                              # the callee a canary build must show
    checked: list = field(default_factory=list)   # report lines


def log(line):
    print(f"child-calls: {line}", flush=True)


def short(text):
    """text with the project's namespaces left out, for shorter lines."""
    return re.sub(r"go::syscall::(\(anonymous namespace\)::)?(detail::)?", "", text)


def shown(insn):
    """An instruction as the log shows it. In an object file a call's
    operand is a placeholder (objdump names whatever is at offset 0): the
    relocation names the callee, so it is shown instead."""
    text = re.sub(r" ?<[^>]*>", "", insn.text) if insn.relocs else insn.text
    return short(" ".join([text] + [f"[{r}]" for r in insn.relocs]))


def parse_args(argv):
    """(report file or None, [Build])."""
    expect, report, builds = [], None, []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--"):
            if i + 1 >= len(argv):
                raise SystemExit(f"{arg} needs a value\n{__doc__}")
            value = argv[i + 1]
            if arg == "--expect":
                (builds[-1].expect if builds else expect).append(value)
            elif arg == "--report":
                report = value
            elif arg == "--build":
                builds.append(Build(value))
            elif arg == "--flags" and builds:
                builds[-1].flags = value
            elif arg == "--canary" and builds:
                builds[-1].canary = value
            else:
                raise SystemExit(f"{arg}: unknown here\n{__doc__}")
            i += 2
        elif builds:
            builds[-1].files.extend(f for f in arg.split(";") if f)
            i += 1
        else:
            raise SystemExit(f"{arg}: a file before any --build\n{__doc__}")
    if not builds:
        raise SystemExit(__doc__)
    for build in builds:
        build.expect += expect
    return report, builds


def elf_files(path, scratch):
    """[(display name, ELF path)]: path itself, or an archive's members."""
    with open(path, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            return [(os.path.basename(path), path)]
    # An archive: its members, extracted by ar (any arch's archive).
    out = tempfile.mkdtemp(dir=scratch)
    members = subprocess.run(["ar", "t", path], capture_output=True, text=True,
                             check=True).stdout.split()
    subprocess.run(["ar", "x", os.path.abspath(path)], cwd=out, check=True)
    return [(f"{os.path.basename(path)}({m})", os.path.join(out, m)) for m in members]


def check_function(build, display, path, info, function):
    """The violations in function, each a reason (each one logged)."""
    name = short(function.name)
    insns = disassemble.disassemble(path, info.arch, function.section, function.start,
                                    function.end)
    if not insns:
        log(f"  FAIL {display}: {name}: objdump showed no instruction")
        build.checked.append(f"{function.entry}: objdump showed no instruction")
        return ["objdump showed no instruction"]
    found, allowed = child_rules.violations(info, function, insns)
    count = sum(1 for i in insns if i.text != "(data)")  # instructions, not data
    extra = f", {allowed} PIC thunk call(s)" if allowed else ""
    verdict = "ok" if not found else f"{len(found)} VIOLATION(S)"
    if build.canary:
        verdict = f"{len(found)} violation(s), as a canary must"
    log(f"  {display}: {name} [{info.arch}, {count} instructions{extra}]: {verdict}")
    tag = "canary" if build.canary else "FAIL"  # a canary's calls are wanted
    for insn, why in found[:MAX_SHOWN]:
        log(f"    {tag} {name}+{insn.addr - function.start:#x}: {shown(insn)} <- {short(why)}")
    if len(found) > MAX_SHOWN:
        log(f"    ... and {len(found) - MAX_SHOWN} more")
    clone = function.name[function.name.rfind(")") + 1:]  # " [clone .cold]", or nothing
    build.checked.append(f"{function.entry}{clone} ({count} instructions): {verdict}")
    return [why for _, why in found]


def check_build(build, scratch):
    """Number of failures in one build (each one logged)."""
    log(f"build {build.label}" + (f" ({build.flags})" if build.flags else ""))
    violations, seen = [], set()
    for file in build.files:
        for display, path in elf_files(file, scratch):
            info = elf_functions.read(path)
            for function in info.functions:
                seen.add(function.entry)
                violations += check_function(build, display, path, info, function)
    failures = len(violations)
    if build.canary:
        # The canary's violations are expected; only missing its call fails.
        failures = 0 if f"calls {build.canary}" in violations else 1
        verdict = "seen: ok" if failures == 0 else "NOT SEEN: the check is broken"
        log(f"  canary: its call to {build.canary} {verdict}")
        build.checked.append(f"canary call {verdict}")
    if not seen:
        why = (f"no child function ({', '.join(elf_functions.CHILD_ENTRIES)}) found: "
               f"nothing was checked")
        log(f"  FAIL {build.label}: {why} in {' '.join(build.files)}")
        build.checked.append(f"FAIL: {why}")
        failures += 1
    for name in build.expect:
        if name not in seen and not build.canary:  # a canary has its own name
            why = (f"expected child function {name} not found (renamed, or inlined "
                   f"into a function the check does not know?)")
            log(f"  FAIL {build.label}: {why}")
            build.checked.append(f"FAIL: {why}")
            failures += 1
    return failures


def main(argv):
    report, builds = parse_args(argv)
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        for build in builds:
            failures += check_build(build, scratch)
    verdict = "PASS" if failures == 0 else f"FAIL ({failures} problem(s))"
    log(f"{len(builds)} build(s) checked: {verdict}")
    if report:
        with open(report, "w") as f:
            for build in builds:
                f.write(f"{build.label}: {'; '.join(build.checked)}\n")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
