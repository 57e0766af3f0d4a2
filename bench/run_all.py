"""Every benchmark of the project, each in its own process, gathered in one JSON file and one table.

Each bench script prints its details and one `SUMMARY<tab>{json}` line per figure (name, value,
unit, goal, baseline, ratio: bench/common.summary); this collects them into
artifacts/bench/summary.json (each script with the date it ran; a run of some scripts keeps the
others' last figures), keeps each script's full output beside it, and prints the table from the
JSON. With --readme it also writes that table into README.md, between its two marker lines: the
README's figures are never typed by hand. Run on an otherwise idle machine: every ratio is against
a baseline measured in the same script run.

    python bench/run_all.py [--only training,projections] [--readme]  # run, write the JSON, the table
    python bench/run_all.py --table-only [--readme]                    # the table from the JSON
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DETAILS = HERE.parent / "artifacts" / "bench"
SUMMARY_JSON = DETAILS / "summary.json"
README = HERE.parent / "README.md"
BEGIN = "<!-- bench table: written by `python bench/run_all.py --readme`, not by hand -->"
END = "<!-- end of bench table -->"
PREFIX = "SUMMARY\t"  # bench/common.SUMMARY (this script imports nothing of the benchmarks)
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


def run(script: Path) -> dict:
    """One bench script in its own process: its figures, its date, the machine's load before it, its
    time and, if it failed, why."""
    load = round(os.getloadavg()[0], 1)
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
        "when": time.strftime("%Y-%m-%d", time.gmtime()),
        "load_average": load,
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
    """The README's table: one row per figure, Markdown, each with the date its script ran."""
    lines = [
        f"On {summary['machine']} (load: the load average as the script started; 2 on 2 cores is"
        " busy). Each script's full output: `artifacts/bench/<script>.txt`.",
        "",
        "| benchmark | figure | goal | vs baseline | date |",
        "|---|---|---|---|---|",
    ]
    for bench in summary["benchmarks"]:
        when = f"{bench['when']} (load {bench['load_average']:g})" if "when" in bench else ""
        if not bench["figures"]:
            why = bench["failure"] or "printed no summary"
            lines.append(f"| {bench['script']} | no figures ({why}) | | | {when} |")
        for f in bench["figures"]:
            figure = ("not measured" if f["value"] is None else f"{_number(f['value'])} {f['unit']}") + (
                f" ({f['note']})" if f.get("note") else ""
            )
            versus = f"{_ratio(f['ratio'])} {f['baseline']}" if f.get("ratio") else ""
            goal = f["goal"] or ""
            if goal and f.get("met") is not None:
                goal += " ✓" if f["met"] else " ✗ not met"
            lines.append(f"| {f['name']} | {figure} | {goal} | {versus} | {when} |")
    return "\n".join(lines)


def write_readme(text: str, path: Path = README) -> None:
    """Put `text` between the README's two marker lines, in place of what was there."""
    readme = path.read_text()
    block = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.S)
    if len(block.findall(readme)) != 1:
        raise SystemExit(f"{path.name} needs one block from the line {BEGIN!r} to {END!r}")
    path.write_text(block.sub(lambda _: f"{BEGIN}\n{text}\n{END}", readme))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated names, e.g. training,load")
    parser.add_argument(
        "--table-only", action="store_true", help=f"reprint the table from {SUMMARY_JSON.name}"
    )
    parser.add_argument("--readme", action="store_true", help="write the table into README.md too")
    args = parser.parse_args()
    if args.table_only:
        show(json.loads(SUMMARY_JSON.read_text()), args.readme)
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
        "benchmarks": benchmarks,
    }
    DETAILS.mkdir(parents=True, exist_ok=True)
    SUMMARY_JSON.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    show(summary, args.readme)


def show(summary: dict, readme: bool) -> None:
    text = table(summary)
    print(text)
    if readme:
        write_readme(text)


if __name__ == "__main__":
    main()
