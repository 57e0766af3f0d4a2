"""The fast lane, `python -m pytest -m "not browser"`, against issue 21's goal: within 120 s on an idle
2-core machine. And where its time goes: the tests run on both cores (pytest.ini), so the wall time
cannot drop below the CPU they take over two; the CPU is told per test module, in the test workers
and in the fresh Python processes their tests wait for (bench/fast_lane_cpu.py).

`--baseline REV` runs the same lane on a `git worktree` of REV in turns with this tree (`--repeats`
each): the ratio is this tree's median wall time over REV's, both measured in this run.

    python bench/bench_fast_lane.py [--repeats 1] [--baseline bdf61cc]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from common import ROOT, print_table, summary, worktree

GOAL = 120.0  # seconds, issue 21
LANE = ["-m", "not browser", "-q", "-p", "no:cacheprovider", "-p", "fast_lane_cpu"]
HERE = Path(__file__).resolve().parent


def without_bytecode(tree: Path) -> None:
    """Remove the project's compiled modules, so that every run starts as a fresh clone does (and a
    tree whose modules were compiled by earlier runs gains nothing over one whose were not)."""
    for cache in tree.rglob("__pycache__"):
        if ".git" not in cache.relative_to(tree).parts:
            shutil.rmtree(cache)


def run_lane(tree: Path) -> dict:
    """One run of the lane in `tree`, from a clean checkout's state: wall time, the CPU of every process
    it made, its verdict, and the CPU per test module (own, fresh processes) with the workers' start-up."""
    without_bytecode(tree)
    with tempfile.TemporaryDirectory(prefix="fast-lane-") as folder:
        env = dict(os.environ, FAST_LANE_CPU=folder, PYTHONPATH=os.pathsep.join([str(HERE), str(tree)]))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", *LANE], cwd=tree, env=env, capture_output=True, text=True
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers = [json.loads(path.read_text()) for path in Path(folder).glob("*.json")]
    verdict = re.findall(r"^=*\s*(\d+ (?:passed|failed).*?) in [\d.]+s", done.stdout, re.M)
    own, fresh = collections.Counter(), collections.Counter()
    for worker in workers:
        for node_id, cpu, children in worker["tests"]:
            module = node_id.split("::")[0].removeprefix("tests/")
            own[module] += cpu
            fresh[module] += children
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "verdict": verdict[-1] if verdict else f"no verdict (exit {done.returncode})",
        "failed": done.returncode != 0,
        "start_up": sum(worker["start_up"][0] for worker in workers),
        "own": own,
        "fresh": fresh,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--baseline", help="a commit to measure in turns with this tree")
    args = parser.parse_args()
    with ExitStack() as stack:
        trees = {"this tree": ROOT}
        if args.baseline:
            trees[args.baseline] = stack.enter_context(worktree(args.baseline))
        runs: dict[str, list[dict]] = {name: [] for name in trees}
        for _ in range(args.repeats):
            for name, tree in trees.items():
                runs[name].append(run_lane(tree))
                last = runs[name][-1]
                print(f"{name}: {last['wall']:.0f} s, {last['cpu']:.0f} s CPU, {last['verdict']}", flush=True)
    mine = runs["this tree"]
    last = mine[-1]
    modules = sorted(last["own"], key=lambda m: -(last["own"][m] + last["fresh"][m]))
    print_table(
        "CPU per test module, this tree's last run (s; fresh: the Python processes its tests waited for)",
        [(m, f"{last['own'][m]:.1f}", f"{last['fresh'][m]:.1f}") for m in modules[:20]],
        ("module", "in the worker", "fresh"),
    )
    own, fresh = sum(last["own"].values()), sum(last["fresh"].values())
    print(
        f"\nworkers' start-up and collection {last['start_up']:.0f} s, tests {own:.0f} s in the workers and "
        f"{fresh:.0f} s in fresh processes; all processes {last['cpu']:.0f} s of CPU: on 2 cores no less "
        f"than {last['cpu'] / 2:.0f} s of wall time"
    )
    wall = statistics.median(run["wall"] for run in mine)
    base = [run["wall"] for run in runs[args.baseline]] if args.baseline else []
    summary(
        'fast lane: `python -m pytest -m "not browser"`, wall time (median)',
        wall,
        "s",
        goal=f"≤ {GOAL:.0f} s",
        met=wall <= GOAL and not any(run["failed"] for run in mine),
        baseline=args.baseline,
        ratio=wall / statistics.median(base) if base else None,
        note=f"{len(mine)} runs, {last['verdict']}, {last['cpu']:.0f} s of CPU",
    )


if __name__ == "__main__":
    main()
