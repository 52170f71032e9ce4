# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/arm with Debian's arm-linux-gnueabihf cross compiler
# (apt-get install g++-arm-linux-gnueabihf).
#   cmake -S . -B build-arm --toolchain cmake/toolchains/linux-arm.cmake
# Binaries link statically, so that they run under qemu-arm-static without an
# arm-linux-gnueabihf sysroot or loader on the host.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/arm-linux-gnueabihf); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# ctest (and try_run) run the target's programs through the user-mode
# emulator; nothing here relies on binfmt_misc being registered.
find_program(GOSYSCALL_QEMU_ARM qemu-arm-static)
if(GOSYSCALL_QEMU_ARM)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${GOSYSCALL_QEMU_ARM})
endif()
