# SPDX-License-Identifier: BSD-3-Clause
"""What an instruction does to the flow of control, per arch.

classify(arch, text) -> (kind, target):
  "call"      a call: x86 call, arm bl/blx, arm64 bl/blr (and their variants)
  "branch"    a direct jump; target is where it goes (a tail call if that
              is outside the function)
  "indirect"  a jump through a register or memory: where it goes cannot
              be told (a tail call, or a jump table)
  None        anything else, returns included
The target of a call or branch is the address objdump prints, or None for
one through a register.
"""

import re

# "683 <sym+0x683>" or "0x683": the last address before an optional <...>.
_TARGET = re.compile(r"(?:^|[\s,])(?:0x)?([0-9a-f]+)(?: <[^>]*>)?$")

# x86 prefixes objdump prints before the mnemonic (CET and MPX).
_X86_PREFIXES = {"notrack", "bnd"}

# arm condition codes: "bl" + cond is a call, "b" + cond a branch, so that
# "blt" (b, lt) and "bls" (b, ls) are branches and "blle" (bl, le) a call.
_ARM_CONDS = "eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al"
_ARM_CALL = re.compile(r"^blx?(%s)?(\.[nw])?$" % _ARM_CONDS)
_ARM_BRANCH = re.compile(r"^(b(%s)?|cbn?z)(\.[nw])?$" % _ARM_CONDS)
_ARM64_CALL = re.compile(r"^(bl|blr|blra[ab]z?)$")
_ARM64_BRANCH = re.compile(r"^(b|b\.\w+|cbn?z|tbn?z)$")
_ARM64_INDIRECT = re.compile(r"^(br|bra[ab]z?)$")


def _target(operands):
    m = _TARGET.search(operands)
    return int(m.group(1), 16) if m else None


def _x86(mnemonic, operands):
    if mnemonic in ("call", "calll", "callq", "lcall"):
        return "call", None if operands.startswith("*") else _target(operands)
    if mnemonic.startswith("j") or mnemonic.startswith("loop"):
        if operands.startswith("*"):
            return "indirect", None
        return "branch", _target(operands)
    return None, None


def _arm(mnemonic, operands):
    if _ARM_CALL.match(mnemonic):
        register = re.fullmatch(r"(r\d+|ip|lr|sp|fp|sl)", operands) is not None
        return "call", None if register else _target(operands)
    if _ARM_BRANCH.match(mnemonic):
        return "branch", _target(operands)
    if re.match(r"^bx(%s)?$" % _ARM_CONDS, mnemonic) and operands != "lr":
        return "indirect", None                       # bx lr is a return
    if re.match(r"^(ldr|mov|add)", mnemonic) and re.match(r"^pc\b", operands):
        if re.match(r"^pc, \[sp\]", operands):
            return None, None                         # ldr pc, [sp], #4: a return
        return "indirect", None                       # any other write to pc
    return None, None


def _arm64(mnemonic, operands):
    if _ARM64_CALL.match(mnemonic):
        return "call", _target(operands) if mnemonic == "bl" else None
    if _ARM64_BRANCH.match(mnemonic):
        return "branch", _target(operands)
    if _ARM64_INDIRECT.match(mnemonic):
        return "indirect", None
    return None, None


def classify(arch, text):
    words = text.split(None, 1)
    while words and words[0] in _X86_PREFIXES and arch in ("amd64", "386"):
        words = words[1].split(None, 1) if len(words) > 1 else []
    if not words:
        return None, None
    mnemonic, operands = words[0], words[1] if len(words) > 1 else ""
    operands = operands.split("#")[0].strip() if arch in ("amd64", "386") else operands
    if arch in ("amd64", "386"):
        return _x86(mnemonic, operands)
    if arch == "arm":
        return _arm(mnemonic, operands.split(";")[0].strip())
    return _arm64(mnemonic, operands.split("//")[0].strip())
