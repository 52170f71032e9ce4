# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/mipsle with Debian's mipsel-linux-gnu cross compiler
# (apt-get install g++-mipsel-linux-gnu).
#   cmake -S . -B build-mipsle --toolchain cmake/toolchains/linux-mipsle.cmake
# Binaries link statically, so that they run under qemu-mipsel-static without a
# mipsel-linux-gnu sysroot or loader on the host.
# The o32 ABI, little-endian.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mipsel)
set(CMAKE_C_COMPILER mipsel-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER mipsel-linux-gnu-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/mipsel-linux-gnu); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/mipsel-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# ctest (and try_run) run the target's programs through the user-mode
# emulator; nothing here relies on binfmt_misc being registered.
find_program(GOSYSCALL_QEMU_MIPSEL qemu-mipsel-static)
if(GOSYSCALL_QEMU_MIPSEL)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GOSYSCALL_QEMU_MIPSEL})
endif()
