"""Scale benchmark: read and train on 100,000 rows × 20 features (generated, seeded).

Prints the time of `read_csv` on the data as a CSV file and of `train` for 20 epochs at
batch 128 with the network the app preloads for such data, each beside a 1,000-row
baseline run in the same process, so the ratio is comparable between machines.

    python bench/bench_scale.py
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd
from common import summary

from lib.csv_reader import read_csv
from lib.presets import default_config_for
from lib.training import network_name, train

ROWS, FEATURES, CLASSES, BASELINE_ROWS = 100_000, 20, 3, 1_000
EPOCHS, BATCH = 20, 128


def generated_csv(rows: int, seed: int = 0) -> bytes:
    """Three Gaussian classes whose means differ in a few of the 20 features."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, CLASSES, rows)
    X = rng.normal(size=(rows, FEATURES)) + np.eye(CLASSES, FEATURES)[y] * 2.0
    frame = pd.DataFrame(X.round(5), columns=[f"x{i}" for i in range(FEATURES)])
    frame["class"] = np.array(["red", "green", "blue"])[y]
    return frame.to_csv(index=False).encode()


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main() -> None:
    small_bytes, big_bytes = generated_csv(BASELINE_ROWS), generated_csv(ROWS)
    small, small_read = timed(read_csv, small_bytes)
    big, big_read = timed(read_csv, big_bytes)
    config = replace(default_config_for(big), epochs=EPOCHS, batch_size=BATCH)
    train(small, replace(config, epochs=1))  # trace the engine once, outside both timings
    small_run, small_train = timed(train, small, config)
    big_run, big_train = timed(train, big, config)
    sizes = network_name(big_run.layer_sizes)
    print(f"network {sizes}, {EPOCHS} epochs, batch {BATCH}")
    print(
        f"read_csv {len(big_bytes) / 1e6:.1f} MB, {ROWS:,} rows: {big_read:.2f} s "
        f"(baseline {BASELINE_ROWS:,} rows: {small_read:.3f} s; ratio {big_read / small_read:.0f}×)"
    )
    print(
        f"train    {ROWS:,} rows × {FEATURES} features: {big_train:.1f} s, "
        f"{big_train / EPOCHS:.2f} s per epoch, test accuracy {big_run.test_accuracy:.3f}"
    )
    print(
        f"         baseline {BASELINE_ROWS:,} rows: {small_train:.2f} s; "
        f"ratio {big_train / small_train:.0f}× for {ROWS // BASELINE_ROWS}× the rows"
    )
    summary(
        f"scale: train {ROWS:,} × {FEATURES}, {EPOCHS} epochs",
        big_train,
        "s",
        baseline=f"the {BASELINE_ROWS:,}-row run",
        ratio=big_train / small_train,
    )
    summary(
        f"scale: read_csv {len(big_bytes) / 1e6:.0f} MB",
        big_read,
        "s",
        baseline=f"{BASELINE_ROWS:,} rows",
        ratio=big_read / small_read,
    )


if __name__ == "__main__":
    main()
