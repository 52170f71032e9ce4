# SPDX-License-Identifier: BSD-3-Clause
"""One plot for the benchmark drivers (bench.py, threads.py): a panel per
target, a line per peer, a log2 x axis. matplotlib is imported here alone,
so that a driver runs without it when no plot is asked for."""


def panels(path, xs, xticklabels, xlabel, ylabel, titles, series, logy=False):
    """Writes a PNG to path. titles: one per panel. series(i): the panel's
    lines as (label, [y for each x]) pairs."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(titles), figsize=(6 * len(titles), 4.5), squeeze=False)
    for i, (ax, title) in enumerate(zip(axes[0], titles)):
        for label, ys in series(i):
            ax.plot(xs, ys, marker="o", label=label)
        ax.set_xscale("log", base=2)
        if logy:
            ax.set_yscale("log")
        else:
            ax.set_ylim(bottom=0)
        ax.set_xticks(xs)
        ax.set_xticklabels(xticklabels)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
