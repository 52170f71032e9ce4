# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/ppc64le with Debian's powerpc64le-linux-gnu cross compiler
# (apt-get install g++-powerpc64le-linux-gnu).
#   cmake -S . -B build-ppc64le --toolchain cmake/toolchains/linux-ppc64le.cmake
# Binaries link statically, so that they run under qemu-ppc64le-static without a
# powerpc64le-linux-gnu sysroot or loader on the host.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ppc64le)
set(CMAKE_C_COMPILER powerpc64le-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER powerpc64le-linux-gnu-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/powerpc64le-linux-gnu); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/powerpc64le-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# ctest (and try_run) run the target's programs through the user-mode
# emulator; nothing here relies on binfmt_misc being registered.
find_program(GOSYSCALL_QEMU_PPC64LE qemu-ppc64le-static)
if(GOSYSCALL_QEMU_PPC64LE)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GOSYSCALL_QEMU_PPC64LE})
endif()
