// SPDX-License-Identifier: BSD-3-Clause
// check: how the consumer programs report, one line per check ("ok: ..."
// or "FAIL: ..."), and how many failed. No exceptions: the programs also
// build with -fno-exceptions.
#pragma once

#include <cstdio>

inline int failures = 0;

inline void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) failures++;
}
