# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/mips64le with Debian's mips64el-linux-gnuabi64 cross compiler
# (apt-get install g++-mips64el-linux-gnuabi64).
#   cmake -S . -B build-mips64le --toolchain cmake/toolchains/linux-mips64le.cmake
# Binaries link statically, so that they run under qemu-mips64el-static without a
# mips64el-linux-gnuabi64 sysroot or loader on the host.
# The n64 ABI (64-bit pointers), little-endian.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mips64el)
set(CMAKE_C_COMPILER mips64el-linux-gnuabi64-gcc)
set(CMAKE_CXX_COMPILER mips64el-linux-gnuabi64-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/mips64el-linux-gnuabi64); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/mips64el-linux-gnuabi64)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# ctest (and try_run) run the target's programs through the user-mode
# emulator; nothing here relies on binfmt_misc being registered.
find_program(GOSYSCALL_QEMU_MIPS64EL qemu-mips64el-static)
if(GOSYSCALL_QEMU_MIPS64EL)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GOSYSCALL_QEMU_MIPS64EL})
endif()
