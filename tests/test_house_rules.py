"""The architecture's rules, checked on the source's syntax trees: they protect every session of the app.

Each rule is a function over source text, tested once on a snippet that breaks it (so the rule can
fail) and then on the tracked files.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from testkit import ROOT

PROCESS_GLOBAL_KERAS = {"clear_session", "set_random_seed"}  # state every session of the server shares
LAYERS = ("lib", "ui", "app_pages")  # the app's own packages, among which no import may go round


def tracked_python() -> list[Path]:
    files = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    return [ROOT / f for f in files] or list(ROOT.glob("**/*.py"))


def imported(source: str) -> set[str]:
    """Every module an `import` or `from ... import` names, anywhere in the file (late imports too).

    `from a import b` names both `a` and `a.b` (b may be a module); relative imports are not used here.
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def process_global_keras_calls(source: str) -> list[int]:
    """Lines that call (or import, to call) a process-global Keras function; words in text do not count."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in PROCESS_GLOBAL_KERAS:
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and any(a.name in PROCESS_GLOBAL_KERAS for a in node.names):
            lines.append(node.lineno)
    return lines


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path, packages: tuple[str, ...] = LAYERS) -> dict[str, set[str]]:
    """Module → the modules of `packages` it imports (a package's own `__init__` counts as a module)."""
    files = {module_name(p, root): p for package in packages for p in (root / package).rglob("*.py")}
    graph = {}
    for name, path in files.items():
        targets = {m for m in imported(path.read_text()) if m in files}
        graph[name] = targets - {name}
    return graph


def layer(module: str) -> str | None:
    """Which layer of the app a module is in: "core" (lib, but not lib.charts), "charts", "ui",
    "app_pages"; "streamlit" for Streamlit itself; None for anything else."""
    parts = module.split(".")
    if parts[0] == "lib":
        return "charts" if parts[1:2] == ["charts"] else "core"
    return parts[0] if parts[0] in ("ui", "app_pages", "streamlit") else None


# Imports point one way, lib core <- lib/charts <- ui <- app_pages: what each layer may not import.
NOT_IMPORTED_BY = {
    "core": {"charts", "ui", "app_pages", "streamlit"},
    "charts": {"ui", "app_pages", "streamlit"},
    "ui": {"app_pages"},
}


def imports_against_the_direction(root: Path, packages: tuple[str, ...] = LAYERS) -> list[tuple[str, str]]:
    """(module, what it imports) for every import, late ones too, that points the wrong way."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            name = module_name(path, root)
            forbidden = NOT_IMPORTED_BY.get(layer(name), set())
            found += [
                (name, target) for target in sorted(imported(path.read_text())) if layer(target) in forbidden
            ]
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# -- the rules, each shown to fail on a snippet that breaks it ----------------------------------------


def test_the_keras_rule_catches_calls_and_ignores_words():
    assert process_global_keras_calls("import keras\nkeras.backend.clear_session()\n") == [2]
    assert process_global_keras_calls("from keras.utils import set_random_seed\n") == [1]
    assert process_global_keras_calls('"""Never call clear_session() here."""\n# set_random_seed(1)\n') == []


def test_the_cycle_rule_finds_a_late_import_cycle(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "a.py").write_text("from lib.b import thing\n")
    (tmp_path / "lib" / "b.py").write_text("def thing():\n    from lib import a\n")
    (tmp_path / "lib" / "c.py").write_text("import lib.a\n")
    assert cycles(import_graph(tmp_path, ("lib",))) == [["lib.a", "lib.b"]]


def test_the_direction_rule_finds_every_import_that_points_the_wrong_way(tmp_path):
    files = {
        "lib/__init__.py": "",
        "lib/a.py": "def f():\n    from lib.charts.x import g\n",  # the core reads a chart module, late
        "lib/b.py": "import lib.a\nfrom lib import charts\n",  # core to core is fine; the package is not
        "lib/charts/__init__.py": "",
        "lib/charts/x.py": "from lib.a import f\nfrom ui.y import h\n",  # charts to ui
        "lib/charts/w.py": "import streamlit as st\n",
        "ui/__init__.py": "",
        "ui/y.py": "from lib.charts import x\nimport app_pages.z\n",  # ui to app_pages
        "app_pages/z.py": "import streamlit as st\nfrom ui.y import h\nfrom lib.charts.x import g\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert imports_against_the_direction(tmp_path) == [
        ("lib.a", "lib.charts.x"),
        ("lib.a", "lib.charts.x.g"),
        ("lib.b", "lib.charts"),
        ("lib.charts.w", "streamlit"),
        ("lib.charts.x", "ui.y"),
        ("lib.charts.x", "ui.y.h"),
        ("ui.y", "app_pages.z"),
    ]


def test_imports_point_one_way_core_charts_ui_pages():
    """The core never imports lib.charts, ui, app_pages or Streamlit; lib.charts never ui,
    app_pages or Streamlit; ui never app_pages."""
    graph = import_graph(ROOT)
    assert {"lib.inside", "lib.charts.player", "ui.charts", "app_pages.lesson"} <= set(graph)  # it sees them
    assert imports_against_the_direction(ROOT) == []


def test_no_process_global_keras_state_outside_tests():
    for path in tracked_python():
        if "tests" in path.relative_to(ROOT).parts:
            continue
        assert process_global_keras_calls(path.read_text()) == [], path


def test_no_import_cycle_among_lib_ui_and_app_pages():
    graph = import_graph(ROOT)
    assert {"lib.datasets", "lib.csv_reader", "ui.state", "app_pages.data"} <= set(graph)  # it sees them
    assert cycles(graph) == []


@pytest.mark.parametrize("package, other", [("bench", "tests"), ("tests", "bench")])
def test_bench_and_tests_share_only_testkit(package, other):
    """Both use testkit/; neither imports the other's package or modules (bench's `common`, `conftest`)."""
    own = {p.stem for p in (ROOT / other).glob("*.py")} - {"__init__"}
    for path in (ROOT / package).rglob("*.py"):
        found = {m for m in imported(path.read_text()) if m.split(".")[0] in {other, *own}}
        assert not found, (path, found)


def test_the_banknote_data_is_tracked_once_in_data():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert re.findall(r"^.*banknote.*\.(?:csv|txt)$", files, re.I | re.M) == ["data/banknotes.csv"]


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]])
def test_lint_and_format_are_clean(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def imports_of_other_test_modules(folder: Path) -> list[tuple[str, str]]:
    """(test module, what it imports) for every import of conftest or of another module in `folder`."""
    own = {p.stem for p in folder.glob("*.py")}
    return [
        (path.name, name)
        for path in sorted(folder.glob("test_*.py"))
        for name in sorted(imported(path.read_text()))
        if name.split(".")[0] in own
    ]


def test_the_test_module_rule_finds_imports_of_conftest_and_of_other_test_modules(tmp_path):
    (tmp_path / "conftest.py").write_text("")
    (tmp_path / "test_a.py").write_text("def helper():\n    pass\n")
    (tmp_path / "test_b.py").write_text(
        "from conftest import x\nimport testkit\n\n\ndef f():\n    from test_a import helper\n"
    )
    assert imports_of_other_test_modules(tmp_path) == [
        ("test_b.py", "conftest"),
        ("test_b.py", "conftest.x"),
        ("test_b.py", "test_a"),
        ("test_b.py", "test_a.helper"),
    ]


def test_test_modules_share_helpers_through_testkit_only():
    """A test module imports neither conftest nor another test module: what tests share is in testkit/."""
    assert imports_of_other_test_modules(ROOT / "tests") == []
