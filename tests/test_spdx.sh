#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_spdx SOURCE_DIR: every source file of the project names its license
# (LICENSE: BSD-3-Clause) in an SPDX-License-Identifier line among its first
# five lines: C and C++, Python, Go, shell, CMake, the templates, pkg-config
# and man page sources, and the generated headers (their templates carry it).
set -euo pipefail
cd "$1"
missing=0 checked=0
while IFS= read -r -d '' f; do
  checked=$((checked + 1))
  if ! head -n 5 "$f" | grep -q 'SPDX-License-Identifier: BSD-3-Clause'; then
    echo "no SPDX line: $f"
    missing=$((missing + 1))
  fi
done < <(find . \( -path ./build -o -path ./.git -o -path './build-*' \) -prune -o -type f \
           \( -name '*.cpp' -o -name '*.hpp' -o -name '*.c' -o -name '*.h' -o -name '*.py' \
              -o -name '*.go' -o -name '*.sh' -o -name '*.cmake' -o -name CMakeLists.txt \
              -o -name '*.in' -o -name '*.j2' -o -name '*.1' -o -path './tools/*' -perm -u+x \
              -o -path ./.ci/run \) -print0)
echo "$checked files checked, $missing without an SPDX line"
[ "$checked" -gt 200 ] && [ "$missing" -eq 0 ]
