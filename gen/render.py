# SPDX-License-Identifier: BSD-3-Clause
"""Formatting of values, and the Jinja2 environment for gen/templates/."""

import os

import jinja2

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def go_hex(value: int) -> str:
    """Hex as Go's mkerrors writes it: 0x0, 0x1f, -0x1."""
    return f"-0x{-value:x}" if value < 0 else f"0x{value:x}"


def cpp_hex(value: int) -> str:
    """go_hex as a C++ literal of the same value. A hex literal takes the
    first type that holds it, unsigned ones included, so -0x80000000 would be
    the negation of an unsigned int, +2147483648: a negative value is written
    with LL, whose type holds its magnitude and is signed."""
    return go_hex(value) + ("LL" if value < 0 else "")


def c_string(text: str) -> str:
    """A C++ string literal for `text`."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.extend(f"\\{b:03o}" for b in ch.encode())
    return '"' + "".join(out) + '"'


def constant_type(value: int, word_bits: int):
    """(C++ type, comment) for a constant of the Constants block.

    uintptr when the value fits, as Go's untyped constants end up used; a
    value wider than the word (CLONE_CLEAR_SIGHAND on 32-bit: clone3 flags are
    64-bit) or negative keeps its value in a type that can hold it.
    """
    if value < 0:
        return "std::int64_t", "negative in C"
    if value >= 1 << word_bits:
        return "std::uint64_t", f"wider than uintptr ({word_bits}-bit)"
    return "uintptr", None


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["go_hex"] = go_hex
    env.filters["cpp_hex"] = cpp_hex
    env.filters["c_string"] = c_string
    return env
