# The programs every consumer project builds, once gosyscall::syscall and
# gosyscall::exec exist (however they were obtained): forkexec_check,
# exec_check, and the README's example when the driver extracted it
# (README_EXAMPLE, the path of a .cpp).
add_executable(forkexec_check "${CMAKE_CURRENT_LIST_DIR}/forkexec_check.cpp")
target_link_libraries(forkexec_check PRIVATE gosyscall::syscall)
add_executable(exec_check "${CMAKE_CURRENT_LIST_DIR}/exec_check.cpp")
target_link_libraries(exec_check PRIVATE gosyscall::exec)
if(README_EXAMPLE)
  add_executable(readme_example "${README_EXAMPLE}")
  target_link_libraries(readme_example PRIVATE gosyscall::syscall)
endif()
