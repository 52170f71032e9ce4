# SPDX-License-Identifier: BSD-3-Clause
"""The arches gen/ knows: Go's GOARCH name -> the GNU triple of its cross compiler.

Values are always computed by the target's own compiler (never by running
target code), so every arch is generated on any host that has these
compilers installed (Debian: gcc-<triple>, linux-libc-dev-<arch>-cross).
"""

import shutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Arch:
    name: str    # Go's GOARCH, used in file names: zerrors_linux_<name>.hpp
    triple: str  # GNU triple; the compiler is <triple>-gcc

    @property
    def cc(self) -> str:
        return self.triple + "-gcc"

    def cc_path(self):
        """Absolute path of the cross compiler, or None when not installed."""
        return shutil.which(self.cc)


ARCHES = {
    a.name: a
    for a in (
        Arch("386", "i686-linux-gnu"),
        Arch("amd64", "x86_64-linux-gnu"),
        Arch("arm", "arm-linux-gnueabihf"),
        Arch("arm64", "aarch64-linux-gnu"),
    )
}


def get(name: str) -> Arch:
    try:
        return ARCHES[name]
    except KeyError:
        raise SystemExit(f"mkerrors: unknown arch {name!r} (known: {', '.join(ARCHES)})")
