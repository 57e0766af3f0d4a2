"""Every benchmark of the project, each in its own process, summed up in one table.

Each bench script prints its details and `SUMMARY<tab>name<tab>value` lines; this
collects those lines, and keeps each script's full output in artifacts/bench/. Run on an
otherwise idle machine: every figure is a ratio or a time against a baseline measured in
the same script run.

    python bench/run_all.py [--only training,projections] > perf.txt
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DETAILS = HERE.parent / "artifacts" / "bench"
ORDER = (
    "training",
    "memory",
    "gc",
    "gradient_descent",
    "projections",
    "scale",
    "charts",
    "inner_layer",
    "gallery",
    "cold_start",
    "sessions_memory",
    "load",
)


def scripts(only: set[str] | None) -> list[Path]:
    found = {p.stem.removeprefix("bench_"): p for p in HERE.glob("bench_*.py")}
    names = [n for n in ORDER if n in found] + sorted(set(found) - set(ORDER))
    return [found[n] for n in names if not only or n in only]


def run(script: Path) -> tuple[list[tuple[str, str]], float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=1800, cwd=HERE.parent
    )
    DETAILS.mkdir(parents=True, exist_ok=True)
    (DETAILS / f"{script.stem}.txt").write_text(result.stdout + result.stderr)
    rows = [
        tuple(line.split("\t")[1:3]) for line in result.stdout.splitlines() if line.startswith("SUMMARY\t")
    ]
    failure = "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["?"])[-1]
    return rows, time.perf_counter() - started, failure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="comma-separated names, e.g. training,load")
    only = {n for n in parser.parse_args().only.split(",") if n} or None
    table = []
    for script in scripts(only):
        rows, took, failure = run(script)
        print(
            f"{script.name}: {took:.0f} s" + (f", FAILED: {failure}" if failure else ""),
            file=sys.stderr,
            flush=True,
        )
        table += rows or [(script.stem, f"no figures ({failure or 'printed no SUMMARY'})")]
    width = max(len(name) for name, _ in table)
    print(f"{'benchmark'.ljust(width)}  figure")
    print(f"{'-' * width}  ------")
    for name, value in table:
        print(f"{name.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
