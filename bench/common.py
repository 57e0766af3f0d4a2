"""What every benchmark shares: import paths, the shared banknote data, a median timer, a table, a summary."""

from __future__ import annotations

import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import testkit  # noqa: E402, F401  (sets the data path, a throw-away cache and TensorFlow's log level)

SUMMARY = "SUMMARY\t"  # the prefix of a figure's JSON line on stdout, for bench/run_all.py
DETAILS = ROOT / "artifacts" / "bench"
_figures: list[dict] = []


def seconds(task, repeat: int = 3) -> float:
    """Median wall time of `task()` over `repeat` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        task()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def summary(
    name: str,
    value: float,
    unit: str,
    *,
    goal: str | None = None,
    met: bool | None = None,
    baseline: str | None = None,
    ratio: float | None = None,
    note: str = "",
) -> dict:
    """One figure of this benchmark, machine-readable.

    `value` in `unit`; `goal` as a person states it ("≤ 1.5 s") and whether it was `met`;
    `ratio` = value / `baseline`, a figure measured in the same run (what makes a busy machine's
    numbers comparable); `note`: the other numbers a reader wants beside it. The figure is printed
    as one `SUMMARY<tab>{json}` line (bench/run_all.py collects them) and written, with this
    script's other figures, to artifacts/bench/<script>.json.
    """
    value, ratio = (None if x is None or not math.isfinite(x) else float(x) for x in (value, ratio))
    figure = {  # NaN (nothing measured) is written as null: the file stays strict JSON
        "name": name,
        "value": None if value is None else round(value, 6),
        "unit": unit,
        "goal": goal,
        "met": met,
        "baseline": baseline,
        "ratio": None if ratio is None else float(f"{ratio:.4g}"),
        "note": note,
    }
    _figures.append(figure)
    print(SUMMARY + json.dumps(figure, ensure_ascii=False), flush=True)
    DETAILS.mkdir(parents=True, exist_ok=True)
    script = Path(sys.argv[0]).stem or "bench"
    (DETAILS / f"{script}.json").write_text(json.dumps(_figures, indent=1, ensure_ascii=False) + "\n")
    return figure


def print_table(title: str, rows: list[tuple], headers: tuple) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    print(f"\n{title}")
    for row in (headers, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


@contextmanager
def worktree(rev: str):
    """A checkout of `rev` (`git worktree`), with `../shared` beside it when this one has it (the
    canonical data some tests compare with), removed afterwards: a baseline measured in the same run."""
    folder = Path(tempfile.mkdtemp(prefix="bench-baseline-")) / "tree"
    try:
        added = subprocess.run(
            ["git", "worktree", "add", "--detach", str(folder), rev], cwd=ROOT, capture_output=True, text=True
        )
        if added.returncode:
            raise RuntimeError(f"no worktree of {rev}: {added.stderr.strip()}")
        if (ROOT.parent / "shared").is_dir():
            (folder.parent / "shared").symlink_to(ROOT.parent / "shared")
        yield folder
    finally:
        if folder.exists():
            subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)
        shutil.rmtree(folder.parent, ignore_errors=True)
