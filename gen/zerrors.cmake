# SPDX-License-Identifier: BSD-3-Clause
# gen/zerrors.cmake: build-time generation of the zerrors/zsysnum headers, and
# the generator's tests. include() it from the top CMakeLists.txt after
# project() and enable_testing() (or include(CTest)).
#
# Provides
#   GOSYSCALL_PYTHON     cache: Python 3 with Jinja2 and pyelftools (default /usr/bin/python3)
#   GOSYSCALL_ARCH       cache: Go arch of the target (386, amd64, arm, arm64, riscv64, ppc64le,
#                        ppc64, s390x, mips64le, mips64, mipsle, mips), detected
#                        from CMAKE_SYSTEM_PROCESSOR and the pointer size
#   zerrors_gen          target (ALL): gen/mkerrors.py for GOSYSCALL_ARCH into
#                        ${CMAKE_BINARY_DIR}/zerrors/ (zerrors_linux_<arch>.hpp,
#                        zsysnum_linux_<arch>.hpp, and zerrors_check_linux_<arch>.hpp,
#                        the name list tests/test_zerrors.cpp compares; never committed)
#   gosyscall_use_generated_zerrors(<target>)
#                        builds <target> after zerrors_gen, against the generated
#                        headers (${CMAKE_BINARY_DIR} goes first on its include path,
#                        so "zerrors/zerrors_linux_<arch>.hpp" is the generated one)
#   tests gen_unit       the generator's unit tests (gen/test_gen.py)
#         zerrors_drift  regenerates every arch into a temp dir; fails with a
#                        diff -u when the committed zerrors/ differ, or when a
#                        committed arch's cross compiler is missing; then compiles
#                        gen/check_values.cpp per arch: every committed value, in
#                        its C++ type, equals the C header's (static_assert)
#         gen_crossarch  the committed arches agree where the kernel ABI says they
#                        must, and differ where it says so (gen/test_crossarch.py)
#         gen_gotables   the committed tables agree with Go's own (syscall from
#                        golang-go, x/sys/unix from golang-golang-x-sys-dev) on every
#                        name both define, but for the listed deliberate differences;
#                        skips a source whose package is missing (gen/test_gotables.py)
include_guard(GLOBAL)

set(_gs_gen_dir "${CMAKE_CURRENT_LIST_DIR}")
get_filename_component(_gs_root "${_gs_gen_dir}" DIRECTORY)

# --- Python ---------------------------------------------------------------
if(NOT GOSYSCALL_PYTHON)
  if(EXISTS /usr/bin/python3)
    set(_gs_py /usr/bin/python3)   # Debian's, with Debian's python3-jinja2
  else()
    find_package(Python3 REQUIRED COMPONENTS Interpreter)
    set(_gs_py "${Python3_EXECUTABLE}")
  endif()
  set(GOSYSCALL_PYTHON "${_gs_py}" CACHE FILEPATH "Python 3 with jinja2 and pyelftools, for gen/")
endif()
execute_process(
  COMMAND "${GOSYSCALL_PYTHON}" -c "import jinja2, elftools"
  RESULT_VARIABLE _gs_py_rc OUTPUT_QUIET ERROR_VARIABLE _gs_py_err)
if(NOT _gs_py_rc EQUAL 0)
  message(FATAL_ERROR "gen/: ${GOSYSCALL_PYTHON} lacks jinja2 or pyelftools "
                      "(apt-get install python3-jinja2 python3-pyelftools):\n${_gs_py_err}")
endif()

