# SPDX-License-Identifier: BSD-3-Clause
"""The spawn benchmark's driver (run it through tools/bench/run).

For every parent RSS at once it starts the peers' servers, each holding
that much resident memory in its own process (spawn_server for ForkExec, posix_spawn,
fork+execve and Boost.Process; spawn_server.go for Go os/exec;
spawn_server.py for Python subprocess), then runs interleaved rounds: in
every round each (peer, target, RSS) triple spawns and waits for BATCH
processes, in a fresh random order. It prints the median µs per spawn and the ratio
to posix_spawn, writes the table as Markdown, and plots µs per spawn
against RSS, one line per peer and target, with matplotlib.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

import plot

PEERS = ["forkexec", "posix_spawn", "fork_execve", "boost", "go", "python"]
LABELS = {
    "forkexec": "ForkExec (gosyscall)",
    "posix_spawn": "glibc posix_spawn",
    "fork_execve": "fork + execve",
    "boost": "Boost.Process v1",
    "go": "Go os/exec",
    "python": "Python subprocess",
}


class Server:
    """One spawn server process, holding rss_mib MiB."""

    def __init__(self, argv, rss_mib):
        self.proc = subprocess.Popen(argv + [str(rss_mib)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            sys.exit(f"bench: {argv[0]} did not start ({line!r})")

    def spawn(self, peer, target, n):
        self.proc.stdin.write(f"{peer} {target} {n}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            sys.exit(f"bench: the server for {peer} ended")
        return [float(x) for x in line.split()]

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True, help="spawn_server (C++)")
    ap.add_argument("--go-server", help="the built spawn_server.go, if Go is installed")
    ap.add_argument("--py-server", help="spawn_server.py")
    ap.add_argument("--no-boost", action="store_true")
    ap.add_argument("--targets", nargs="+", required=True)
    ap.add_argument("--rss", nargs="+", type=int, default=[16, 1024, 4096], help="MiB")
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--batch", type=int, default=5)
    ap.add_argument("--markdown", help="write the table here")
    ap.add_argument("--plot", help="write the PNG plot here")
    ap.add_argument("--json", help="write every median here, and the sample counts")
    ap.add_argument("--one-rss-at-a-time", action="store_true",
                    help="run the RSS levels one after another (less memory, not interleaved)")
    a = ap.parse_args()

    peers = [p for p in PEERS if not (p == "boost" and a.no_boost)
             and not (p == "go" and not a.go_server) and not (p == "python" and not a.py_server)]
    med = {}  # (peer, target, rss) -> median µs
    # Every RSS level's servers at once, so that the rounds interleave the
    # levels too and a change in machine load falls on all of them alike
    # (the 4 GiB / 16 MiB ratio is then measured like the others); that
    # holds about 3 x the sum of the levels resident. --one-rss-at-a-time
    # runs the levels one after another, for a machine with less memory.
    groups = [[r] for r in a.rss] if a.one_rss_at_a_time else [a.rss]
    for levels in groups:
        servers = {}
        for rss in levels:
            servers[("cpp", rss)] = Server([a.server], rss)
            if a.go_server:
                servers[("go", rss)] = Server([a.go_server], rss)
            if a.py_server:
                servers[("python", rss)] = Server([sys.executable, a.py_server], rss)
        times = {(p, t, r): [] for p in peers for t in a.targets for r in levels}
        t0 = time.time()
        for _ in range(a.rounds):
            order = list(times)
            random.shuffle(order)
            for peer, target, rss in order:
                s = servers.get((peer, rss), servers[("cpp", rss)])
                times[(peer, target, rss)] += s.spawn(peer, target, a.batch)
        for s in servers.values():
            s.close()
        for key, v in times.items():
            med[key] = statistics.median(v)
        print(f"bench: RSS {levels} MiB done in {time.time() - t0:.0f} s", file=sys.stderr)

    rows = []
    for target in a.targets:
        for peer in peers:
            cells = []
            for rss in a.rss:
                m = med[(peer, target, rss)]
                cells.append(f"{m:,.0f} ({m / med[('posix_spawn', target, rss)]:.3f})")
            rows.append([os.path.basename(target), LABELS[peer]] + cells)
    header = ["target", "peer"] + [f"{r} MiB: µs (÷ posix_spawn)" for r in a.rss]
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    for target in a.targets:
        lo, hi = med[("forkexec", target, a.rss[0])], med[("forkexec", target, a.rss[-1])]
        print(f"ForkExec {os.path.basename(target)}: {a.rss[-1]} MiB / {a.rss[0]} MiB = {hi / lo:.3f}")
        if "go" in peers:
            for rss in a.rss:
                r = med[("forkexec", target, rss)] / med[("go", target, rss)]
                print(f"ForkExec / Go os/exec, {os.path.basename(target)}, {rss} MiB = {r:.3f}")

    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rounds": a.rounds, "batch": a.batch, "medians_us": [
                {"peer": p, "target": os.path.basename(t), "rss_mib": r, "median": m}
                for (p, t, r), m in med.items()]},  # the program's name: no path of this machine
                f, indent=1)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("| " + " | ".join(header) + " |\n")
            f.write("|" + "---|" * len(header) + "\n")
            for r in rows:
                f.write("| " + " | ".join(r) + " |\n")
    if a.plot:
        plot.panels(a.plot, a.rss, [f"{r} MiB" for r in a.rss], "parent RSS",
                    "µs per spawn + wait (median)",
                    [f"target: {os.path.basename(t)}" for t in a.targets],
                    lambda i: [(LABELS[p], [med[(p, a.targets[i], r)] for r in a.rss])
                               for p in peers],
                    logy=True)

if __name__ == "__main__":
    main()
