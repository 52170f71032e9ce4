# SPDX-License-Identifier: BSD-3-Clause
"""Macro names, as the target compiler's preprocessor sees them (`cc -E -dM`)."""

import re
import subprocess
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

_DEFINE = re.compile(r"#define ([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?(?: (.*))?$")


@dataclass(frozen=True)
class Macro:
    name: str
    params: Optional[str]  # "(a,b)" for a function-like macro, else None
    body: str              # replacement text, "" for an empty macro

    @property
    def function_like(self) -> bool:
        return self.params is not None

    @property
    def empty(self) -> bool:
        return self.body.strip() == ""


def parse(dm_output: str) -> Dict[str, Macro]:
    """Parse `-E -dM` output into name -> Macro (later definitions win, as in cpp)."""
    macros = {}
    for line in dm_output.splitlines():
        m = _DEFINE.match(line)
        if m:
            name, params, body = m.group(1), m.group(2), m.group(3) or ""
            macros[name] = Macro(name, params, body)
    return macros


def object_like(macros: Dict[str, Macro]) -> Dict[str, Macro]:
    """Only the macros that can name a constant: not function-like, not empty."""
    return {n: m for n, m in macros.items() if not m.function_like and not m.empty}


def run(cc: str, source: str, flags: Tuple[str, ...] = ()) -> Dict[str, Macro]:
    """Preprocess `source` (C text) with `cc -E -dM` and return its macros."""
    proc = subprocess.run(
        [cc, "-E", "-dM", *flags, "-x", "c", "-"],
        input=source, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{cc} -E -dM failed:\n{proc.stderr}")
    return parse(proc.stdout)
