# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds gosyscall for linux/386 with Debian's i686-linux-gnu cross compiler
# (apt-get install g++-i686-linux-gnu).
#   cmake -S . -B build-386 --toolchain cmake/toolchains/linux-386.cmake
# Binaries link statically, so that they run natively on an x86-64 kernel without an
# i686-linux-gnu sysroot or loader on the host.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER i686-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER i686-linux-gnu-g++)

# Headers and libraries come from the cross compiler's own sysroot
# (/usr/i686-linux-gnu); programs (python3, the generator) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/i686-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_EXE_LINKER_FLAGS_INIT -static)
