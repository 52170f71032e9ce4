# SPDX-License-Identifier: BSD-3-Clause
# Shared by the scripts in tools/ (sourced, from the checkout's top).
#
# quiet_build DIR LOG [CMAKE-OPTION...] [-- BUILD-OPTION...]: configures DIR
# with the options and builds it with the build options (e.g. -j2 --target
# probe), both into LOG; on failure shows LOG's last 40 lines and returns 1.
quiet_build() {
  local dir=$1 log=$2 cfg=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do cfg+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  mkdir -p "$dir" "$(dirname "$log")"
  if ! { cmake -S . -B "$dir" "${cfg[@]}" && cmake --build "$dir" "$@"; } >"$log" 2>&1; then
    tail -n 40 "$log"
    return 1
  fi
}
