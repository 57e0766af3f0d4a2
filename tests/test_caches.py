"""Every cache the app shares between sessions is bounded, in entries and in bytes."""

import ast
import dataclasses
import os
import re
import tracemalloc

import pytest

from testkit import ROOT

# Every st.cache_data of the app: (entries, bytes) it may hold. A new cache must be added here,
# with its size thought about: all of them together stay under BUDGET, so that one server with
# TensorFlow loaded (~800 MB) stays under 1.5 GB however long a class uses it.
CACHES = {
    "ui/runs.py:_trained": (256, "128MB"),
    "ui/charts.py:_specs": (512, "176MB"),  # every chart, in all its layouts: a plane 0.1 MB, a player 2
    "ui/compare.py:_placed": (64, "32MB"),
    "ui/compare.py:_map": (64, "32MB"),
    "ui/compare.py:_scores": (64, "1MB"),  # a few numbers a map and k
    "ui/compare.py:_neighbourhoods": (64, "31MB"),  # 2 arrays of rows × 50: 0.16 MB (412 rows), 2 MB (5,000)
    "ui/data.py:load_builtin": (8, "32MB"),
    "ui/gradient_descent.py:_curves": (512, "32MB"),
    "ui/gradient_descent.py:_comparison": (128, "8MB"),  # the curves of one comparison, and its reading
    "ui/gradient_descent.py:_descents": (64, "32MB"),
    "ui/lesson.py:logistic_accuracy": (8, "1MB"),  # one number per data set
    "ui/lesson.py:separability": (16, "1MB"),  # one epoch number per run
    "ui/keras_check.py:_checked": (64, "1MB"),  # a few floats per epoch a check
    "ui/inside.py:_explained": (64, "1MB"),  # two numbers per data set and split
}
BUDGET = 512 * 2**20


def megabytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(MB|GB)", size).groups()
    return int(number) * 2 ** (20 if unit == "MB" else 30)


def streamlit_caches() -> dict[str, tuple]:
    """(max_entries, max_size) of every st.cache_data / st.cache_resource in the app's code."""
    found = {}
    for path in [ROOT / "streamlit_app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "app_pages").glob("*.py")]:
        tree = ast.parse(path.read_text())
        constants = {  # NAME = literal at the module's top, as a bound may be written
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in ("st.cache_data", "st.cache_resource"):
                    options = {
                        k.arg: ast.literal_eval(constants.get(getattr(k.value, "id", None), k.value))
                        for k in getattr(decorator, "keywords", [])
                    }
                    name = f"{path.relative_to(ROOT)}:{node.name}"
                    found[name] = (options.get("max_entries"), options.get("max_size"))
    return found


def test_every_shared_cache_is_listed_with_its_bounds():
    assert streamlit_caches() == CACHES
    assert sum(megabytes(size) for _, size in CACHES.values()) <= BUDGET


def test_the_library_caches_are_bounded_too():
    for path in (ROOT / "lib").rglob("*.py"):
        source = path.read_text()
        assert not re.search(r"functools\.cache\b|@cache\b|lru_cache\(maxsize=None\)", source), path
        assert all(int(n) <= 256 for n in re.findall(r"lru_cache\(maxsize=(\d+)\)", source)), path


@pytest.mark.parametrize("cache", ["ui/charts.py:_specs", "ui/runs.py:_trained"])
def test_the_biggest_caches_keep_their_byte_limit(cache, monkeypatch):
    """Filled with twice its byte limit of distinct values, a cache holds no more than its limit."""
    import ui.charts
    import ui.runs
    from lib.training import LESSON

    entry = 4 * 2**20
    limit = megabytes(CACHES[cache][1])
    if cache == "ui/charts.py:_specs":
        from lib.charts.common import ChartParts

        class Parts(ChartParts):  # what a page's chart builder returns, with a big spec
            def spec(self):
                return {"datasets": {"rows": os.urandom(entry)}}

        fill = lambda i: ui.charts._specs(("chart", i), lambda: Parts(None, {}), (), None)
    else:
        monkeypatch.setattr(ui.runs, "run_of", lambda fingerprint, config, data, on_epoch: os.urandom(entry))
        fill = lambda i: ui.runs._trained("fingerprint", dataclasses.replace(LESSON, seed=i), None)
    tracemalloc.start()
    try:
        for i in range(2 * limit // entry):
            fill(i)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert limit * 0.9 < held < limit * 1.1  # full, and no fuller


def test_the_readme_states_their_total():
    total = sum(megabytes(size) for _, size in CACHES.values()) // 2**20
    assert f"{total} MB in all" in (ROOT / "README.md").read_text()
