#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Drives the consumer tests (registered by tests/consumer/CMakeLists.txt).
#
#   run.sh install      BUILD PREFIX              cmake --install BUILD into a fresh PREFIX
#   run.sh find_package PREFIX WORK CXX [FLAGS]   consumer of the installed package
#   run.sh pkgconfig    PREFIX WORK               consumer compiled with pkg-config
#   run.sh subdirectory SRC WORK BSD              consumer doing add_subdirectory(SRC)
#   run.sh fetchcontent SRC WORK BSD              consumer doing FetchContent from SRC
#   run.sh headers      PREFIX WORK CXX...        each installed header alone, -Werror
#   run.sh shared       SRC WORK BSD              shared libraries: exported symbols, then a consumer
#
# Every consumer is built in WORK from scratch and its programs are run:
# forkexec_check and exec_check (exit 0 = their checks passed) and the README's example
# (extracted from README.md; it must print its line and exit 0). Exit 77
# means skipped (a compiler or tool is missing), which ctest reports as such.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
mode=$1
shift
jobs=2

# readme_example WORK: the ```cpp block under "## Example" in README.md.
readme_example() {
  awk '/^## Example/ {in_section=1; next}
       /^## / {in_section=0}
       in_section && /^```cpp/ {code=1; next}
       code && /^```/ {exit}
       code {print}' "$src/README.md" >"$1/readme_example.cpp"
  [ -s "$1/readme_example.cpp" ] || { echo "no C++ example under '## Example' in README.md" >&2; exit 1; }
  echo "$1/readme_example.cpp"
}

# run_programs DIR BSD: runs what the consumer built in DIR.
run_programs() {
  echo "== $1/forkexec_check"
  "$1/forkexec_check"
  echo "== $1/exec_check"
  "$1/exec_check"
  if [ "$2" = ON ]; then
    echo "== README example: skipped (it sets Pdeathsig, which the BSD backend lacks)"
    return
  fi
  echo "== $1/readme_example"
  out=$("$1/readme_example")
  echo "$out"
  [ "$out" = "hello from the child" ] || { echo "README example printed '$out'" >&2; exit 1; }
}

# build_consumer PROJECT WORK BSD [CMAKE ARGS...]
build_consumer() {
  local project=$1 work=$2 bsd=$3
  shift 3
  rm -rf "$work"
  mkdir -p "$work"
  local example=""
  [ "$bsd" = ON ] || example=$(readme_example "$work")
  cmake -S "$here/$project" -B "$work/build" -DREADME_EXAMPLE="$example" "$@"
  cmake --build "$work/build" -j"$jobs"
  run_programs "$work/build" "$bsd"
}

