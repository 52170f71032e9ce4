# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/s390x with Debian's s390x-linux-gnu cross compiler
# (apt-get install g++-s390x-linux-gnu).
#   cmake -S . -B build-s390x --toolchain cmake/toolchains/linux-s390x.cmake
# Binaries link statically, so that they run under qemu-s390x-static without a
# s390x-linux-gnu sysroot or loader on the host.
# Big-endian.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(CMAKE_C_COMPILER s390x-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER s390x-linux-gnu-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/s390x-linux-gnu); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/s390x-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# ctest (and try_run) run the target's programs through the user-mode
# emulator; nothing here relies on binfmt_misc being registered.
find_program(GOSYSCALL_QEMU_S390X qemu-s390x-static)
if(GOSYSCALL_QEMU_S390X)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GOSYSCALL_QEMU_S390X})
endif()
