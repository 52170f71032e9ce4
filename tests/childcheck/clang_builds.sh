#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The child path check (check_child_calls.py) for what clang builds: the
# fuzzer that tools/fuzz just linked (-fsanitize=fuzzer,address,undefined),
# and the child side of both backends compiled by clang the five ways
# tests/childcheck/CMakeLists.txt compiles it with each ctest build's own
# compiler, which is GCC in every build of tools/test (clang at -O0 makes
# calls GCC does not, e.g. memset to zero an object). tools/fuzz runs it.
#
#   tests/childcheck/clang_builds.sh FUZZER OUTDIR
#
# Objects go to OUTDIR; so does child_calls.report, which tools/test lists.
set -euo pipefail
cd "$(dirname "$0")/../.."
fuzzer=$1 out=$2
mkdir -p "$out"

args=(--build "amd64/linux fuzzer (tools/fuzz)" --flags "clang++ -O1 -fsanitize=fuzzer,address,undefined"
      --expect childMain "$fuzzer")
# VARIANT|OPTIONS, as child_variant() in CMakeLists.txt.
variants=("-O0 static|-O0" "-O0 shared|-O0 -fPIC" "-O2 static|-O2" "-O2 shared|-O2 -fPIC"
          "-O2 shared hardened|-O2 -fPIC -fstack-protector-all -D_FORTIFY_SOURCE=2")
for backend in linux bsd; do
  # The child functions' files and entries, as the top CMakeLists.txt and
  # tests/childcheck/CMakeLists.txt choose them per backend.
  if [ $backend = bsd ]; then
    source=syscall/exec_bsd.cpp defs=-DGOSYSCALL_EXEC_BSD entry=forkAndExecInChild1
  else
    source=syscall/exec_linux.cpp defs= entry=childMain
  fi
  for v in "${variants[@]}"; do
    name=${v%%|*} opts=${v#*|}
    obj="$out/$backend${name// /_}.o"
    # shellcheck disable=SC2086  # opts and defs are lists of options
    clang++ -std=c++17 $opts $defs -I. -c "$source" -o "$obj"
    args+=(--build "amd64/$backend clang $name" --flags "clang++ $opts" --expect "$entry" "$obj")
  done
done
# The canary: a call the check must see in clang's code (canary.cpp).
clang++ -O2 -c tests/childcheck/canary.cpp -o "$out/canary.o"
args+=(--build "amd64 clang canary" --flags "clang++ -O2" --canary gosyscall_canary_callee "$out/canary.o")
/usr/bin/python3 tests/childcheck/check_child_calls.py --report "$out/child_calls.report" "${args[@]}"
