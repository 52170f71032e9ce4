# SPDX-License-Identifier: BSD-3-Clause
"""Errno and signal texts, as glibc gives them, in Go's spelling.

glibc keys its texts by *name* (strerror(EPERM), strsignal(SIGKILL)), and no
target code is ever run, so a small host program prints name -> text for every
name (under LC_ALL=C); the tables are then filled by target value through the
name. glibc's texts are keyed by name, so every arch shares them; only the
numbers differ, with the exceptions `target_texts` lists (names the host's
glibc does not have, and aliases that have a number of their own elsewhere).
"""

import os
import subprocess
import tempfile
from typing import Dict, Iterable


def go_lower(text: str) -> str:
    """Go's rule: lower the first letter when the second is lower case
    ("Operation not permitted" -> "operation not permitted", "I/O possible" stays)."""
    if len(text) >= 2 and "A" <= text[0] <= "Z" and "a" <= text[1] <= "z":
        return text[0].lower() + text[1:]
    return text


def program(errnos: Iterable[str], signals: Iterable[str]) -> str:
    lines = [
        "#define _GNU_SOURCE 1",
        "#include <errno.h>",
        "#include <signal.h>",
        "#include <stdio.h>",
        "#include <string.h>",
        "static void out(const char* name, const char* text) {",
        "  fputs(name, stdout); fputc(0, stdout); fputs(text, stdout); fputc(0, stdout);",
        "}",
        "int main(void) {",
    ]
    for n in sorted(set(errnos)):
        lines += [f"#ifdef {n}", f'  out("{n}", strerror({n}));', "#endif"]
    for n in sorted(set(signals)):
        lines += [f"#ifdef {n}", f'  out("{n}", strsignal({n}));', "#endif"]
    lines += ["  return 0;", "}"]
    return "\n".join(lines) + "\n"


def host_texts(errnos: Iterable[str], signals: Iterable[str], cc: str = "cc") -> Dict[str, str]:
    """name -> glibc's text (unchanged case), from a native program built with `cc`."""
    with tempfile.TemporaryDirectory(prefix="gs-messages-") as tmp:
        src, exe = os.path.join(tmp, "messages.c"), os.path.join(tmp, "messages")
        with open(src, "w") as f:
            f.write(program(errnos, signals))
        subprocess.run([cc, "-O0", "-w", src, "-o", exe], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
        env["LC_ALL"] = "C"
        out = subprocess.run([exe], check=True, capture_output=True, env=env).stdout
    fields = out.decode().split("\0")[:-1]
    return dict(zip(fields[0::2], fields[1::2]))


# glibc lists one name per number: these aliases borrow the text of the name
# they alias (glibc's own), and have none where they get a number of their
# own: mips' EDEADLOCK is 56 and ppc64's 58, not EDEADLK's, and glibc 2.36's
# strerror says "Unknown error 56" / "Unknown error 58" there.
ALIASES = {
    "EDEADLOCK": "EDEADLK", "EWOULDBLOCK": "EAGAIN", "ENOTSUP": "EOPNOTSUPP",
    "SIGIOT": "SIGABRT", "SIGPOLL": "SIGIO", "SIGCLD": "SIGCHLD",
}

# Names of other arches that the host's glibc does not define (so the host
# program cannot ask for their text): glibc's own text, or None where glibc
# has none and strerror/strsignal answer "Unknown error N" / "Unknown signal N".
# Each was checked once with the target's glibc 2.36 under qemu-user (mips).
TARGET_ONLY = {
    "EINIT": None,          # mips 141 (kernel: "Reserved")
    "EREMDEV": None,        # mips 142 (kernel: "Error 142")
    "SIGEMT": "EMT trap",   # mips 7 (glibc's siglist.h, under #ifdef SIGEMT)
}


def target_texts(values: Dict[str, int], host: Dict[str, str]) -> Dict[str, str]:
    """name -> glibc's text on the target, for the names of one block (errors
    or signals) with their target values; host is host_texts' answer. A name
    that has no text (neither on the host nor in TARGET_ONLY) is left out."""
    out = {}
    for name, value in values.items():
        unknown = ("Unknown signal " if name.startswith("SIG") else "Unknown error ") + str(value)
        alias = ALIASES.get(name)
        if alias is not None and alias in values and values[alias] != value:
            out[name] = unknown
        elif name in host:
            out[name] = host[name]
        elif name in TARGET_ONLY:
            out[name] = TARGET_ONLY[name] if TARGET_ONLY[name] is not None else unknown
    return out


def table(values: Dict[str, int], texts: Dict[str, str]):
    """A dense table indexed by number: [(number, name or None, text or None)].

    When several names share a number, the entry takes the first in sort
    order, as Go's mkerrors does (EAGAIN not EWOULDBLOCK, SIGIO not SIGPOLL,
    SIGABRT not SIGIOT, ENOTSUP not EOPNOTSUPP).
    """
    by_number: Dict[int, str] = {}
    for name in sorted(values):
        by_number.setdefault(values[name], name)
    size = max(by_number, default=-1) + 1
    rows = []
    for number in range(size):
        name = by_number.get(number)
        text = texts.get(name) if name else None
        rows.append((number, name, go_lower(text) if text is not None else None))
    return rows
