"""Resident memory while training many different configs one after another in one process.

Plain Keras keeps ~3.6 MB per trained model for good; the engine's bounded trace cache
should keep growth after a warm-up of 20 trainings under 100 MB over 200 trainings.

    python bench/bench_memory.py [--count 200]
"""

from __future__ import annotations

import argparse
import time

import psutil
from common import print_table, summary

from lib.datasets import load_dataset
from lib.training import train
from testkit.workloads import varied_configs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    count = parser.parse_args().count
    dataset = load_dataset("banknotes")
    process = psutil.Process()
    mib = lambda: process.memory_info().rss / 2**20
    before = mib()
    configs = varied_configs(count)
    rows, started = [], time.perf_counter()
    for number, config in enumerate(configs, start=1):
        train(dataset, config)
        if number == 20:
            warm = mib()
        if number in (1, 20, 50, 100, 150, 200) or number == count:
            rows.append((number, f"{mib():.0f}", f"{time.perf_counter() - started:.1f}"))
    distinct = len({c.architecture(4, 2) for c in configs})
    print_table(
        f"{count} trainings, {distinct} distinct architectures (RSS before: {before:.0f} MiB)",
        rows,
        ("trainings", "RSS MiB", "seconds"),
    )
    print(f"\ngrowth after the first 20 trainings: {mib() - warm:.0f} MiB (goal: < 100 MiB)")
    growth = mib() - warm
    summary(
        f"memory: {count} trainings, {distinct} architectures, growth after the first 20",
        growth,
        "MiB",
        goal="< 100 MiB",
        met=growth < 100,
        baseline=f"RSS after the first 20 ({warm:.0f} MiB)",
        ratio=growth / warm,
    )


if __name__ == "__main__":
    main()
