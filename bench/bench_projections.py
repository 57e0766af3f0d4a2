"""Time each 2-D map on the 1,372 banknote rows, against PCA in the same run.

    python bench/bench_projections.py [--repeats 3]

Prints, per method, the median time of `embed` on all rows (for the network: its
training plus the forward pass), its ratio to PCA, t-SNE with OpenMP's default
threads against one thread, on the CPU as found and with one core kept busy elsewhere
(why `lib.projections` uses one), the comparison
page's cache (a cold and a warm t-SNE with its scores), and a warm rerun of the
whole page in AppTest (the server's share of "updates within 1 s").
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time

from common import seconds as median_seconds  # median of `repeats` runs
from common import summary

logging.getLogger("streamlit").setLevel(logging.ERROR)  # no "missing ScriptRunContext" noise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats

    from sklearn.manifold import TSNE
    from sklearn.preprocessing import StandardScaler

    from lib.datasets import load_dataset
    from lib.projections import DEFAULT_METHODS, embed
    from lib.training import DEEPER_LESSON, train

    data = load_dataset("banknotes")
    X, y = data.X, data.y
    print(
        f"banknotes: {len(y):,} rows × {X.shape[1]} features; median of {repeats} runs; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}\n"
    )
    train(data, DEEPER_LESSON)  # trace the engine once: later runs time the training alone
    embed("autoencoder", X, epochs=1)

    times = {}
    for method in DEFAULT_METHODS:
        if method == "bottleneck":
            task = lambda: embed("bottleneck", X, run=train(data, DEEPER_LESSON))
        else:
            task = lambda m=method: embed(m, X, y)
        times[method] = median_seconds(task, repeats)
    print(f"{'method':<12} {'seconds':>9} {'× PCA':>10}")
    for method, seconds in times.items():
        print(f"{method:<12} {seconds:>9.3f} {seconds / times['pca']:>10.0f}")
        summary(f"projection: {method}", seconds, "s", baseline="PCA", ratio=seconds / times["pca"])

    from threadpoolctl import threadpool_limits

    features = StandardScaler().fit_transform(X)
    tsne = lambda: TSNE(init="pca", random_state=0).fit_transform(features)
    default_threads = median_seconds(tsne, repeats)

    def one_thread():
        with threadpool_limits(limits=1):
            tsne()

    single = median_seconds(one_thread, repeats)
    print(f"\nt-SNE, CPU as found: default threads {default_threads:.2f} s, one thread {single:.2f} s")
    # Another session (or CI job) keeping one core busy, as on a shared server.
    busy = subprocess.Popen(
        [sys.executable, "-c", "import time\nend = time.time() + 300\nwhile time.time() < end: pass"]
    )
    try:
        busy_default, busy_single = median_seconds(tsne, repeats), median_seconds(one_thread, repeats)
    finally:
        busy.kill()
        busy.wait()
    print(
        f"t-SNE, one core busy elsewhere: default threads {busy_default:.2f} s, "
        f"one thread {busy_single:.2f} s (default / one thread: {busy_default / busy_single:.1f}×)"
    )

    import ui.compare

    run = train(data, DEEPER_LESSON)
    started = time.perf_counter()
    ui.compare.projection_scores(data, run, "tsne", True, 123, perplexity=30, max_iter=1000)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    ui.compare.projection_scores(data, run, "tsne", True, 123, perplexity=30, max_iter=1000)
    warm = time.perf_counter() - started
    print(
        f"page cache, t-SNE + scores on all rows: cold {cold:.2f} s, warm {warm * 1000:.1f} ms "
        f"({cold / warm:,.0f}× faster)"
    )

    from testkit.apptest import app_test

    at = app_test("app_pages/compare.py")
    slider = at.slider(key="perplexity")
    slider.set_value(31).run()
    slider.set_value(30).run()  # every map of both values is cached now
    rerun = (
        median_seconds(
            lambda: (
                at.slider(key="perplexity").set_value(31).run()
                and at.slider(key="perplexity").set_value(30).run()
            ),
            repeats,
        )
        / 2
    )
    print(f"warm rerun of the whole page (AppTest, perplexity moved to a cached value): {rerun:.2f} s")


if __name__ == "__main__":
    main()
