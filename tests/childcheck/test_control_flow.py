#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""control_flow.classify on objdump's text (binutils 2.40) of the arches
whose mnemonics are the easiest to misread: a call read as a branch, or a
return, syscall or trap read as a jump, would pass or fail every build of
that arch. check_child_calls.py's canary proves one call per build; this
covers the other forms. Prints each wrong case; exits 1 if any."""

import sys

from control_flow import classify

CASES = [  # (arch, instruction as objdump prints it, kind)
    ("riscv64", "jal 1c <f>", "call"), ("riscv64", "jal t0,1c <f>", "call"),
    ("riscv64", "jalr a5", "call"), ("riscv64", "jalr t0,0(a5)", "call"),
    ("riscv64", "jalr ra # 4 <f+0x4>", "call"), ("riscv64", "j 1c <f>", "branch"),
    ("riscv64", "bgeu t0,a2,58 <.L8>", "branch"), ("riscv64", "jr a5", "indirect"),
    ("riscv64", "ret", None), ("riscv64", "ecall", None), ("riscv64", "ebreak", None),
    ("riscv64", "unimp", None),
    ("ppc64", "bl c <f>", "call"), ("ppc64", "bctrl", "call"), ("ppc64", "blrl", "call"),
    ("ppc64", "beql cr1,10 <f>", "call"), ("ppc64", "b 14 <f>", "branch"),
    ("ppc64", "bns+ 30 <f>", "branch"), ("ppc64", "bnl cr7,30 <f>", "branch"),
    ("ppc64", "blt 30 <f>", "branch"), ("ppc64", "bdnz 30 <f>", "branch"),
    ("ppc64", "bctr", "indirect"), ("ppc64", "blr", None), ("ppc64", "beqlr", None),
    ("ppc64", "sc", None), ("ppc64", "trap", None), ("ppc64", "tw 31,0,0", None),
    ("ppc64", ".long 0x0", None), ("ppc64le", "bl 14 <f>", "call"),
    ("s390x", "brasl %r14,c <f>", "call"), ("s390x", "basr %r14,%r1", "call"),
    ("s390x", "basr %r13,%r0", None), ("s390x", "j 12 <f>", "branch"),
    ("s390x", "jgnhe 12 <f>", "branch"), ("s390x", "brctg %r1,12 <f>", "branch"),
    ("s390x", "cgijlh %r1,0,12 <f>", "branch"), ("s390x", "br %r1", "indirect"),
    ("s390x", "b 0(%r2,%r1)", "indirect"), ("s390x", "bl 0(%r1)", "indirect"),
    ("s390x", "br %r14", None), ("s390x", "ber %r14", None), ("s390x", "nopr %r7", None),
    ("s390x", "svc 0", None), ("s390x", ".long 0x00000000", None),
    ("mips", "jal 0 <f>", "call"), ("mips", "jalr t9", "call"), ("mips", "jalr $25", "call"),
    ("mips", "bal 8 <f>", "call"), ("mips", "bgezal a0,8 <f>", "call"),
    ("mips", "j 0 <f>", "branch"), ("mips", "b 24 <f>", "branch"),
    ("mips", "beqz v0,40 <f>", "branch"), ("mips", "jr t9", "indirect"),
    ("mips", "jr ra", None), ("mips", "jalr zero,ra", None), ("mips", "syscall", None),
    ("mips", "teq zero,zero,0x7", None), ("mips", "break", None),
    ("mips64le", "jalr t9", "call"),
]


def main():
    wrong = [(a, t, k, classify(a, t)[0]) for a, t, k in CASES if classify(a, t)[0] != k]
    for arch, text, want, got in wrong:
        print(f"control-flow: {arch} '{text}': {got}, not {want}")
    print(f"control-flow: {len(CASES)} cases, {len(wrong)} wrong")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
