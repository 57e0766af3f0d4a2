"""Every benchmark of the project, each in its own process, gathered in one JSON file and one table.

Each bench script prints its details and one `SUMMARY<tab>{json}` line per figure (name, value,
unit, goal, baseline, ratio: bench/common.summary); this collects them into
artifacts/bench/summary.json, keeps each script's full output beside it, and prints the README's
table from the JSON. Run on an otherwise idle machine: every ratio is against a baseline measured
in the same script run.

    python bench/run_all.py [--only training,projections]   # run, write the JSON, print the table
    python bench/run_all.py --table-only                    # reprint the table from the JSON
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DETAILS = HERE.parent / "artifacts" / "bench"
SUMMARY_JSON = DETAILS / "summary.json"
PREFIX = "SUMMARY\t"  # bench/common.SUMMARY (this script imports nothing of the benchmarks)
ORDER = (
    "training",
    "memory",
    "gc",
    "gradient_descent",
    "projections",
    "scale",
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


def run(script: Path) -> dict:
    """One bench script in its own process: its figures, its time and, if it failed, why."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=1800, cwd=HERE.parent
    )
    DETAILS.mkdir(parents=True, exist_ok=True)
    (DETAILS / f"{script.stem}.txt").write_text(result.stdout + result.stderr)
    figures = [
        json.loads(line.removeprefix(PREFIX))
        for line in result.stdout.splitlines()
        if line.startswith(PREFIX)
    ]
    failure = "" if result.returncode == 0 else (result.stderr.strip().splitlines() or ["?"])[-1]
    return {
        "script": script.name,
        "seconds": round(time.perf_counter() - started, 1),
        "failure": failure,
        "figures": figures,
    }


def _number(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"


def _ratio(ratio: float) -> str:
    """×3.2 for more than the baseline, 1/40 for less (a tiny ratio stays readable)."""
    if ratio >= 1:
        return f"×{ratio:.3g}"
    return f"1/{1 / ratio:,.0f}" if ratio < 0.01 else f"1/{1 / ratio:.3g}"


def table(summary: dict) -> str:
    """The README's table: one row per figure, Markdown."""
    lines = [
        "| benchmark | figure | vs baseline | goal |",
        "|---|---|---|---|",
    ]
    for bench in summary["benchmarks"]:
        if not bench["figures"]:
            why = bench["failure"] or "printed no summary"
            lines.append(f"| {bench['script']} | no figures ({why}) | | |")
        for f in bench["figures"]:
            figure = ("not measured" if f["value"] is None else f"{_number(f['value'])} {f['unit']}") + (
                f" ({f['note']})" if f.get("note") else ""
            )
            versus = f"{_ratio(f['ratio'])} {f['baseline']}" if f.get("ratio") else ""
            goal = f["goal"] or ""
            if goal and f.get("met") is not None:
                goal += " ✓" if f["met"] else " ✗ not met"
            lines.append(f"| {f['name']} | {figure} | {versus} | {goal} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated names, e.g. training,load")
    parser.add_argument(
        "--table-only", action="store_true", help=f"reprint the table from {SUMMARY_JSON.name}"
    )
    args = parser.parse_args()
    if args.table_only:
        print(table(json.loads(SUMMARY_JSON.read_text())))
        return
    only = {n for n in args.only.split(",") if n} or None
    benchmarks = []
    for script in scripts(only):
        bench = run(script)
        print(
            f"{script.name}: {bench['seconds']:.0f} s"
            + (f", FAILED: {bench['failure']}" if bench["failure"] else ""),
            file=sys.stderr,
            flush=True,
        )
        benchmarks.append(bench)
    if only and SUMMARY_JSON.exists():  # the other scripts keep their last figures
        ran = {b["script"] for b in benchmarks}
        kept = [b for b in json.loads(SUMMARY_JSON.read_text())["benchmarks"] if b["script"] not in ran]
        order = [s.name for s in scripts(None)]
        benchmarks = sorted(
            kept + benchmarks, key=lambda b: order.index(b["script"]) if b["script"] in order else len(order)
        )
    summary = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average": round(os.getloadavg()[0], 1),
        "benchmarks": benchmarks,
    }
    DETAILS.mkdir(parents=True, exist_ok=True)
    SUMMARY_JSON.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    print(table(summary))


if __name__ == "__main__":
    main()
