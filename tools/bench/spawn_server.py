# SPDX-License-Identifier: BSD-3-Clause
"""spawn_server.py: the Python subprocess peer of the spawn benchmark
(tools/bench/run); the same protocol as spawn_server.cpp, PEER "python"."""
import subprocess
import sys
import time

mib = int(sys.argv[1])
hold = bytearray(mib << 20)          # zero pages: not resident yet
hold[::4096] = b"\1" * len(range(0, len(hold), 4096))  # one write per page
print("ready", flush=True)
for line in sys.stdin:
    _, target, n = line.split()
    times = []
    for _ in range(int(n)):
        t0 = time.perf_counter_ns()
        subprocess.run([target], check=True)
        times.append((time.perf_counter_ns() - t0) / 1e3)
    print(" ".join(f"{t:.1f}" for t in times), flush=True)
