# SPDX-License-Identifier: BSD-3-Clause
"""The arches gen/ knows: Go's GOARCH name -> the GNU triple of its cross compiler.

Values are always computed by the target's own compiler (never by running
target code), so every arch is generated on any host that has these
compilers installed (Debian: g++-<triple>, which brings gcc-<triple> and the
cross headers, libc6-dev-<debarch>-cross and linux-libc-dev-<debarch>-cross;
tools/setup installs all of them). The mips triples are o32 (mips, mipsle)
and n64 (mips64, mips64le: the gnuabi64 compilers), as Go's GOARCHes.
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
        Arch("mips", "mips-linux-gnu"),
        Arch("mips64", "mips64-linux-gnuabi64"),
        Arch("mips64le", "mips64el-linux-gnuabi64"),
        Arch("mipsle", "mipsel-linux-gnu"),
        Arch("ppc64", "powerpc64-linux-gnu"),
        Arch("ppc64le", "powerpc64le-linux-gnu"),
        Arch("riscv64", "riscv64-linux-gnu"),
        Arch("s390x", "s390x-linux-gnu"),
    )
}


def get(name: str) -> Arch:
    try:
        return ARCHES[name]
    except KeyError:
        raise SystemExit(f"mkerrors: unknown arch {name!r} (known: {', '.join(ARCHES)})")
