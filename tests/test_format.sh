#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_format SOURCE_DIR: every hand-written C and C++ file is laid out as
# .clang-format says (clang-format --dry-run --Werror). The generated
# headers (zerrors/) are left out: they follow their templates, and
# zerrors_drift checks them.
set -euo pipefail
cd "$1"
mapfile -d '' files < <(find . \( -path ./build -o -path ./.git -o -path './build-*' \
                                   -o -path ./zerrors \) -prune -o -type f \
                          \( -name '*.cpp' -o -name '*.hpp' -o -name '*.c' -o -name '*.h' \) -print0)
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" 2>/dev/null; then
    echo "not laid out as .clang-format says: $f (clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
echo "${#files[@]} files checked, $bad not formatted"
[ "${#files[@]}" -gt 150 ] && [ "$bad" -eq 0 ]
