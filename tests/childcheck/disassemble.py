# SPDX-License-Identifier: BSD-3-Clause
"""One function's instructions, as binutils' objdump disassembles them.

Each arch has its own objdump (binutils is built per target): the host's
for amd64 and 386 (x86-64 binutils reads both), Debian's cross binutils,
installed with the cross compilers, for the others (a family's binutils
reads both byte orders, and mips64's reads mips, so a sibling's will do).
With -r, an
instruction that refers to another symbol in an object file is followed by
its relocation, which names that symbol: the only way to see the callee of
a call in a .o, where the call's own operand is still a placeholder.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass, field

OBJDUMP = {
    "amd64": ("x86_64-linux-gnu-objdump", "objdump"),
    "386": ("i686-linux-gnu-objdump", "x86_64-linux-gnu-objdump", "objdump"),
    "arm": ("arm-linux-gnueabihf-objdump",),
    "arm64": ("aarch64-linux-gnu-objdump",),
    "riscv64": ("riscv64-linux-gnu-objdump",),
    "ppc64le": ("powerpc64le-linux-gnu-objdump", "powerpc64-linux-gnu-objdump"),
    "ppc64": ("powerpc64-linux-gnu-objdump", "powerpc64le-linux-gnu-objdump"),
    "s390x": ("s390x-linux-gnu-objdump",),
    "mips64le": ("mips64el-linux-gnuabi64-objdump", "mips64-linux-gnuabi64-objdump"),
    "mips64": ("mips64-linux-gnuabi64-objdump", "mips64el-linux-gnuabi64-objdump"),
    "mipsle": ("mipsel-linux-gnu-objdump", "mips-linux-gnu-objdump",
               "mips64el-linux-gnuabi64-objdump", "mips64-linux-gnuabi64-objdump"),
    "mips": ("mips-linux-gnu-objdump", "mipsel-linux-gnu-objdump",
             "mips64-linux-gnuabi64-objdump", "mips64el-linux-gnuabi64-objdump"),
}

# "  24:\t0f 85 59 06 00 00 \tjne    683 <childMain(void*)+0x683>": address,
# raw bytes (their count is the instruction's size), mnemonic and operands.
_INSN = re.compile(r"^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$")
# "\t\t\t25: R_X86_64_PLT32\tgo::syscall::Errno::Errno()-0x4"; mips64 packs
# three types in one relocation: "R_MIPS_JALR/R_MIPS_NONE/R_MIPS_NONE\tfoo".
_RELOC = re.compile(r"^\s*([0-9a-f]+): (R_[\w/]+)\s+(.*)$")
# riscv's call and tail: "auipc ra,0" then "jalr ra" (or "jr t1"), one
# relocation at the auipc for the pair. It belongs to the jump, 4 bytes on,
# which is what calls: so the call shows its callee.
_RISCV_PAIR = re.compile(r"^R_RISCV_CALL(_PLT)? ")


@dataclass
class Insn:
    addr: int
    text: str                                     # mnemonic and operands
    relocs: list = field(default_factory=list)    # ["R_X86_64_PLT32 sym-0x4"]
    next_addr: int = 0                            # where the next instruction starts
    size: int = 0                                 # in bytes


def objdump_for(arch):
    """The first objdump of OBJDUMP[arch] on PATH."""
    for tool in OBJDUMP[arch]:
        if shutil.which(tool):
            return tool
    raise SystemExit(f"no objdump for {arch}: install one of {OBJDUMP[arch]} (tools/setup)")


def disassemble(path, arch, section, start, end):
    """[Insn] of [start, end) in section of path. A relocation belongs to
    the instruction whose bytes it patches; one in data between them (an
    arm literal pool, which objdump shows as "..." while it is zero)
    becomes an Insn of its own with the text "(data)"."""
    # --insn-width: every instruction's bytes on its one line (x86: up to 15).
    cmd = [objdump_for(arch), "-d", "-r", "-C", "--insn-width=16", "-j", section,
           f"--start-address={start:#x}", f"--stop-address={end:#x}", path]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    insns, relocs = [], []
    for line in out.splitlines():
        r = _RELOC.match(line)
        if r and r.group(2) == "R_MIPS_NONE":
            continue  # mips64's filler in a three-type relocation: says nothing
        if r:
            relocs.append((int(r.group(1), 16), f"{r.group(2)} {r.group(3)}"))
            continue
        m = _INSN.match(line)
        if m:
            size = len(m.group(2).replace(" ", "")) // 2
            insns.append(Insn(int(m.group(1), 16), " ".join(m.group(3).split()), size=size))
    for a, b in zip(insns, insns[1:]):
        a.next_addr = b.addr
    if insns:
        insns[-1].next_addr = end
    data = []
    for offset, reloc in relocs:
        if _RISCV_PAIR.match(reloc):
            offset += 4
        owner = [i for i in insns if i.addr <= offset < i.addr + i.size]
        if owner:
            owner[0].relocs.append(reloc)
        else:
            data.append(Insn(offset, "(data)", [reloc], offset, 0))
    return sorted(insns + data, key=lambda i: i.addr)