# --- target arch ----------------------------------------------------------
set(_gs_all_arches 386 amd64 arm arm64 riscv64 ppc64le ppc64 s390x mips64le mips64 mipsle mips)
if(NOT GOSYSCALL_ARCH)
  string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" _gs_proc)
  if(_gs_proc MATCHES "^(x86_64|amd64|x64|i[3-6]86|x86)$")
    set(_gs_arch amd64)
    if(CMAKE_SIZEOF_VOID_P EQUAL 4)
      set(_gs_arch 386)
    endif()
  elseif(_gs_proc MATCHES "^(aarch64|arm64)")
    set(_gs_arch arm64)
    if(CMAKE_SIZEOF_VOID_P EQUAL 4)
      set(_gs_arch arm)
    endif()
  elseif(_gs_proc MATCHES "^arm")
    set(_gs_arch arm)
  elseif(_gs_proc MATCHES "^riscv64$")
    set(_gs_arch riscv64)
  elseif(_gs_proc MATCHES "^(ppc64le|powerpc64le)$")
    set(_gs_arch ppc64le)
  elseif(_gs_proc MATCHES "^(ppc64|powerpc64)$")
    set(_gs_arch ppc64)
  elseif(_gs_proc MATCHES "^s390x$")
    set(_gs_arch s390x)
  elseif(_gs_proc MATCHES "^mips")
    # mips, mipsel, mips64, mips64el: the width from the compiler, the byte
    # order from the name (CMake knows no endianness before a try-compile).
    set(_gs_arch mips)
    if(CMAKE_SIZEOF_VOID_P EQUAL 8)
      set(_gs_arch mips64)
    endif()
    if(_gs_proc MATCHES "el$")
      string(APPEND _gs_arch le)
    endif()
  else()
    message(FATAL_ERROR "gen/: no Go arch for CMAKE_SYSTEM_PROCESSOR '${CMAKE_SYSTEM_PROCESSOR}'; "
                        "set GOSYSCALL_ARCH to one of ${_gs_all_arches}")
  endif()
  set(GOSYSCALL_ARCH "${_gs_arch}" CACHE STRING "Go arch of the target: one of ${_gs_all_arches}")
endif()
set_property(CACHE GOSYSCALL_ARCH PROPERTY STRINGS ${_gs_all_arches})
message(STATUS "gosyscall: generating zerrors for linux/${GOSYSCALL_ARCH} with ${GOSYSCALL_PYTHON}")

# --- build-time generation ------------------------------------------------
file(GLOB _gs_gen_deps CONFIGURE_DEPENDS "${_gs_gen_dir}/*.py" "${_gs_gen_dir}/templates/*.j2")
list(FILTER _gs_gen_deps EXCLUDE REGEX "/test_[^/]*\\.py$")
set(_gs_out "${CMAKE_BINARY_DIR}/zerrors")
set(_gs_outputs
  "${_gs_out}/zerrors_linux_${GOSYSCALL_ARCH}.hpp"
  "${_gs_out}/zsysnum_linux_${GOSYSCALL_ARCH}.hpp"
  "${_gs_out}/zerrors_check_linux_${GOSYSCALL_ARCH}.hpp")
add_custom_command(
  OUTPUT ${_gs_outputs}
  COMMAND "${GOSYSCALL_PYTHON}" -B "${_gs_gen_dir}/mkerrors.py"
          --arch "${GOSYSCALL_ARCH}" --out "${_gs_out}" --check-out "${_gs_out}"
  DEPENDS ${_gs_gen_deps}
  WORKING_DIRECTORY "${_gs_root}"
  COMMENT "gen/mkerrors.py: zerrors and zsysnum headers for linux/${GOSYSCALL_ARCH}"
  VERBATIM)
add_custom_target(zerrors_gen ALL DEPENDS ${_gs_outputs})

function(gosyscall_use_generated_zerrors target)
  add_dependencies(${target} zerrors_gen)
  get_target_property(_type ${target} TYPE)
  if(_type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} BEFORE INTERFACE "$<BUILD_INTERFACE:${CMAKE_BINARY_DIR}>")
  else()
    target_include_directories(${target} BEFORE PUBLIC "$<BUILD_INTERFACE:${CMAKE_BINARY_DIR}>")
  endif()
endfunction()

# --- tests ----------------------------------------------------------------
add_test(NAME gen_unit
  COMMAND "${GOSYSCALL_PYTHON}" -B "${_gs_gen_dir}/test_gen.py" -v
  WORKING_DIRECTORY "${_gs_root}")
add_test(NAME zerrors_drift
  COMMAND "${GOSYSCALL_PYTHON}" -B "${_gs_gen_dir}/mkerrors.py" --drift "${_gs_root}/zerrors"
  WORKING_DIRECTORY "${_gs_root}")
# Values agree across arches where the kernel ABI says so, differ where it
# says they differ (reads the committed zerrors/ of every arch).
add_test(NAME gen_crossarch
  COMMAND "${GOSYSCALL_PYTHON}" -B "${_gs_gen_dir}/test_crossarch.py" -v
  WORKING_DIRECTORY "${_gs_root}")
# The committed tables against Go's syscall and x/sys/unix tables, name by name.
add_test(NAME gen_gotables
  COMMAND "${GOSYSCALL_PYTHON}" -B "${_gs_gen_dir}/test_gotables.py" -v
  WORKING_DIRECTORY "${_gs_root}")
set_tests_properties(gen_unit zerrors_drift gen_crossarch gen_gotables PROPERTIES LABELS gen TIMEOUT 120)
