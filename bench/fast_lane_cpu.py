"""A pytest plugin for bench/bench_fast_lane.py: the CPU each test took, in its own process and in the
processes it waited for (a fresh Python, `testkit.fresh`), written per process to the folder
$FAST_LANE_CPU as JSON when the session ends. Load it with `-p fast_lane_cpu` (bench/ on the path)."""

from __future__ import annotations

import json
import os
import resource
from pathlib import Path

import pytest

_tests: list[tuple[str, float, float]] = []  # (node id, own CPU, its waited-for processes' CPU)
_first_test: tuple[float, float] | None = None  # CPU when the first test started: start-up, collection


def _cpu() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _first_test
    before = _cpu()
    _first_test = _first_test or before
    yield
    after = _cpu()
    _tests.append((item.nodeid, after[0] - before[0], after[1] - before[1]))


def pytest_sessionfinish(session):
    folder = os.environ.get("FAST_LANE_CPU")
    if folder and _tests:  # a test worker (pytest-xdist's controller runs none)
        found = {"tests": _tests, "start_up": _first_test, "end": _cpu()}
        (Path(folder) / f"{os.getpid()}.json").write_text(json.dumps(found))
