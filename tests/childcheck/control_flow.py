# SPDX-License-Identifier: BSD-3-Clause
"""What an instruction does to the flow of control, per arch.

classify(arch, text) -> (kind, target):
  "call"      a call: an instruction that jumps and keeps a return address
              (x86 call, arm bl/blx, arm64 bl/blr, riscv jal/jalr with a
              link register, ppc64 bl/bctrl/blrl, s390x brasl/basr, mips
              jal/jalr/bal, and their variants)
  "branch"    a direct jump; target is where it goes (a tail call if that
              is outside the function)
  "indirect"  a jump through a register or memory: where it goes cannot
              be told (a tail call, or a jump table)
  None        anything else: returns, the system call instruction (syscall,
              svc, ecall, sc), traps (ud2, brk, unimp, ebreak, trap, tw,
              teq, break, .long 0) and data objdump shows as .long
The target of a call or branch is the address objdump prints, or None for
one through a register. Mnemonics are objdump's (binutils 2.40), aliases
included ("j", "ret", "beqz", "bne-", "jne").
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


# riscv: "jal"/"jalr" link into their rd (ra when objdump leaves it out);
# with rd zero they are plain jumps, which objdump shows as "j"/"jr".
_RISCV_BRANCH = re.compile(r"^b(eq|ne|lt|ge|gt|le)(u|z)?$")

# ppc64: b + condition + what it does. A suffix with "l" links (a call):
# "bl", "bla", "beql", "bctrl", "blrl" (a call through lr), "bcl", "bdnzl";
# "lr" without it returns (blr, beqlr); "ctr" and "tar" jump through a
# register. "c" is the raw bc form: bc, bcl, bclr, bcctr, bcctrl. Objdump
# adds a branch hint, "+" or "-", to some ("bns+"). The conditions are
# listed so that "bnl" (branch if not less) does not read as "b" + "nl".
_PPC_BRANCH = re.compile(
    r"^b(lt|le|eq|ge|gt|nl|ne|ng|so|ns|un|nu|dnzt|dnzf|dzt|dzf|dnz|dz|t|f|c)?"
    r"(lrl|lr|ctrl|ctr|tarl|tar|la|l|a)?[+-]?$")

# s390x. Calls: bras/brasl (relative), basr/balr/bas/bal (through a register
# or address), bassm/basm (and set mode), bakr (linkage stack).
_S390_CALL = re.compile(r"^(brasl?|basr|balr|bas|bal|bassm|basm|bakr)$")
# Relative jumps, whose target objdump prints: every "j..." (j, jg, jne,
# jgnhe, ...), their raw forms brc/brcl, branch on count or index
# (brct, brctg, brxh, ...) and compare and branch relative (crj, cgij, ...).
_S390_BRANCH = re.compile(r"^(j\w*|brcl?|brct[gh]?|brx(h|le)g?|(cl?g?[ri])j\w*)$")
# Jumps to an address in a register or memory: branch on condition to a
# register (br, bner, bcr; "br %r14" returns), to an address (b, bne, bc;
# "bl" is branch on low here, not a call), branch on count or index to an
# address (bct, bctr, bxh, ...) and compare and branch to an address (crb, cgib, ...).
_S390_INDIRECT = re.compile(
    r"^(b|bc|bo|bh|bp|bnle|bl|bm|bnhe|blh|bne|bnz|be|bz|bnlh|bhe|bnl|bnm|ble|bnh|bnp|bno)r?$"
    r"|^(bctg?r?|bxhg?|bxleg?|(cl?g?[ri])b\w*)$")

# mips (o32 and n64, mips32/64 r2 and r6). Calls: jal, jalr (GCC's PIC code
# calls through $25, "jalr t9"), jalx, bal (bgezal zero), the other
# and-link branches (bltzal, bgezall) and r6's compact ones (balc, jialc,
# beqzalc, ...). micromips' jals/jalrs too.
_MIPS_CALL = re.compile(
    r"^(jal|jalr|jalx|jals|jalrs|jalrc|jialc|bal|balc|b(ltz|gez)all?|b(eqz|nez|lez|gez|gtz|ltz)alc)"
    r"(\.hb)?$")
# Relative jumps: b, j (within its 256 MB region), the compare branches
# and their likely (..l) and r6 compact (..c) forms, the FPU/coprocessor
# branches (bc1t, bc1eqz, ...) and r6's bc, bovc, bnvc.
_MIPS_BRANCH = re.compile(
    r"^(b|bc|j|(beq|bne|blez|bgtz|bltz|bgez|beqz|bnez)[lc]?|b(lt|ge|gt|le)u?c|bovc|bnvc|bc[12]\w+)$")
# Through a register: jr ("jr ra" returns), jr.hb, r6's jrc and jic.
_MIPS_JUMP_REGISTER = re.compile(r"^(jr|jrc|jic)(\.hb)?$")
# The return address register, as objdump names it (ABI names by default).
_MIPS_RA = ("ra", "$ra", "$31")


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


def _riscv(mnemonic, operands):
    mnemonic = mnemonic[2:] if mnemonic.startswith("c.") else mnemonic  # -M no-aliases
    args = operands.split(",")
    if mnemonic == "jal":
        # "jal 1c <f>" links to ra; "jal t0,1c <f>" to t0 (millicode): both
        # calls. "jal zero,..." is a jump (objdump shows it as "j").
        kind = "branch" if args[0] == "zero" and len(args) > 1 else "call"
        return kind, _target(operands)
    if mnemonic == "call":
        return "call", _target(operands)
    if mnemonic in ("j", "tail"):
        return "branch", _target(operands)
    if mnemonic == "jalr":
        # "jalr a5" (rd ra), "jalr t0,0(a5)": calls; rd zero is a jump.
        if len(args) > 1 and args[0] == "zero":
            return (None, None) if args[1] in ("ra", "0(ra)") else ("indirect", None)
        return "call", None
    if mnemonic == "jr":
        return (None, None) if operands in ("ra", "0(ra)") else ("indirect", None)
    if _RISCV_BRANCH.match(mnemonic):
        return "branch", _target(operands)
    return None, None                                 # ret, ecall, ebreak, unimp


def _ppc64(mnemonic, operands):
    m = _PPC_BRANCH.match(mnemonic)
    if not m:
        return None, None                             # sc, trap, tw, td, .long
    suffix = m.group(2) or ""
    if suffix in ("l", "la"):
        return "call", _target(operands)
    if suffix in ("lrl", "ctrl", "tarl"):
        return "call", None
    if suffix == "lr":
        return None, None                             # blr, beqlr: a return
    if suffix in ("ctr", "tar"):
        return "indirect", None
    return "branch", _target(operands)


def _s390x(mnemonic, operands):
    last = operands.split(",")[-1]
    if _S390_CALL.match(mnemonic):
        if mnemonic in ("basr", "balr") and last == "%r0":
            return None, None                         # r0 as the address: no jump
        return "call", _target(operands) if mnemonic.startswith("bras") else None
    if _S390_BRANCH.match(mnemonic):
        return "branch", _target(operands)
    if _S390_INDIRECT.match(mnemonic):
        if mnemonic.endswith("r") and last == "%r0":
            return None, None                         # bcr 15,%r0, bctr r,%r0: no jump
        if mnemonic.endswith("r") and last == "%r14" and not mnemonic.startswith("bct"):
            return None, None                         # br %r14, ber %r14: a return
        return "indirect", None
    return None, None                                 # svc, nopr, .long


def _mips(mnemonic, operands):
    if _MIPS_CALL.match(mnemonic):
        register = mnemonic.startswith(("jalr", "jialc"))
        args = operands.split(",")
        if mnemonic.startswith("jalr") and len(args) > 1 and args[0] in ("zero", "$0"):
            # r6 writes "jr" as jalr with rd zero: a jump, or a return.
            return (None, None) if args[1] in _MIPS_RA else ("indirect", None)
        return "call", None if register else _target(operands)
    if _MIPS_BRANCH.match(mnemonic):
        return "branch", _target(operands)
    if _MIPS_JUMP_REGISTER.match(mnemonic):
        return (None, None) if operands.split(",")[0] in _MIPS_RA else ("indirect", None)
    return None, None                                 # syscall, teq, break, nop


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
    if arch == "arm64":
        return _arm64(mnemonic, operands.split("//")[0].strip())
    # Objdump's comments follow "#" ("jalr ra # 4 <f+0x4>" on riscv): the
    # address there is not the operand.
    operands = operands.split("#")[0].strip()
    if arch == "riscv64":
        return _riscv(mnemonic, operands)
    if arch.startswith("ppc64"):
        return _ppc64(mnemonic, operands)
    if arch == "s390x":
        return _s390x(mnemonic, operands)
    if arch.startswith("mips"):
        return _mips(mnemonic, operands)
    raise SystemExit(f"control_flow: no rules for arch {arch}")
