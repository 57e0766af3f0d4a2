"""What every benchmark shares: import paths, the shared banknote data, a median timer, a table."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # conftest's server and Chromium helpers
os.environ.setdefault("BANKNOTES_CSV", str(ROOT.parent / "shared" / "data" / "banknotes.csv"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def seconds(task, repeat: int = 3) -> float:
    """Median wall time of `task()` over `repeat` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        task()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def summary(name: str, value: str) -> None:
    """One line for bench/run_all.py's table: `SUMMARY<tab>name<tab>value`."""
    print(f"SUMMARY\t{name}\t{value}")


def print_table(title: str, rows: list[tuple], headers: tuple) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    print(f"\n{title}")
    for row in (headers, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))
