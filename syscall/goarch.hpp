// SPDX-License-Identifier: BSD-3-Clause
// The one arch selector: which of Go's Linux arches the compiler is building
// for, from its own predefined macros, as nolibc's arch.h. Everything per
// arch is chosen through what it defines:
//   GOSYSCALL_GOARCH          Go's name for the arch ("mips64le")
//   GOSYSCALL_ARCH_HEADER     the hand-written syscall/arch_linux_<arch>.hpp;
//                             one file serves a family, as Go's mips64x and
//                             ppc64x files do
//   GOSYSCALL_ZERRORS_HEADER  the generated zerrors/zerrors_linux_<arch>.hpp
//   GOSYSCALL_ZSYSNUM_HEADER  the generated zerrors/zsysnum_linux_<arch>.hpp
//   GOSYSCALL_ZCHECK_HEADER   the generated zerrors_check_linux_<arch>.hpp
//                             (tests/test_zerrors.cpp)
//   GOSYSCALL_UID16_CALLS     defined where the original uid/gid calls take
//                             16-bit ids (386, arm): arch.hpp then uses their
//                             *32 variants
//   GOSYSCALL_ASM_GENERIC     defined where the syscall table is asm-generic's
//                             alone (arm64, riscv64): no legacy call that
//                             another covers (dup2, getpgrp, open, fork, ...)
// The paths are spelled out: pasting them from tokens would not work, as
// "mips", "linux" and "i386" are predefined macros in GNU mode.
#pragma once

#if defined(__x86_64__) && !defined(__ILP32__)
#define GOSYSCALL_GOARCH "amd64"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_amd64.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_amd64.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_amd64.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_amd64.hpp"
#elif defined(__i386__)
#define GOSYSCALL_GOARCH "386"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_386.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_386.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_386.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_386.hpp"
#define GOSYSCALL_UID16_CALLS 1
#elif defined(__aarch64__)
#define GOSYSCALL_GOARCH "arm64"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_arm64.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_arm64.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_arm64.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_arm64.hpp"
#define GOSYSCALL_ASM_GENERIC 1
#elif defined(__arm__)
#if !defined(__ARM_EABI__)
#error "gosyscall: arm needs the EABI (number in r7, svc 0); OABI is not supported"
#endif
#define GOSYSCALL_GOARCH "arm"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_arm.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_arm.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_arm.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_arm.hpp"
#define GOSYSCALL_UID16_CALLS 1
#elif defined(__riscv) && __riscv_xlen == 64
#define GOSYSCALL_GOARCH "riscv64"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_riscv64.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_riscv64.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_riscv64.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_riscv64.hpp"
#define GOSYSCALL_ASM_GENERIC 1
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GOSYSCALL_GOARCH "ppc64le"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_ppc64x.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_ppc64le.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_ppc64le.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_ppc64le.hpp"
#elif defined(__powerpc64__)
#define GOSYSCALL_GOARCH "ppc64"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_ppc64x.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_ppc64.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_ppc64.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_ppc64.hpp"
#elif defined(__s390x__)
#define GOSYSCALL_GOARCH "s390x"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_s390x.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_s390x.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_s390x.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_s390x.hpp"
#elif defined(__mips__) && _MIPS_SIM == _ABI64 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GOSYSCALL_GOARCH "mips64le"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_mips64x.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_mips64le.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_mips64le.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_mips64le.hpp"
#elif defined(__mips__) && _MIPS_SIM == _ABI64
#define GOSYSCALL_GOARCH "mips64"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_mips64x.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_mips64.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_mips64.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_mips64.hpp"
#elif defined(__mips__) && _MIPS_SIM == _ABIO32 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GOSYSCALL_GOARCH "mipsle"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_mipsx.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_mipsle.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_mipsle.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_mipsle.hpp"
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
#define GOSYSCALL_GOARCH "mips"
#define GOSYSCALL_ARCH_HEADER "syscall/arch_linux_mipsx.hpp"
#define GOSYSCALL_ZERRORS_HEADER "zerrors/zerrors_linux_mips.hpp"
#define GOSYSCALL_ZSYSNUM_HEADER "zerrors/zsysnum_linux_mips.hpp"
#define GOSYSCALL_ZCHECK_HEADER "zerrors/zerrors_check_linux_mips.hpp"
#else
#error "gosyscall: not one of Go's Linux arches that this port supports (README.md lists them)"
#endif
