# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/mips64 with Debian's mips64-linux-gnuabi64 cross compiler
# (apt-get install g++-mips64-linux-gnuabi64).
#   cmake -S . -B build-mips64 --toolchain cmake/toolchains/linux-mips64.cmake
# Binaries link statically, so that they run under qemu-mips64-static without a
# mips64-linux-gnuabi64 sysroot or loader on the host.
# The n64 ABI (64-bit pointers), big-endian.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mips64)
set(CMAKE_C_COMPILER mips64-linux-gnuabi64-gcc)
set(CMAKE_CXX_COMPILER mips64-linux-gnuabi64-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/mips64-linux-gnuabi64); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/mips64-linux-gnuabi64)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# ctest (and try_run) run the target's programs through the user-mode
# emulator; nothing here relies on binfmt_misc being registered.
find_program(GOSYSCALL_QEMU_MIPS64 qemu-mips64-static)
if(GOSYSCALL_QEMU_MIPS64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GOSYSCALL_QEMU_MIPS64})
endif()
