# SPDX-License-Identifier: BSD-3-Clause
# The programs every consumer project builds, once gosyscall::syscall and
# gosyscall::exec exist (however they were obtained): forkexec_check,
# exec_check, and the README's example when the driver extracted it
# (README_EXAMPLE, the path of a .cpp).
# Pulled in from its source, gosyscall must have configured only the library:
# no tests, tools or generator (nor Boost and Python, which they need).
if(GOSYSCALL_SOURCE_DIR)
  foreach(t IN ITEMS gospawn pdeathsig_demo test_forkexec boost_test_main zerrors_gen)
    if(TARGET ${t})
      message(FATAL_ERROR "gosyscall as a subproject configured ${t}: only the library is wanted")
    endif()
  endforeach()
endif()
add_executable(forkexec_check "${CMAKE_CURRENT_LIST_DIR}/forkexec_check.cpp")
target_link_libraries(forkexec_check PRIVATE gosyscall::syscall)
add_executable(exec_check "${CMAKE_CURRENT_LIST_DIR}/exec_check.cpp")
target_link_libraries(exec_check PRIVATE gosyscall::exec)
if(README_EXAMPLE)
  add_executable(readme_example "${README_EXAMPLE}")
  target_link_libraries(readme_example PRIVATE gosyscall::syscall)
endif()
