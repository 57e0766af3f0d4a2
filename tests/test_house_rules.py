"""The architecture's rules, checked on the source: they protect every session of the app."""

import re
import subprocess
import sys

from conftest import ROOT


def tracked_python() -> list:
    files = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    return [ROOT / f for f in files] or list(ROOT.glob("**/*.py"))


def test_lib_never_imports_streamlit():
    for path in (ROOT / "lib").glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(), re.M), path


def test_no_process_global_keras_state_outside_tests():
    for path in tracked_python():
        if "tests" in path.parts:
            continue
        assert not re.search(r"clear_session\(|set_random_seed\(", path.read_text()), path


def test_no_banknote_data_is_tracked():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout
    assert not re.search(r"banknote.*\.(csv|txt)$", files, re.I | re.M)


def test_lint_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
