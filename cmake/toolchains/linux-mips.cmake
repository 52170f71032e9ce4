# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/mips with Debian's mips-linux-gnu cross compiler
# (apt-get install g++-mips-linux-gnu).
#   cmake -S . -B build-mips --toolchain cmake/toolchains/linux-mips.cmake
# Binaries link statically, so that they run under qemu-mips-static without a
# mips-linux-gnu sysroot or loader on the host.
# The o32 ABI, big-endian.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mips)
set(CMAKE_C_COMPILER mips-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER mips-linux-gnu-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/mips-linux-gnu); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/mips-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# ctest (and try_run) run the target's programs through the user-mode
# emulator; nothing here relies on binfmt_misc being registered.
find_program(GOSYSCALL_QEMU_MIPS qemu-mips-static)
if(GOSYSCALL_QEMU_MIPS)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GOSYSCALL_QEMU_MIPS})
endif()
