#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Unit tests of gen/: run with `/usr/bin/python3 gen/test_gen.py -v`.

Tests that need a cross compiler skip that arch when it is missing; the
zerrors_drift test (mkerrors.py --drift) is the one that insists on every
committed arch.
"""

import os
import shutil
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import arches  # noqa: E402
import families  # noqa: E402
import harvest  # noqa: E402
import headers  # noqa: E402
import messages  # noqa: E402
import mkerrors  # noqa: E402
import render  # noqa: E402
import sysnum  # noqa: E402
import values  # noqa: E402

HOST_CC = shutil.which("cc") or shutil.which("gcc")


def installed(name):
    return arches.ARCHES[name].cc_path()


def any_cc():
    for a in arches.ARCHES.values():
        if a.cc_path():
            return a.cc_path()
    return HOST_CC


def names_of(selected, family=None):
    return {n.go for n in selected if family is None or n.family is family}


class FamilyFilters(unittest.TestCase):
    ERRNO_H = ["EPERM", "EAGAIN", "EWOULDBLOCK", "E2BIG", "EHWPOISON", "EPOLLIN", "EOF", "errno",
               "__ELF__"]
    SIGNAL_H = ["SIGKILL", "SIGIO", "SIGPOLL", "SIG_DFL", "SIG_IGN", "SIG_ERR", "SIGSTKSZ",
                "SIGRTMIN", "SIGRTMAX", "SIGEV_SIGNAL", "SIGSTKFLT"]
    EVERYTHING = ERRNO_H + SIGNAL_H + [
        "ETH_P_IP", "EPOLLOUT", "EFD_CLOEXEC", "EXIT_FAILURE",      # E-names that are not errnos
        "PR_SET_PDEATHSIG", "PR_SET_PTRACER_ANY", "PRIO_PROCESS",
        "CLONE_NEWPID", "CLONE_PIDFD", "O_CLOEXEC", "O_LARGEFILE", "F_GETFD", "FD_CLOEXEC",
        "WNOHANG", "WCOREFLAG", "__WALL", "__WCLONE", "__WNOTHREAD", "__WCOREFLAG",
        "__WORDSIZE", "WAIT_ANY", "W_OK", "TIOCSCTTY", "TIOCNOTTY", "PTRACE_TRACEME",
        "PT_TRACE_ME", "MS_PRIVATE", "MS_REC", "P_PIDFD", "P_ALL", "P_tmpdir",
        "CAP_SYS_ADMIN", "CAP_LAST_CAP",
    ]

    def select(self):
        return families.select(self.EVERYTHING, self.ERRNO_H, self.SIGNAL_H)

    def test_errno_only_from_errno_h_and_only_errnos(self):
        errnos = names_of(self.select(), families.ERRNO)
        self.assertEqual(errnos, {"EPERM", "EAGAIN", "EWOULDBLOCK", "E2BIG", "EHWPOISON"})
        for not_errno in ("ETH_P_IP", "EPOLLIN", "EPOLLOUT", "EFD_CLOEXEC", "EXIT_FAILURE", "EOF"):
            self.assertNotIn(not_errno, names_of(self.select()))

    def test_epoll_is_not_an_errno_even_inside_errno_h(self):
        self.assertFalse(families.ERRNO.matches("EPOLLIN"))
        self.assertTrue(families.ERRNO.matches("EPERM"))

    def test_signals(self):
        sigs = names_of(self.select(), families.SIGNAL)
        self.assertEqual(sigs, {"SIGKILL", "SIGIO", "SIGPOLL", "SIGSTKFLT"})

    def test_wait_options(self):
        w = names_of(self.select(), [f for f in families.CONSTANT_FAMILIES if f.key == "W"][0])
        self.assertEqual(w, {"WNOHANG", "WCOREFLAG", "WALL", "WCLONE", "WNOTHREAD"})
        by_go = {n.go: n.c for n in self.select()}
        self.assertEqual(by_go["WALL"], "__WALL")
        self.assertEqual(by_go["WCOREFLAG"], "WCOREFLAG")  # the plain one wins over __WCOREFLAG

    def test_constant_families(self):
        got = names_of(self.select())
        for want in ("PR_SET_PDEATHSIG", "PR_SET_PTRACER_ANY", "CLONE_NEWPID", "CLONE_PIDFD",
                     "O_CLOEXEC", "F_GETFD", "FD_CLOEXEC", "TIOCSCTTY", "PTRACE_TRACEME",
                     "MS_PRIVATE", "MS_REC", "P_PIDFD", "P_ALL", "CAP_SYS_ADMIN", "CAP_LAST_CAP"):
            self.assertIn(want, got)
        for unwanted in ("PRIO_PROCESS", "W_OK", "WAIT_ANY", "WORDSIZE", "PT_TRACE_ME", "errno",
                         "P_tmpdir"):
            self.assertNotIn(unwanted, got)

    def test_each_name_in_one_family(self):
        for name in self.EVERYTHING:
            self.assertLessEqual(sum(f.matches(name) for f in families.FAMILIES), 1, name)

    def test_range_check(self):
        e = families.Name("EFOO", "EFOO", families.ERRNO)
        s = families.Name("SIGFOO", "SIGFOO", families.SIGNAL)
        self.assertTrue(families.in_range(e, 133))
        self.assertFalse(families.in_range(e, -1))
        self.assertFalse(families.in_range(e, 0))
        self.assertTrue(families.in_range(s, 31))
        self.assertFalse(families.in_range(s, 0))


class Harvest(unittest.TestCase):
    DM = "\n".join([
        "#define EPERM 1",
        "#define EWOULDBLOCK EAGAIN",
        "#define FD_ZERO(fdsetp) __FD_ZERO (fdsetp)",
        "#define WEXITSTATUS(status) __WEXITSTATUS (status)",
        "#define __W_EXITCODE(ret,sig) ((ret) << 8 | (sig))",
        "#define _SYS_WAIT_H 1",
        "#define EMPTY_GUARD",
        "#define SIGRTMIN (__libc_current_sigrtmin ())",
    ])

    def test_function_like_and_empty_macros_dropped(self):
        macros = harvest.object_like(harvest.parse(self.DM))
        self.assertEqual(set(macros), {"EPERM", "EWOULDBLOCK", "_SYS_WAIT_H", "SIGRTMIN"})

    def test_parse(self):
        macros = harvest.parse(self.DM)
        self.assertEqual(macros["EWOULDBLOCK"].body, "EAGAIN")
        self.assertEqual(macros["__W_EXITCODE"].params, "(ret,sig)")
        self.assertTrue(macros["FD_ZERO"].function_like)
        self.assertTrue(macros["EMPTY_GUARD"].empty)

    @unittest.skipUnless(any_cc(), "no C compiler")
    def test_real_preprocessor(self):
        got = harvest.run(any_cc(), headers.single("errno.h"))
        self.assertIn("EPERM", got)
        self.assertNotIn("EPOLLIN", got)


@unittest.skipUnless(any_cc(), "no C compiler")
class Values(unittest.TestCase):
    def test_non_constant_macros_are_dropped(self):
        pre = headers.single("signal.h") + "\n".join([
            "#include <stdio.h>",
            "#define GOOD (1 << 4)",
            "#define NEG (-5)",
            "#define EMPTY",
            "#define FN(x) (x)",
            "#define STR \"text\"",
            "#define FLT 1.5",
            "#define UNBALANCED (1",
            "extern int some_var;",
            "#define VAR some_var",
            "#define ADDR ((unsigned long)&some_var)",
            "#define UNDECLARED no_such_thing",
        ]) + "\n"
        names = ["GOOD", "NEG", "EMPTY", "FN", "STR", "FLT", "UNBALANCED", "VAR", "ADDR",
                 "UNDECLARED", "SIGRTMIN", "SIG_DFL", "SIGSTKSZ", "stdin", "SIGKILL"]
        got, dropped = values.compile_values(any_cc(), pre, names)
        self.assertEqual(set(got), {"GOOD", "NEG", "SIGKILL"})
        self.assertEqual(set(dropped), set(names) - set(got))
        self.assertEqual(got["GOOD"].int, 16)
        self.assertEqual(got["NEG"].int, -5)
        self.assertTrue(got["NEG"].negative)
        self.assertEqual(got["SIGKILL"].int, 9)

    def test_word_size(self):
        expected = {a: 0xffffffff if a in ("386", "arm", "mips", "mipsle") else 0xffffffffffffffff
                    for a in arches.ARCHES}
        pre = headers.preamble() + "#define ULONG_MINUS_ONE ((unsigned long)-1)\n"
        checked = []
        for arch, want in expected.items():
            cc = installed(arch)
            if not cc:
                continue
            with self.subTest(arch=arch):
                got, dropped = values.compile_values(
                    cc, pre, ["PR_SET_PTRACER_ANY", "ULONG_MINUS_ONE", "CLONE_CLEAR_SIGHAND", "EPERM"])
                self.assertEqual(dropped, {})
                self.assertEqual(got["PR_SET_PTRACER_ANY"].int, want)
                self.assertEqual(got["ULONG_MINUS_ONE"].int, want)
                self.assertFalse(got["PR_SET_PTRACER_ANY"].negative)
                self.assertEqual(got["CLONE_CLEAR_SIGHAND"].int, 0x100000000)  # ULL on every arch
                self.assertEqual(got["EPERM"].int, 1)
            checked.append(arch)
        if not checked:
            self.skipTest("no cross compiler installed")

    def test_arch_specific_values(self):
        # glibc's O_LARGEFILE (0 on 64-bit), mips' and ppc's own numbers, _NSIG.
        large = {"386": 0x8000, "arm": 0x20000, "mips": 0x2000, "mipsle": 0x2000}
        mips = ("mips", "mips64", "mips64le", "mipsle")
        for arch in arches.ARCHES:
            cc = installed(arch)
            if cc:
                with self.subTest(arch=arch):
                    got, dropped = values.compile_values(
                        cc, headers.preamble(),
                        ["O_LARGEFILE", "ENOSYS", "SIGCHLD", "NSIG", "EDEADLOCK", "TIOCSPGRP"])
                    self.assertEqual(dropped, {})
                    self.assertEqual(got["O_LARGEFILE"].int, large.get(arch, 0))
                    self.assertEqual(got["ENOSYS"].int, 89 if arch in mips else 38)
                    self.assertEqual(got["SIGCHLD"].int, 18 if arch in mips else 17)
                    self.assertEqual(got["NSIG"].int, 128 if arch in mips else 65)
                    self.assertEqual(got["EDEADLOCK"].int,
                                     56 if arch in mips else 58 if arch.startswith("ppc") else 35)
                    self.assertEqual(got["TIOCSPGRP"].int,
                                     0x80047476 if arch in mips or arch.startswith("ppc") else 0x5410)


class Syscalls(unittest.TestCase):
    def test_go_names(self):
        self.assertEqual(sysnum.go_name("__NR_getpid"), "SYS_GETPID")
        self.assertEqual(sysnum.go_name("__NR_setuid32"), "SYS_SETUID32")
        self.assertEqual(sysnum.go_name("__NR__llseek"), "SYS__LLSEEK")
        self.assertEqual(sysnum.go_name("__NR_clone3"), "SYS_CLONE3")
        with self.assertRaises(ValueError):
            sysnum.go_name("__NR_SYSCALL_BASE")

    def test_markers_are_not_syscalls(self):
        got = sysnum.select(["__NR_getpid", "__NR_syscalls", "__NR_arch_specific_syscall",
                             "__NR_SYSCALL_BASE", "__NR_OABI_SYSCALL_BASE", "__NR3264_fcntl",
                             "__ARM_NR_breakpoint", "__NR_fcntl"])
        self.assertEqual(got, {"SYS_FCNTL": "__NR_fcntl", "SYS_GETPID": "__NR_getpid"})

    def per_arch(self, arch):
        cc = installed(arch)
        if not cc:
            self.skipTest(f"{arch} compiler not installed")
        unistd = harvest.object_like(harvest.run(cc, headers.single(headers.SYSNUM_HEADER)))
        sel = sysnum.select(unistd)
        got, dropped = values.compile_values(cc, headers.preamble(), sel.values())
        self.assertEqual(dropped, {})
        return {go: got[c].int for go, c in sel.items()}

    def test_arm_base_expressions(self):
        nums = self.per_arch("arm")            # (__NR_SYSCALL_BASE + 213)
        self.assertEqual(nums["SYS_SETUID32"], 213)
        self.assertEqual(nums["SYS_GETPID"], 20)

    def test_386(self):
        nums = self.per_arch("386")
        self.assertEqual(nums["SYS_SETUID32"], 213)
        self.assertEqual(nums["SYS_FORK"], 2)

    def test_amd64(self):
        nums = self.per_arch("amd64")
        self.assertEqual(nums["SYS_GETPID"], 39)
        self.assertNotIn("SYS_SETUID32", nums)

    def test_mips_o32_and_n64_bases(self):
        self.assertEqual(self.per_arch("mipsle")["SYS_GETPID"], 4020)   # __NR_Linux 4000 + 20
        nums = self.per_arch("mips64")
        self.assertEqual(nums["SYS_GETPID"], 5038)                      # n64: 5000 + 38
        self.assertNotIn("SYS_LINUX", nums)                             # __NR_Linux: the base

    def test_ppc64_s390x_old_numbers(self):
        for arch in ("ppc64le", "s390x"):
            with self.subTest(arch=arch):
                nums = self.per_arch(arch)
                self.assertEqual(nums["SYS_GETPID"], 20)
                self.assertEqual(nums["SYS_FORK"], 2)

    def test_riscv64_has_no_fork_nor_open(self):
        nums = self.per_arch("riscv64")
        for legacy in ("SYS_FORK", "SYS_OPEN", "SYS_DUP2", "SYS_GETPGRP"):
            self.assertNotIn(legacy, nums)
        self.assertEqual(nums["SYS_CLONE"], 220)
        self.assertEqual(nums["SYS_OPENAT"], 56)

    def test_arm64_has_no_fork(self):
        nums = self.per_arch("arm64")
        self.assertNotIn("SYS_FORK", nums)
        self.assertEqual(nums["SYS_CLONE"], 220)
        self.assertEqual(nums["SYS_FCNTL"], 25)   # through __NR3264_fcntl


class Messages(unittest.TestCase):
    def test_lowercase_rule(self):
        self.assertEqual(messages.go_lower("Operation not permitted"), "operation not permitted")
        self.assertEqual(messages.go_lower("Killed"), "killed")
        self.assertEqual(messages.go_lower("I/O possible"), "I/O possible")
        self.assertEqual(messages.go_lower("CPU time limit exceeded"), "CPU time limit exceeded")
        self.assertEqual(messages.go_lower("Input/output error"), "input/output error")
        self.assertEqual(messages.go_lower(""), "")
        self.assertEqual(messages.go_lower("X"), "X")

    def test_table_dense_with_gaps_and_shared_numbers(self):
        vals = {"EPERM": 1, "EWOULDBLOCK": 11, "EAGAIN": 11, "EDEADLOCK": 3, "EDEADLK": 3}
        texts = {"EPERM": "Operation not permitted", "EAGAIN": "Resource temporarily unavailable",
                 "EWOULDBLOCK": "Resource temporarily unavailable",
                 "EDEADLK": "Resource deadlock avoided", "EDEADLOCK": "Resource deadlock avoided"}
        rows = messages.table(vals, texts)
        self.assertEqual(len(rows), 12)
        self.assertEqual(rows[0], (0, None, None))
        self.assertEqual(rows[1], (1, "EPERM", "operation not permitted"))
        self.assertEqual(rows[2], (2, None, None))
        self.assertEqual(rows[3][1], "EDEADLK")      # first in sort order, as Go
        self.assertEqual(rows[11][1], "EAGAIN")
        sig = messages.table({"SIGIO": 29, "SIGPOLL": 29}, {"SIGIO": "I/O possible", "SIGPOLL": "I/O possible"})
        self.assertEqual(sig[29], (29, "SIGIO", "I/O possible"))

    def test_target_texts(self):
        host = {"EDEADLK": "Resource deadlock avoided", "EDEADLOCK": "Resource deadlock avoided",
                "EPERM": "Operation not permitted", "SIGKILL": "Killed"}
        # An alias with the number of its name: the host's text.
        self.assertEqual(messages.target_texts({"EDEADLK": 35, "EDEADLOCK": 35}, host),
                         {"EDEADLK": "Resource deadlock avoided",
                          "EDEADLOCK": "Resource deadlock avoided"})
        # ppc64's EDEADLOCK is 58: glibc lists no text for it.
        self.assertEqual(messages.target_texts({"EDEADLK": 35, "EDEADLOCK": 58}, host)["EDEADLOCK"],
                         "Unknown error 58")
        # mips-only names the host lacks: glibc's text, or glibc's unknown-number text.
        got = messages.target_texts({"EINIT": 141, "EPERM": 1, "ENOSUCHNAME": 7}, host)
        self.assertEqual(got, {"EINIT": "Unknown error 141", "EPERM": "Operation not permitted"})
        self.assertEqual(messages.target_texts({"SIGEMT": 7, "SIGKILL": 9}, host),
                         {"SIGEMT": "EMT trap", "SIGKILL": "Killed"})

    @unittest.skipUnless(HOST_CC, "no host compiler")
    def test_host_texts(self):
        texts = messages.host_texts(["EPERM", "EHWPOISON", "ENOSUCHNAME"], ["SIGKILL", "SIGIO"], HOST_CC)
        self.assertEqual(texts["EPERM"], "Operation not permitted")
        self.assertEqual(texts["SIGKILL"], "Killed")
        self.assertEqual(texts["SIGIO"], "I/O possible")
        self.assertIn("EHWPOISON", texts)
        self.assertNotIn("ENOSUCHNAME", texts)


class Render(unittest.TestCase):
    def test_cpp_hex(self):
        # MS_NOUSER is (1<<31) in C: negative. Without the suffix the C++
        # literal would be the unsigned 0x80000000, negated: +2147483648.
        self.assertEqual(render.cpp_hex(-(1 << 31)), "-0x80000000LL")
        self.assertEqual(render.cpp_hex(0x1F), "0x1f")

    def test_go_hex(self):
        self.assertEqual(render.go_hex(0), "0x0")
        self.assertEqual(render.go_hex(0x1F), "0x1f")
        self.assertEqual(render.go_hex(-1), "-0x1")

    def test_constant_types(self):
        self.assertEqual(render.constant_type(0xffffffff, 32), ("uintptr", None))
        self.assertEqual(render.constant_type(0x100000000, 32)[0], "std::uint64_t")
        self.assertEqual(render.constant_type(0x100000000, 64), ("uintptr", None))
        self.assertEqual(render.constant_type(-1, 64)[0], "std::int64_t")

    def test_c_string(self):
        self.assertEqual(render.c_string('a "b" \\ c'), '"a \\"b\\" \\\\ c"')
        self.assertEqual(render.c_string("tab\t"), '"tab\\011"')

    def test_command_line(self):
        self.assertEqual(mkerrors.command("amd64"),
                         "/usr/bin/python3 gen/mkerrors.py --arch amd64 --out zerrors")


class EndToEnd(unittest.TestCase):
    def test_host_arch_files(self):
        arch = next((a for a in ("amd64", "arm64", "386", "arm") if installed(a)), None)
        if not arch or not HOST_CC:
            self.skipTest("no compiler")
        results = mkerrors.generate([arch], host_cc=HOST_CC)
        data, files = results[arch]
        z = files[f"zerrors_linux_{arch}.hpp"]
        lines = z.splitlines()
        self.assertEqual(lines[0], "// Code generated by the command below; DO NOT EDIT.")
        self.assertEqual(lines[1], "// " + mkerrors.command(arch))
        self.assertIn("#pragma once", lines)
        self.assertIn('#include "syscall/types.hpp"', lines)
        self.assertIn("inline constexpr Errno EPERM_{0x1};", lines)
        self.assertIn("inline constexpr Signal SIGKILL_{0x9};", lines)
        self.assertIn("inline constexpr uintptr PR_SET_PDEATHSIG_ = 0x1;", lines)
        self.assertIn('    /* 1 EPERM */ "operation not permitted",', lines)
        self.assertIn('    /* 9 SIGKILL */ "killed",', lines)
        self.assertIn('    /* 29 SIGIO */ "I/O possible",', lines)
        self.assertIn('    /* 9 */ "SIGKILL",', lines)          # signalNames
        # Sorted by name inside each block.
        for block in ("Constants", "Errors", "Signals"):
            start = lines.index("// " + block) + 1
            decl = []
            for line in lines[start:]:
                if not line.startswith("inline constexpr"):
                    break
                decl.append(line.split()[3].split("{")[0].rstrip("_"))  # Go's name
            self.assertEqual(decl, sorted(decl), block)
            self.assertGreater(len(decl), 30, block)
        s = files[f"zsysnum_linux_{arch}.hpp"].splitlines()
        self.assertEqual(s[1], "// " + mkerrors.command(arch))
        self.assertTrue(any(x.startswith("inline constexpr uintptr SYS_GETPID = ") for x in s))
        check = files[f"zerrors_check_linux_{arch}.hpp"]
        self.assertIn("X(EPERM_, EPERM)", check)
        self.assertIn("X(WALL_, __WALL)", check)
        self.assertIn("X(SYS_GETPID, __NR_getpid)", check)
        self.assertEqual(data.dropped, {})


if __name__ == "__main__":
    unittest.main()
