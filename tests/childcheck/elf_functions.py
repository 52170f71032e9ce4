# SPDX-License-Identifier: BSD-3-Clause
"""The child functions of one ELF file: which they are and where they lie.

Read with pyelftools. A function is a child function when its (demangled)
name is one of CHILD_ENTRIES, in any namespace, or a compiler's clone of one
("[clone .cold]", ".isra.0", ...): the code between clone and execve lives
there. Bounds come from the symbol table (st_value, st_size), so only the
function's own bytes are read, never a neighbour's. On ppc64 (big-endian,
ELFv1) a function symbol names its descriptor in .opd, not its code: the
descriptor's first doubleword is the code's address (st_size is still the
code's size), and the code is read there.
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

# e_machine -> the arch names this project uses (GOSYSCALL_ARCH). Where one
# machine is several arches, _arch tells them apart by the ELF header.
ARCHES = {"EM_X86_64": "amd64", "EM_386": "386", "EM_ARM": "arm", "EM_AARCH64": "arm64",
          "EM_RISCV": "riscv64", "EM_PPC64": "ppc64", "EM_S390": "s390x", "EM_MIPS": "mips"}

# EF_MIPS_ABI2: a 32-bit MIPS ELF of the n32 ABI, which Go has no port for
# (its mips and mipsle are o32).
EF_MIPS_ABI2 = 0x20


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
    labels: dict           # name -> (section, address) of each symbol defined once


def _arch(path, elf):
    """The arch of elf: e_machine, then for the machines that are several
    arches the ELF class (32 or 64 bits) and the byte order."""
    machine = elf["e_machine"]
    if machine not in ARCHES:
        raise SystemExit(f"{path}: machine {machine} is none of {sorted(ARCHES)}")
    arch, bits = ARCHES[machine], elf.elfclass
    le = "le" if elf.little_endian else ""
    if machine == "EM_PPC64":
        return "ppc64" + le
    if machine == "EM_MIPS":
        if bits == 32 and elf["e_flags"] & EF_MIPS_ABI2:
            raise SystemExit(f"{path}: MIPS n32, not one of Go's arches (mips is o32)")
        return ("mips64" if bits == 64 else "mips") + le
    if machine in ("EM_RISCV", "EM_S390") and bits != 64:
        # riscv32 and s390 (31-bit) are not Go arches; their code differs.
        raise SystemExit(f"{path}: {machine} in a {bits}-bit ELF: only {arch} is supported")
    return arch


def _opd_code(elf, sym, section_names):
    """(code section, code address) of a ppc64 ELFv1 function whose symbol
    points at its descriptor in .opd. In an object file the descriptor's
    first doubleword is not filled in yet: its relocation (R_PPC64_ADDR64
    against the code's section or label, plus an addend) says where the code
    is. In a linked file it holds the code's address."""
    opd = elf.get_section(sym["st_shndx"])
    if elf["e_type"] == "ET_REL":
        relocs = elf.get_section_by_name(".rela.opd")
        symtab = elf.get_section(relocs["sh_link"]) if relocs else None
        for reloc in relocs.iter_relocations() if relocs else ():
            if reloc["r_offset"] == sym["st_value"]:
                target = symtab.get_symbol(reloc["r_info_sym"])
                return (section_names[target["st_shndx"]],
                        target["st_value"] + reloc["r_addend"])
        raise SystemExit(f"{sym.name}: no relocation for its .opd descriptor")
    offset = sym["st_value"] - opd["sh_addr"]
    addr = int.from_bytes(opd.data()[offset:offset + 8], "big")  # ELFv1 is big-endian
    for section in elf.iter_sections():
        start = section["sh_addr"]
        if section["sh_flags"] & 0x4 and start <= addr < start + section["sh_size"]:  # SHF_EXECINSTR
            return section.name, addr
    raise SystemExit(f"{sym.name}: its .opd descriptor points at {addr:#x}, in no code section")


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
        arch = _arch(path, elf)
        section_names = [s.name for s in elf.iter_sections()]
        sections = {s.name: (s["sh_addr"], s["sh_addr"] + s["sh_size"])
                    for s in elf.iter_sections() if s["sh_flags"] & 0x2}  # SHF_ALLOC
        symbols, defined = [], {}
        for table in elf.iter_sections():
            if not isinstance(table, SymbolTableSection):
                continue
            for sym in table.iter_symbols():
                if not isinstance(sym["st_shndx"], int):
                    continue  # undefined or absolute: no code here
                # Where each symbol is, by its name as in the file (riscv
                # relocates a branch to a local label, ".L7", which needs no
                # demangling): a name defined at two places (riscv's ".L0 ")
                # says nothing, so it is dropped.
                place = (section_names[sym["st_shndx"]], sym["st_value"])
                defined[sym.name] = place if defined.get(sym.name, place) == place else None
                if sym["st_info"]["type"] != "STT_FUNC" or sym["st_size"] == 0:
                    continue
                symbols.append(sym)
        labels = {name: place for name, place in defined.items() if place}
        names = demangle([s.name for s in symbols])
        functions = []
        for sym, name in zip(symbols, names):
            m = CHILD_NAME.search(name)
            if not m:
                continue
            section = section_names[sym["st_shndx"]]
            # arm: bit 0 of a Thumb function's address is the Thumb bit.
            start = sym["st_value"] & ~1 if arch == "arm" else sym["st_value"]
            if arch == "ppc64" and section == ".opd":
                section, start = _opd_code(elf, sym, section_names)
            functions.append(Function(name, m.group(1), section, start, start + sym["st_size"]))
        # One function can have two symbols (an alias); check it once.
        unique = {(f.section, f.start, f.end): f for f in functions}
        return ElfInfo(arch, elf["e_type"] == "ET_REL", list(unique.values()), sections, labels)
