# SPDX-License-Identifier: BSD-3-Clause
"""Values of C macros for a target, computed by the target's compiler.

Nothing built for the target is ever run. Every candidate name becomes a
constant object in a C file compiled with the cross compiler:

    #line 1 "@NAME"
    enum { gs_ice_NAME = ((NAME) != 0) };
    const struct gs_value gs_v_NAME = { (unsigned long long)(NAME), (NAME) < 0, GS_INT(NAME) };

and the bytes of gs_v_NAME are read back from the object file with pyelftools.
The enumerator demands an integer constant expression, the static initializer
a constant, and the _Generic (no default) an integer type, so a function-like
use, a call (SIGRTMIN), a pointer (SIG_DFL), a string or an empty expansion
fails to compile. `#line` names the file after the macro, so each diagnostic
says which name failed; those names are dropped and the file compiled again.

Word size comes out right by construction: `(unsigned long)-1` is converted by
the target compiler, giving 0xffffffff on ILP32 and 0xffffffffffffffff on LP64.
The sign flag keeps negative values negative (the bits alone cannot tell).
"""

import os
import re
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Dict, Iterable, Tuple

from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection

CFLAGS = (
    "-c", "-O0", "-w", "-std=gnu11", "-pedantic-errors",
    "-ftrack-macro-expansion=0",   # diagnostics point at our line, not into the header
    "-fno-diagnostics-color", "-fmax-errors=0",
)

_PROLOGUE = r"""
struct gs_value { unsigned long long bits; int negative; int integer; };
#define GS_INT(x) _Generic((x), \
    _Bool: 1, char: 1, signed char: 1, unsigned char: 1, short: 1, unsigned short: 1, \
    int: 1, unsigned int: 1, long: 1, unsigned long: 1, long long: 1, unsigned long long: 1)
"""

_ERROR = re.compile(r"^@([A-Za-z_][A-Za-z0-9_]*):\d+:(?:\d+:)? (?:fatal )?error: (.*)$", re.M)
SYMBOL_PREFIX = "gs_v_"
MAX_ROUNDS = 20


@dataclass(frozen=True)
class Value:
    bits: int        # the value converted to unsigned long long by the target
    negative: bool   # the C value is < 0

    @property
    def int(self) -> int:
        """The value as a Python int (negative when C says so)."""
        return self.bits - (1 << 64) if self.negative else self.bits


def source(preamble: str, names: Iterable[str]) -> str:
    parts = [preamble, _PROLOGUE]
    for n in names:
        parts.append(
            f'#line 1 "@{n}"\n'
            f"enum {{ gs_ice_{n} = ((({n})) != 0) }};\n"
            f"const struct gs_value {SYMBOL_PREFIX}{n} = "
            f"{{ (unsigned long long)({n}), ({n}) < 0, GS_INT({n}) }};\n"
        )
    return "".join(parts)


def read_object(path: str) -> Dict[str, Value]:
    """Read every gs_v_* object back from a relocatable ELF file."""
    values = {}
    with open(path, "rb") as f:
        elf = ELFFile(f)
        fmt = ("<" if elf.little_endian else ">") + "Qii"
        size = struct.calcsize(fmt)
        symtab = elf.get_section_by_name(".symtab")
        # Anything the linker would have to patch is not a compile-time constant.
        relocated = set()   # (section index, byte offset) of every relocation
        for sec in elf.iter_sections():
            if isinstance(sec, RelocationSection):
                for rel in sec.iter_relocations():
                    relocated.add((sec["sh_info"], rel["r_offset"]))
        data_cache = {}
        for sym in symtab.iter_symbols():
            if not sym.name.startswith(SYMBOL_PREFIX) or not isinstance(sym["st_shndx"], int):
                continue
            shndx, off = sym["st_shndx"], sym["st_value"]
            if any((shndx, off + i) in relocated for i in range(size)):
                continue
            if shndx not in data_cache:
                sec = elf.get_section(shndx)
                data_cache[shndx] = None if sec["sh_type"] == "SHT_NOBITS" else sec.data()
            data = data_cache[shndx]
            bits, negative, integer = struct.unpack_from(fmt, data, off) if data else (0, 0, 0)
            if integer == 1:
                values[sym.name[len(SYMBOL_PREFIX):]] = Value(bits, bool(negative))
    return values


def compile_values(cc: str, preamble: str, names: Iterable[str],
                   workdir: str = None) -> Tuple[Dict[str, Value], Dict[str, str]]:
    """Evaluate `names` with compiler `cc` after `preamble`.

    Returns (values, dropped): values maps each name that is an integer
    constant expression to its Value; dropped maps every other name to the
    compiler's first complaint about it.
    """
    names = list(dict.fromkeys(names))
    dropped: Dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="gs-values-", dir=workdir) as tmp:
        src, obj = os.path.join(tmp, "values.c"), os.path.join(tmp, "values.o")
        for _ in range(MAX_ROUNDS):
            live = [n for n in names if n not in dropped]
            with open(src, "w") as f:
                f.write(source(preamble, live))
            proc = subprocess.run([cc, *CFLAGS, src, "-o", obj], capture_output=True, text=True)
            if proc.returncode == 0:
                values = read_object(obj)
                for n in live:
                    if n not in values:
                        dropped[n] = "not a link-time-free integer constant"
                return values, dropped
            bad = {}
            for name, message in _ERROR.findall(proc.stderr):
                if name in live and name not in bad:
                    bad[name] = message.strip()
            if not bad:
                raise RuntimeError(f"{cc}: cannot compile the values file:\n{proc.stderr}")
            dropped.update(bad)
        raise RuntimeError(f"{cc}: still failing after {MAX_ROUNDS} rounds")
