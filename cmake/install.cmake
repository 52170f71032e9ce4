# SPDX-License-Identifier: BSD-3-Clause
# cmake/install.cmake: what `cmake --install` puts in place, included at the
# end of the top CMakeLists.txt (after tools/, so gospawn is known).
#
#   <includedir>/gosyscall/syscall/*.hpp   the public headers
#   <includedir>/gosyscall/zerrors/*.hpp   the constant tables those include
#   <includedir>/gosyscall/exec/*.hpp      go::exec's headers (exec/internal/ stays out)
#   <libdir>/libgosyscall.a (or .so)       the library
#   <libdir>/libgosyscall-exec.a (or .so)  go::exec, over the library
#   <libdir>/cmake/gosyscall/              find_package(gosyscall CONFIG) -> gosyscall::syscall,
#                                          gosyscall::exec
#   <libdir>/pkgconfig/gosyscall.pc        pkg-config --cflags --libs gosyscall
#   <libdir>/pkgconfig/gosyscall-exec.pc   pkg-config --cflags --libs gosyscall-exec
#   <docdir>/LICENSE, README.md, ...       the license and the documents
#   <bindir>/gospawn, <mandir>/man1/gospawn.1  with GOSYSCALL_BUILD_TOOLS
#
# Consumers add <includedir>/gosyscall to their include path and write
# #include "syscall/syscall.hpp" or "exec/exec.hpp", exactly as inside this
# tree.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# A project that pulls gosyscall in with add_subdirectory or FetchContent
# usually does not want its install rules: they default on only at the top.
if(CMAKE_SOURCE_DIR STREQUAL PROJECT_SOURCE_DIR)
  set(_gs_install_default ON)
else()
  set(_gs_install_default OFF)
endif()
option(GOSYSCALL_INSTALL "Generate gosyscall's install rules" ${_gs_install_default})
if(NOT GOSYSCALL_INSTALL)
  return()
endif()

set(_gs_incdir "${CMAKE_INSTALL_INCLUDEDIR}/gosyscall")
set(_gs_cmakedir "${CMAKE_INSTALL_LIBDIR}/cmake/gosyscall")

# --- headers ----------------------------------------------------------------
# Every syscall/*.hpp is public; what only the library's own sources include
# lives in syscall/internal/ and is not installed. No installed header may
# include an internal one: the consumer_headers test compiles each installed
# header alone.
file(GLOB _gs_headers CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/syscall/*.hpp")
install(FILES ${_gs_headers} DESTINATION "${_gs_incdir}/syscall" COMPONENT dev)

# go::exec's headers: every exec/*.hpp; its internal headers live apart, in
# exec/internal/, which is not installed.
file(GLOB _gs_exec_headers CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/exec/*.hpp")
install(FILES ${_gs_exec_headers} DESTINATION "${_gs_incdir}/exec" COMPONENT dev)

# The tables: the ones the library was compiled with. With GOSYSCALL_GENERATE
# that is the pair generated at build time for GOSYSCALL_ARCH (equal to the
# committed pair while the zerrors_drift test passes); otherwise the committed
# ones of every arch, of which syscall/zerrors.hpp picks the compiler's.
if(GOSYSCALL_GENERATE)
  install(FILES
    "${CMAKE_BINARY_DIR}/zerrors/zerrors_linux_${GOSYSCALL_ARCH}.hpp"
    "${CMAKE_BINARY_DIR}/zerrors/zsysnum_linux_${GOSYSCALL_ARCH}.hpp"
    DESTINATION "${_gs_incdir}/zerrors" COMPONENT dev)
else()
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/zerrors/" DESTINATION "${_gs_incdir}/zerrors"
          COMPONENT dev FILES_MATCHING PATTERN "z*_linux_*.hpp")
endif()

# --- library and CMake package -----------------------------------------------
# A shared build gets a soname per minor version: 0.x may break the ABI in
# any minor release.
set_target_properties(syscall exec PROPERTIES VERSION "${PROJECT_VERSION}"
  SOVERSION "${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}")
install(TARGETS syscall exec EXPORT gosyscallTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT dev
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT lib
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT lib)
install(EXPORT gosyscallTargets NAMESPACE gosyscall:: DESTINATION "${_gs_cmakedir}"
        COMPONENT dev)

configure_package_config_file(cmake/gosyscallConfig.cmake.in
  "${PROJECT_BINARY_DIR}/gosyscallConfig.cmake" INSTALL_DESTINATION "${_gs_cmakedir}")
# 0.x: a minor version may change the API, so only the same minor matches.
# Not arch independent: the version file also rejects a library built for
# another pointer size.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/gosyscallConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/gosyscallConfig.cmake"
              "${PROJECT_BINARY_DIR}/gosyscallConfigVersion.cmake"
        DESTINATION "${_gs_cmakedir}" COMPONENT dev)

# --- pkg-config ---------------------------------------------------------------
# prefix is found from the .pc file's own place (${pcfiledir}), so the tree
# can be installed with --prefix or DESTDIR and moved afterwards.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(GOSYSCALL_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _gs_up "/r/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/r")
  set(GOSYSCALL_PC_PREFIX "\${pcfiledir}/${_gs_up}")
endif()
foreach(_gs_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_gs_dir}}")
    set(GOSYSCALL_PC_${_gs_dir} "${CMAKE_INSTALL_${_gs_dir}}")
  else()
    set(GOSYSCALL_PC_${_gs_dir} "\${prefix}/${CMAKE_INSTALL_${_gs_dir}}")
  endif()
endforeach()
# The one compile definition the library exports (which SysProcAttr it has).
set(GOSYSCALL_PC_CFLAGS "")
if(GOSYSCALL_EXEC_BSD)
  set(GOSYSCALL_PC_CFLAGS " -DGOSYSCALL_EXEC_BSD")
endif()
configure_file(cmake/gosyscall.pc.in "${PROJECT_BINARY_DIR}/gosyscall.pc" @ONLY)
configure_file(cmake/gosyscall-exec.pc.in "${PROJECT_BINARY_DIR}/gosyscall-exec.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/gosyscall.pc" "${PROJECT_BINARY_DIR}/gosyscall-exec.pc"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig" COMPONENT dev)

# --- gospawn and the documents ------------------------------------------------
if(TARGET gospawn)
  install(TARGETS gospawn RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT tools)
  install(FILES "${PROJECT_SOURCE_DIR}/docs/gospawn.1"
          DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT tools)
endif()
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" "${PROJECT_SOURCE_DIR}/README.md"
              "${PROJECT_SOURCE_DIR}/docs/GO_MAPPING.md"
              "${PROJECT_SOURCE_DIR}/docs/EMBEDDING.md"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT dev)
