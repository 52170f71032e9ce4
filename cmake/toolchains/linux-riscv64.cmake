# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/riscv64 with Debian's riscv64-linux-gnu cross compiler
# (apt-get install g++-riscv64-linux-gnu).
#   cmake -S . -B build-riscv64 --toolchain cmake/toolchains/linux-riscv64.cmake
# Binaries link statically, so that they run under qemu-riscv64-static without a
# riscv64-linux-gnu sysroot or loader on the host.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CMAKE_C_COMPILER riscv64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER riscv64-linux-gnu-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/riscv64-linux-gnu); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/riscv64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# ctest (and try_run) run the target's programs through the user-mode
# emulator; nothing here relies on binfmt_misc being registered.
find_program(GOSYSCALL_QEMU_RISCV64 qemu-riscv64-static)
if(GOSYSCALL_QEMU_RISCV64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GOSYSCALL_QEMU_RISCV64})
endif()
