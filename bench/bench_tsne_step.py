"""A t-SNE perplexity step on the comparison page's 412 test rows, against PCA in the same run.

    python bench/bench_tsne_step.py [--repeats 3]

A step is what the page computes when the perplexity slider moves to a value not cached:
t-SNE refit on the test rows plus the four scores of its map. Printed for the page's
settings (500 iterations, Barnes-Hut angle 0.8, init="pca", one thread) beside
scikit-learn's defaults for 1,000 iterations (angle 0.5), with each map's scores, so a
faster map that separated the classes worse would show. Also "Show all rows": the maps
that place new points are cut from one map of every row; only t-SNE is refit.
"""

from __future__ import annotations

import argparse
import logging
import os
import time

from common import seconds as median_seconds
from common import summary

logging.getLogger("streamlit").setLevel(logging.ERROR)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats

    import lib.projections as projections
    from lib.datasets import load_dataset
    from lib.projections import comparison_rows, map_of, map_scores
    from lib.training import DEEPER_LESSON, train

    def scored_map(data, rows, method, **params):  # the page's map of a method and its scores
        embedding = map_of(data, rows, method, **params)
        return embedding, map_scores(data, rows, embedding)

    data = load_dataset("banknotes")
    run = train(data, DEEPER_LESSON)
    rows = comparison_rows(len(data.y), run.test_index)
    print(f"{len(rows.show)} test rows; median of {repeats}; load average {os.getloadavg()[0]:.1f}\n")

    pca = median_seconds(lambda: scored_map(data, rows, "pca"), repeats)
    results = {}
    for label, angle, iterations in (
        ("page: 500 iterations, angle 0.8", 0.8, 500),
        ("sklearn's: 1,000, angle 0.5", 0.5, 1000),
    ):
        projections.TSNE_ANGLE = angle
        step = lambda p=30, i=iterations: scored_map(data, rows, "tsne", perplexity=p, max_iter=i)
        results[label] = (median_seconds(step, repeats), step()[1], step(5)[1], step(50)[1])
    projections.TSNE_ANGLE = 0.8
    print(f"PCA + scores: {pca:.3f} s")
    for label, (seconds, *scores) in results.items():
        print(f"t-SNE step, {label}: {seconds:.2f} s = {seconds / pca:.0f}x PCA")
        for perplexity, score in zip((30, 5, 50), scores):
            print(f"    perplexity {perplexity}: " + ", ".join(f"{k} {v:.3f}" for k, v in score.items()))
    page = results["page: 500 iterations, angle 0.8"][0]
    before = results["sklearn's: 1,000, angle 0.5"][0]
    summary(
        "compare: t-SNE perplexity step, 412 rows",
        page,
        "s",
        baseline=f"PCA of the same rows, {pca:.3f} s",
        ratio=page / pca,
        note=f"1,000 iterations: {before:.2f} s",
    )

    import ui.compare

    def all_rows_toggle():  # every map of the test rows cached, then "Show all rows"
        ui.compare._map.clear()
        ui.compare._placed.clear()
        for method in ("bottleneck", "pca", "lda", "autoencoder"):
            ui.compare.projection(data, run, method, False)
        started = time.perf_counter()
        for method in ("bottleneck", "pca", "lda", "autoencoder"):
            ui.compare.projection(data, run, method, True)
        return time.perf_counter() - started

    toggle = min(all_rows_toggle() for _ in range(repeats))
    every = comparison_rows(len(data.y), run.test_index, True)
    kwargs = {"bottleneck": {"run": run}}
    refit = median_seconds(  # what the page did before: refit every map on the rows shown
        lambda: [
            scored_map(data, every, m, **kwargs.get(m, {}))
            for m in ("bottleneck", "pca", "lda", "autoencoder")
        ],
        repeats,
    )
    print(f"'Show all rows' refitting every map on all rows (the page before): {refit:.2f} s")
    print(f"\n'Show all rows', test rows' maps cached, t-SNE aside: {toggle:.2f} s = {toggle / pca:.0f}x PCA")
    summary(
        "compare: show all rows, maps but t-SNE",
        toggle,
        "s",
        baseline=f"PCA of the same rows, {pca:.3f} s",
        ratio=toggle / pca,
        note=f"refit: {refit:.2f} s",
    )


if __name__ == "__main__":
    main()
