# SPDX-License-Identifier: BSD-3-Clause
"""The child functions of one ELF file: which they are and where they lie.

Read with pyelftools. A function is a child function when its (demangled)
name is one of CHILD_ENTRIES, in any namespace, or a compiler's clone of one
("[clone .cold]", ".isra.0", ...): the code between clone and execve lives
there. Bounds come from the symbol table (st_value, st_size), so only the
function's own bytes are read, never a neighbour's.
"""

import re
import subprocess
from dataclasses import dataclass

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

# The functions the child runs (see syscall/exec_linux.cpp and
# syscall/exec_bsd.cpp): the Linux child starts in childMain, called by the
# clone trampoline on its own stack; forkAndExecInChild1 holds the steps (the
# BSD child's entry, and the Linux one's when it is not inlined).
CHILD_ENTRIES = ("childMain", "forkAndExecInChild1")

# "ns::childMain(void*)" or "ns::childMain(void*) [clone .cold]": the name
# is the last component before the parameter list.
CHILD_NAME = re.compile(r"(?:^|::)(%s)\(" % "|".join(CHILD_ENTRIES))

# e_machine -> the arch names this project uses (GOSYSCALL_ARCH).
ARCHES = {"EM_X86_64": "amd64", "EM_386": "386", "EM_ARM": "arm", "EM_AARCH64": "arm64"}


@dataclass
class Function:
    name: str       # demangled
    entry: str      # which of CHILD_ENTRIES
    section: str    # where its code is (objdump -j)
    start: int      # as objdump numbers it: section offset in an object, address otherwise
    end: int        # one past its last byte


@dataclass
class ElfInfo:
    arch: str
    relocatable: bool      # an object file: addresses are section offsets
    functions: list        # [Function], the child functions
    sections: dict         # name -> (start, end) of every allocated section


def demangle(names):
    """Demangled names, in order, by c++filt (binutils, any arch)."""
    if not names:
        return []
    out = subprocess.run(["c++filt"], input="\n".join(names) + "\n",
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def read(path):
    """ElfInfo of path, an object file, executable or shared library."""
    with open(path, "rb") as f:
        elf = ELFFile(f)
        machine = elf["e_machine"]
        if machine not in ARCHES:
            raise SystemExit(f"{path}: machine {machine} is none of {sorted(ARCHES)}")
        arch = ARCHES[machine]
        section_names = [s.name for s in elf.iter_sections()]
        sections = {s.name: (s["sh_addr"], s["sh_addr"] + s["sh_size"])
                    for s in elf.iter_sections() if s["sh_flags"] & 0x2}  # SHF_ALLOC
        symbols = []
        for table in elf.iter_sections():
            if not isinstance(table, SymbolTableSection):
                continue
            for sym in table.iter_symbols():
                if sym["st_info"]["type"] != "STT_FUNC" or sym["st_size"] == 0:
                    continue
                if not isinstance(sym["st_shndx"], int):
                    continue  # undefined or absolute: no code here
                symbols.append(sym)
        names = demangle([s.name for s in symbols])
        functions = []
        for sym, name in zip(symbols, names):
            m = CHILD_NAME.search(name)
            if not m:
                continue
            # arm: bit 0 of a Thumb function's address is the Thumb bit.
            start = sym["st_value"] & ~1 if arch == "arm" else sym["st_value"]
            functions.append(Function(name, m.group(1), section_names[sym["st_shndx"]],
                                      start, start + sym["st_size"]))
        # One function can have two symbols (an alias); check it once.
        unique = {(f.section, f.start, f.end): f for f in functions}
        return ElfInfo(arch, elf["e_type"] == "ET_REL", list(unique.values()), sections)