# bsd_of PREFIX: whether the installed library is the BSD backend.
bsd_of() {
  if grep -q GOSYSCALL_EXEC_BSD "$1"/lib*/pkgconfig/gosyscall.pc "$1"/lib/*/pkgconfig/gosyscall.pc 2>/dev/null
  then echo ON; else echo OFF; fi
}

case $mode in
install)
  build=$1 prefix=$2
  rm -rf "$prefix"
  cmake --install "$build" --prefix "$prefix"
  # The license goes with the package; no internal header does.
  [ -f "$prefix/share/doc/gosyscall/LICENSE" ] || { echo "LICENSE not installed"; exit 1; }
  if [ -e "$prefix/include/gosyscall/syscall/internal" ]; then
    echo "syscall/internal/ was installed"; exit 1
  fi
  ;;
find_package)
  prefix=$1 work=$2 cxx=$3 flags=${4:-}
  command -v "$cxx" >/dev/null || { echo "skipped: $cxx is not installed"; exit 77; }
  build_consumer find_package "$work" "$(bsd_of "$prefix")" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$flags"
  ;;
pkgconfig)
  prefix=$1 work=$2
  command -v pkg-config >/dev/null || { echo "skipped: pkg-config is not installed"; exit 77; }
  bsd=$(bsd_of "$prefix")
  rm -rf "$work"
  mkdir -p "$work"
  pcdir=$(dirname "$(find "$prefix" -name gosyscall.pc)")
  flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs gosyscall)
  echo "pkg-config --cflags --libs gosyscall: $flags"
  # shellcheck disable=SC2086  # flags is a list of words
  g++ -std=c++17 -o "$work/forkexec_check" "$here/common/forkexec_check.cpp" $flags
  exec_flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs gosyscall-exec)
  echo "pkg-config --cflags --libs gosyscall-exec: $exec_flags"
  # shellcheck disable=SC2086
  g++ -std=c++17 -o "$work/exec_check" "$here/common/exec_check.cpp" $exec_flags
  if [ "$bsd" = OFF ]; then
    # shellcheck disable=SC2086
    g++ -std=c++17 -o "$work/readme_example" "$(readme_example "$work")" $flags
  fi
  run_programs "$work" "$bsd"
  ;;
subdirectory | fetchcontent)
  src_dir=$1 work=$2 bsd=$3
  build_consumer "$mode" "$work" "$bsd" -DGOSYSCALL_SOURCE_DIR="$src_dir" -DGOSYSCALL_EXEC_BSD="$bsd"
  ;;
shared)
  # The library alone, as shared objects, installed; what they export is
  # the public API only: nothing of an internal namespace, no unexported
  # (lower-case, as in Go) name of go::syscall, and of go::syscall::detail
  # only what an installed header declares (the tables its inline code reads).
  src_dir=$1 work=$2 bsd=$3
  command -v nm >/dev/null || { echo "skipped: nm is not installed"; exit 77; }
  rm -rf "$work"
  cmake -S "$src_dir" -B "$work/lib" -DBUILD_SHARED_LIBS=ON -DGOSYSCALL_EXEC_BSD="$bsd" \
    -DGOSYSCALL_BUILD_TESTS=OFF -DGOSYSCALL_BUILD_TOOLS=OFF -DGOSYSCALL_GENERATE=OFF >/dev/null
  cmake --build "$work/lib" -j"$jobs" >/dev/null
  cmake --install "$work/lib" --prefix "$work/prefix" >/dev/null
  bad=0
  for so in "$work"/prefix/lib*/libgosyscall*.so "$work"/prefix/lib/*/libgosyscall*.so; do
    [ -e "$so" ] || continue
    nm -DC --defined-only "$so" | cut -d' ' -f3- | grep -E '^(go::|typeinfo for go::|vtable for go::)' |
      sort -u >"$so.symbols"
    echo "$(basename "$so"): $(wc -l <"$so.symbols") symbols of go::"
    while IFS= read -r sym; do
      name=${sym%%(*}
      case $name in
        *::internal::*) ;;
        go::syscall::detail::*)
          leaf=${name##*::}
          leaf=${leaf%%\[*}
          grep -rqw -- "$leaf" "$work/prefix/include/gosyscall" && continue ;;
        go::syscall::[a-z]*) ;;
        *) continue ;;
      esac
      echo "exported, but not public API: $sym"
      bad=$((bad + 1))
    done <"$so.symbols"
  done
  [ "$bad" = 0 ] || exit 1
  # And a consumer links and runs against them.
  LD_LIBRARY_PATH=$(dirname "$(find "$work/prefix" -name 'libgosyscall.so' | head -n 1)") \
    build_consumer find_package "$work/consumer" "$bsd" -DCMAKE_PREFIX_PATH="$work/prefix"
  ;;
headers)
  prefix=$1 work=$2
  shift 2
  rm -rf "$work"
  mkdir -p "$work"
  inc="$prefix/include/gosyscall"
  defs=()
  [ "$(bsd_of "$prefix")" = ON ] && defs=(-DGOSYSCALL_EXEC_BSD)
  # syscall/arch_linux_<arch>.hpp are arch fragments: each needs what
  # arch.hpp declares first, so they are compiled through it (via
  # rawsyscall.hpp), for this machine's arch.
  headers=$(cd "$inc" && find syscall zerrors exec -name '*.hpp' ! -path 'syscall/arch_linux_*' | sort)
  if [ -d "$inc/exec/internal" ]; then echo "exec/internal/ was installed" >&2; exit 1; fi
  echo "arch fragments, compiled through their selector only:" \
       $(cd "$inc" && find syscall -name 'arch_linux_*.hpp' | sort)
  count=0 diagnostics=0 failed=0
  for cxx in "$@"; do
    command -v "$cxx" >/dev/null || { echo "skipped: $cxx is not installed"; exit 77; }
    for h in $headers; do
      # The header alone in a translation unit: it must include what it uses.
      # (Included, not compiled directly: a header as the main file draws
      # "#pragma once in main file".)
      if ! echo "#include \"$h\"" |
           "$cxx" -std=c++17 -Wall -Wextra -Werror -pedantic "${defs[@]}" -I"$inc" \
           -fsyntax-only -x c++ - 2>"$work/out"; then
        failed=$((failed + 1))
        echo "FAIL: $cxx $h"
        cat "$work/out"
      fi
      n=$(grep -cE '(warning|error):' "$work/out" || true)
      diagnostics=$((diagnostics + n))
      count=$((count + 1))
    done
  done
  echo "headers: $(echo "$headers" | wc -w) x compilers: $* = $count compiles;" \
       "warnings/errors under -Wall -Wextra -Werror -pedantic: $diagnostics"
  [ "$failed" = 0 ] && [ "$diagnostics" = 0 ]
  ;;
*)
  echo "run.sh: unknown mode $mode" >&2
  exit 2
  ;;
esac
