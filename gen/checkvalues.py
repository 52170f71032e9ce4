# SPDX-License-Identifier: BSD-3-Clause
"""The compile-time check of the committed values (gen/check_values.cpp).

For one arch: compile gen/check_values.cpp with the arch's own C++ compiler
(<triple>-g++), against the committed zerrors/ headers of that arch (named,
not selected by syscall/zerrors.hpp) and the check header the generator
just wrote. Nothing runs on the target; a wrong value, or a
literal C++ reads otherwise than C, is a static_assert that fails.
"""

import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "gen", "check_values.cpp")


def count_names(check_header: str) -> int:
    """How many names the check header lists (one X(...) line each)."""
    with open(check_header) as f:
        return sum(1 for line in f if re.match(r"\s+X\(", line))


def check(arch, check_header: str):
    """(ok, names, compiler output) for arch, whose check header is given."""
    cxx = arch.triple + "-g++"
    cmd = [cxx, "-std=c++17", "-fsyntax-only", "-I", ROOT,
           f'-DCHECK_HEADER="{os.path.abspath(check_header)}"',
           f'-DZERRORS_HEADER="zerrors/zerrors_linux_{arch.name}.hpp"',
           f'-DZSYSNUM_HEADER="zerrors/zsysnum_linux_{arch.name}.hpp"', SOURCE]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        return False, 0, f"{cxx} is not installed"
    return r.returncode == 0, count_names(check_header), r.stdout + r.stderr
