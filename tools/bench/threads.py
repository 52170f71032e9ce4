# SPDX-License-Identifier: BSD-3-Clause
"""The spawn throughput benchmark across threads (run it through tools/bench/run --only threads).

How many spawn + wait per second a whole process does when T threads spawn
at once, for T in --threads, by these peers:
  forkexec      go::syscall::ForkExec + Wait4 (thread_bench)
  forkexec_ppl  the same with Pdeathsig = SIGKILL and PdeathsigProcessLifetime
  posix_spawn   glibc's posix_spawn + waitpid (thread_bench)
  go            Go's os/exec, exec.Command(target).Run() from T goroutines (thread_bench.go)
Each run is a fresh process (thread_bench PEER TARGET T SPAWNS_PER_THREAD)
doing about --total spawns in all, split over its T threads; it prints the
wall time from the start barrier's release to the last thread's end.

For every target and T, --rounds rounds run every peer once each, in an
order rotated by one peer a round (round r starts at peer r mod npeers), so
that load that comes and goes on the machine falls on all peers alike and
none is always first. Reports per (target, T, peer) the median spawns/s,
and the ratios forkexec/posix_spawn, forkexec/go and forkexec_ppl/forkexec
of spawns/s (above 1: the first is faster), each the median of the
per-round ratios: a round's peers run next to each other, under that
round's load. Writes the tables as Markdown, every sample as JSON, and
plots spawns/s against threads with matplotlib.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

import plot

PEERS = ["forkexec", "forkexec_ppl", "posix_spawn", "go"]
LABELS = {
    "forkexec": "ForkExec (gosyscall)",
    "forkexec_ppl": "ForkExec, Pdeathsig process lifetime",
    "posix_spawn": "glibc posix_spawn",
    "go": "Go os/exec",
}
# (numerator, denominator), both spawns/s: shown when both peers ran.
RATIOS = [("forkexec", "posix_spawn"), ("forkexec", "go"), ("forkexec_ppl", "forkexec")]


def log(msg):
    print(f"threads: {msg}", file=sys.stderr, flush=True)


def run_once(argv):
    """One thread_bench run; its wall time in seconds. Ends the benchmark on a failure."""
    # stderr is left to the terminal: a failing run's message shows as is.
    p = subprocess.run(argv, stdout=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"threads: {' '.join(argv)} failed (exit status {p.returncode})")
    try:
        wall = float(p.stdout.strip())
    except ValueError:
        sys.exit(f"threads: {' '.join(argv)} printed {p.stdout.strip()!r}, not a time")
    if wall <= 0:
        sys.exit(f"threads: {' '.join(argv)} took {wall} s")
    return wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True, help="thread_bench (C++)")
    ap.add_argument("--go-server", help="the built thread_bench.go (absent: no go peer)")
    ap.add_argument("--targets", nargs="+", required=True)
    ap.add_argument("--threads", nargs="+", type=int, default=[1, 2, 4, 8, 16])
    ap.add_argument("--peers", nargs="+", choices=PEERS, default=PEERS)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--total", type=int, default=2000, help="spawns per run, over all threads")
    ap.add_argument("--markdown", help="write the tables here")
    ap.add_argument("--plot", help="write the PNG plot here")
    ap.add_argument("--json", help="write every sample here, and the medians")
    a = ap.parse_args()
    if a.rounds < 1 or a.total < 1 or min(a.threads) < 1:
        ap.error("--rounds, --total and --threads must be at least 1")

    peers = [p for p in PEERS if p in a.peers]  # the order of PEERS, whatever --peers's
    if "go" in peers and not a.go_server:
        log("skipping go: no --go-server (Go not installed?)")
        peers.remove("go")
    if "go" in peers and not os.access(a.go_server, os.X_OK):
        log(f"skipping go: {a.go_server} is not an executable")
        peers.remove("go")
    targets = []
    for t in a.targets:
        if os.access(t, os.X_OK):
            targets.append(t)
        else:
            why = " (it is built on amd64 only)" if os.path.basename(t) == "exit0" else ""
            log(f"skipping target {t}: not an executable here{why}")
    if not peers or not targets:
        sys.exit("threads: no peer or no target left to run")

    def argv(peer, target, threads, per):
        exe = a.go_server if peer == "go" else a.server
        return [exe, peer, target, str(threads), str(per)]

    samples = []  # every run
    rate = {}  # (target, T, peer) -> [spawns/s, one per round]
    for target in targets:
        name = os.path.basename(target)  # no path of this machine in the output
        for threads in a.threads:
            # A whole number of spawns per thread, about --total in all.
            per = max(1, round(a.total / threads))
            spawns = per * threads
            for r in range(a.rounds):
                log(f"{name}, {threads} threads x {per} spawns, round {r + 1}/{a.rounds}")
                k = r % len(peers)
                for peer in peers[k:] + peers[:k]:
                    wall = run_once(argv(peer, target, threads, per))
                    rate.setdefault((name, threads, peer), []).append(spawns / wall)
                    samples.append({"target": name, "threads": threads, "round": r,
                                    "peer": peer, "spawns": spawns, "wall_s": wall,
                                    "spawns_per_s": spawns / wall})

    names = [os.path.basename(t) for t in targets]
    med = {key: statistics.median(v) for key, v in rate.items()}
    ratios = [(n, d) for n, d in RATIOS if n in peers and d in peers]
    # The median of the per-round ratios (rate[...][r] is round r's).
    ratio_med = {(name, threads, n, d): statistics.median(
        x / y for x, y in zip(rate[(name, threads, n)], rate[(name, threads, d)]))
        for name in names for threads in a.threads for n, d in ratios}

    header = ["threads"] + [f"{LABELS[p]}: spawns/s" for p in peers] + [
        f"{n} / {d}" for n, d in ratios]
    tables = {}
    for name in names:
        rows = []
        for threads in a.threads:
            rows.append([str(threads)] + [f"{med[(name, threads, p)]:,.0f}" for p in peers] + [
                f"{ratio_med[(name, threads, n, d)]:.3f}" for n, d in ratios])
        tables[name] = rows
    intro = (f"{a.rounds} rounds, about {a.total} spawns per run, {os.cpu_count()} CPUs; "
             "medians; ratios of spawns/s (above 1: the first is faster), "
             "the median of the per-round ratios")
    print(intro)
    for name in names:
        print(f"target: {name}")
        widths = [max(len(r[i]) for r in tables[name] + [header]) for i in range(len(header))]
        for r in [header] + tables[name]:
            print("  ".join(c.rjust(w) for c, w in zip(r, widths)))

    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rounds": a.rounds, "total": a.total, "threads": a.threads,
                       "peers": peers, "targets": names, "cpus": os.cpu_count(),
                       "samples": samples,
                       "medians_spawns_per_s": [
                           {"target": t, "threads": n, "peer": p, "median": m}
                           for (t, n, p), m in med.items()],
                       "ratios": [
                           {"target": t, "threads": n, "ratio": f"{p} / {q}", "median": m}
                           for (t, n, p, q), m in ratio_med.items()]},
                      f, indent=1)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(intro + ".\n")
            for name in names:
                f.write(f"\n### target: {name}\n\n")
                f.write("| " + " | ".join(header) + " |\n")
                f.write("|" + "---:|" * len(header) + "\n")
                for r in tables[name]:
                    f.write("| " + " | ".join(r) + " |\n")
    if a.plot:
        plot.panels(a.plot, a.threads, [str(t) for t in a.threads], "threads spawning at once",
                    "spawns + waits per second (median)", [f"target: {n}" for n in names],
                    lambda i: [(LABELS[p], [med[(names[i], t, p)] for t in a.threads])
                               for p in peers])

if __name__ == "__main__":
    main()
