"""The re-initialization gallery: time to train, align and draw the 6 default runs.

Goal: the gallery of the 6 default runs is on screen within 3 s of opening its page.
Server side it is timed in-process (one single training as the baseline, in the same
run); in the browser from navigating to /gallery until the chart is drawn, in a fresh
server whose first page was the data page (imports done, no run cached).

    python bench/bench_gallery.py [--no-browser]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from common import print_table, summary

from lib.charts.gallery import align_runs, gallery_parts
from lib.datasets import load_dataset
from lib.training import DEEPER_LESSON, train

GOAL = 3.0


def gallery_seconds(dataset, first_seed: int) -> float:
    started = time.perf_counter()
    runs = [train(dataset, replace(DEEPER_LESSON, seed=seed)) for seed in range(first_seed, first_seed + 6)]
    gallery_parts(align_runs(runs), runs[0].y_test, dataset.class_names).spec()  # as the page draws it
    return time.perf_counter() - started


def server_side() -> None:
    dataset = load_dataset("banknotes")
    started = time.perf_counter()
    train(dataset, DEEPER_LESSON)
    first = time.perf_counter() - started  # includes tracing the architecture once
    started = time.perf_counter()
    train(dataset, replace(DEEPER_LESSON, seed=99))
    single = time.perf_counter() - started
    rows = [(f"6 runs, seeds {s}-{s + 5}", f"{gallery_seconds(dataset, s):.2f}") for s in (1, 101)]
    rows.insert(0, ("one run, first in process (trace)", f"{first:.2f}"))
    rows.insert(1, ("one run, traced", f"{single:.2f}"))
    print_table("Server side, in process (seconds)", rows, ("work", "seconds"))


def in_browser() -> None:
    from testkit.chromium import chromium, seconds_to_chart
    from testkit.server import server

    with server() as (_, url), chromium() as browser:
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        seconds_to_chart(tab, url)  # the data page: imports and data loaded
        rows = []
        for what, query in (
            ("first visit (trains 6)", "?epochs=25"),
            ("other seeds (trains 6)", "?epochs=25&seed=200"),
            ("again (cached)", "?epochs=25&seed=1"),
        ):
            took = seconds_to_chart(tab, f"{url}/gallery{query}", "Test accuracy over the seeds")
            rows.append((what, f"{took:.2f}", f"{took / GOAL:.2f}"))
    print_table(
        "In Chromium: navigation to the gallery drawn (seconds)", rows, ("visit", "seconds", "/ 3 s goal")
    )
    slowest = max(float(r[1]) for r in rows)
    cached = float(rows[-1][1])
    summary(
        "gallery of 6 runs, drawn in Chromium",
        slowest,
        "s",
        goal=f"≤ {GOAL:.0f} s",
        met=slowest <= GOAL,
        baseline="the same gallery again (cached)",
        ratio=slowest / cached,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    server_side()
    if not args.no_browser:
        in_browser()


if __name__ == "__main__":
    main()
