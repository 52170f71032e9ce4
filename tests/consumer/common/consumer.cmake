# The two programs every consumer project builds, once gosyscall::syscall
# exists (however it was obtained): forkexec_check, and the README's example
# when the driver extracted it (README_EXAMPLE, the path of a .cpp).
add_executable(forkexec_check "${CMAKE_CURRENT_LIST_DIR}/forkexec_check.cpp")
target_link_libraries(forkexec_check PRIVATE gosyscall::syscall)
if(README_EXAMPLE)
  add_executable(readme_example "${README_EXAMPLE}")
  target_link_libraries(readme_example PRIVATE gosyscall::syscall)
endif()
