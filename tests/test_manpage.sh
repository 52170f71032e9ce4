#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_manpage GOSPAWN MANPAGE: gospawn's --help and its manual cannot drift.
#   1. The options listed by `gospawn --help` (short and long forms) are
#      exactly the ones docs/gospawn.1 has under OPTIONS.
#   2. gospawn's option parser knows every one of them (none is "unrecognized").
#   3. The page renders without a single warning (groff -ww), and with man -l.
set -euo pipefail
gospawn=$1 page=$2  # page: the roff source
status=0

# help_options: "-p --pdeathsig", "--setctty", ... one option a line, sorted.
# Option lines are indented by 8 spaces at most; continuation lines further.
help_options() {
  "$gospawn" --help |
    grep -E '^ {1,8}(-[A-Za-z], )?--[a-z]' |
    sed -E 's/^ +(-[A-Za-z]), (--[a-z-]+).*/\1 \2/; s/^ +(--[a-z-]+).*/\1/' | sort
}

# page_options: the same from the line after each .TP under .SH OPTIONS
# (roff escapes \- and \fB..\fR dropped first).
page_options() {
  awk '/^\.SH / {in_options = ($2 == "OPTIONS")}
       in_options && prev == ".TP" {print}
       {prev = $0}' "$page" |
    sed -E 's/\\-/-/g; s/\\f[BIRP]//g; s/"//g' |
    while read -r line; do
      long=$(grep -oE -- '--[a-z][a-z-]*' <<<"$line" | head -n1)
      short=$(grep -oE -- '(^| )-[A-Za-z]( |,|$)' <<<"$line" | head -n1 | tr -d ' ,')
      echo "${short:+$short }$long"
    done | sort
}

help=$(help_options)
from_page=$(page_options)
echo "--help options: $(echo "$help" | wc -l); gospawn.1 options: $(echo "$from_page" | wc -l)"
if [ "$help" != "$from_page" ]; then
  echo "FAIL: --help and gospawn.1 list different options (< --help, > gospawn.1):"
  diff <(echo "$help") <(echo "$from_page") | grep '^[<>]' || true
  status=1
fi

for opt in $(echo "$help" | grep -oE -- '--[a-z-]+'); do
  if "$gospawn" "$opt" 2>&1 </dev/null | grep -q "unrecognized option"; then
    echo "FAIL: --help lists $opt, which gospawn does not accept"
    status=1
  fi
done

warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1 || true)
if [ -n "$warnings" ]; then
  echo "FAIL: groff -man -ww warns:"
  echo "$warnings"
  status=1
fi
if ! out=$(MANWIDTH=80 man -l "$page" 2>&1 </dev/null) || ! grep -q 'EXAMPLES' <<<"$out"; then
  echo "FAIL: man -l $page:"
  echo "$out" | head -20
  status=1
fi
[ $status = 0 ] && echo "gospawn.1 and --help agree; groff -ww: no warning; man -l renders it"
exit $status
