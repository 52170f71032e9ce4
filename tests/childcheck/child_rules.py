# SPDX-License-Identifier: BSD-3-Clause
"""The rules a child function's instructions must keep: no call, no tail
call, no jump that cannot be followed, no reference to instrumentation.

A call would run a function the check does not see, in a child that may
share the parent's memory (CLONE_VM): through the PLT it runs
the dynamic linker, a sanitizer or coverage callback writes the parent's
runtime state, __stack_chk_fail is libc. The child entry functions are
meant to be self-contained (every helper is always_inline), so any call
means a callee runs in the child.

Allowed:
  - a call to a PIC thunk (__x86.get_pc_thunk.*, 386 -fPIC): it reads its
    own return address and returns; it writes only the child's stack;
  - a call to the next instruction (clang's 386 PIC idiom, same effect);
  - a jump into another child function (GCC's ".cold" part of one, or
    the section that holds it), or within the function where its
    relocation says so (riscv relocates every branch to its label, mips
    its "j" to the section);
  - anything that neither calls nor jumps: the system call instruction,
    traps (control_flow lists what is neither).
The clone trampoline's call into the child entry is not in a child
function: it is in the parent's cloneChild, so it is never seen here.
"""

import re

from control_flow import classify
from elf_functions import CHILD_NAME

PIC_THUNK = re.compile(r"^__x86\.get_pc_thunk\.\w+")

# Symbols and sections of sanitizer runtimes, coverage counters and the
# stack protector: code that refers to them is instrumentation, even when
# it only writes a counter (-fsanitize=fuzzer's inline 8-bit counters make
# no call).
INSTRUMENTATION = re.compile(
    r"__(sancov|asan|tsan|msan|hwasan|ubsan|sanitizer|stack_chk|gcov)\w*")

# "<sym+0x12>" in objdump's text: what a call's target is called.
_ANNOTATION = re.compile(r"<([^>]*)>")
# "# 4a3f10 <...>": an address an x86 instruction refers to (rip-relative).
_X86_REFERENCE = re.compile(r"#\s*(?:0x)?([0-9a-f]+)")


def _reloc_symbol(reloc):
    """"R_X86_64_PLT32 foo()-0x4" -> "foo()": the symbol, addend dropped."""
    symbol = reloc.split(None, 1)[1] if " " in reloc else reloc
    return re.sub(r"[+-]0x[0-9a-f]+$", "", symbol)


def _reloc_addend(reloc):
    """"R_RISCV_BRANCH .L8+0x4" -> 4: the addend objdump shows (RELA)."""
    m = re.search(r"([+-])0x([0-9a-f]+)$", reloc)
    return 0 if not m else int(m.group(2), 16) * (1 if m.group(1) == "+" else -1)


def _reloc_target(info, function, insn, target):
    """Where a branch that has a relocation goes, where the file tells, else
    None. Two cases:
      - against a label in function's section (riscv keeps a relocation, to
        its local label ".L7", on every branch, for the linker's
        relaxation): the label's address plus the addend;
      - against function's own section (mips' "j", an absolute jump, is
        relocated against the section even within the function): the
        offset in the section is the addend, in the relocation (RELA) or,
        where objdump shows none, in the instruction (REL), which objdump
        decodes into target."""
    reloc = insn.relocs[0]
    symbol = _reloc_symbol(reloc)
    if symbol == function.section:
        return _reloc_addend(reloc) or target
    label = info.labels.get(symbol)
    if label and label[0] == function.section:
        return label[1] + _reloc_addend(reloc)
    return None


def _callee(insn, target):
    if insn.relocs:
        return _reloc_symbol(insn.relocs[0])
    m = _ANNOTATION.search(insn.text)
    if m:
        return m.group(1)
    return f"{target:#x}" if target is not None else "a register"


def _section_of(info, addr):
    for name, (lo, hi) in info.sections.items():
        if lo <= addr < hi:
            return name
    return None


def _in_child(info, function, target):
    """Whether target lies in a child function of function's section."""
    return any(f.section == function.section and f.start <= target < f.end
               for f in info.functions)


def violations(info, function, insns):
    """[(insn, why)] for the instructions of function that break a rule,
    and the number of allowed calls (PIC thunks) seen."""
    found, allowed = [], 0
    for insn in insns:
        kind, target = classify(info.arch, insn.text)
        text = insn.text + " " + " ".join(insn.relocs)
        m = INSTRUMENTATION.search(text)
        if m:
            found.append((insn, f"refers to instrumentation ({m.group(0)})"))
            continue
        if not info.relocatable:
            for ref in _X86_REFERENCE.findall(insn.text) if info.arch in ("amd64", "386") else ():
                section = _section_of(info, int(ref, 16))
                if section and INSTRUMENTATION.search(section):
                    found.append((insn, f"refers to instrumentation (section {section})"))
        if kind == "call":
            callee = _callee(insn, target)
            if PIC_THUNK.match(callee) and info.arch == "386":
                allowed += 1
            elif not insn.relocs and target == insn.next_addr:
                allowed += 1
            else:
                found.append((insn, f"calls {callee}"))
        elif kind == "branch":
            if insn.relocs:
                symbol = _reloc_symbol(insn.relocs[0])
                known = _reloc_target(info, function, insn, target)
                # Against another section (a jump to a local label there):
                # allowed into a section that holds a child function, a part
                # GCC split off (".cold"), which is checked as one itself.
                split_part = any(f.section == symbol for f in info.functions)
                if known is not None:
                    if not _in_child(info, function, known):
                        found.append((insn, f"jumps out of the function to {known:#x} "
                                            f"({symbol}, a tail call)"))
                elif not CHILD_NAME.search(symbol) and not split_part:
                    found.append((insn, f"jumps out of the function to {symbol} (a tail call)"))
            elif target is None or not _in_child(info, function, target):
                where = _callee(insn, target)
                found.append((insn, f"jumps out of the function to {where} (a tail call)"))
        elif kind == "indirect":
            found.append((insn, "jumps through a register or memory: its target cannot be checked"))
    return found, allowed
