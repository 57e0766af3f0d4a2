"""Shared fixtures: the banknote data from ../shared, AppTest, and a real app in Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CSV = ROOT.parent / "shared" / "data" / "banknotes.csv"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]

# The loader reads the shared copy; its cache goes to a throw-away folder, never the user's.
os.environ.setdefault("BANKNOTES_CSV", str(SHARED_CSV))
os.environ.setdefault("BOTTLENECK_LAB_CACHE", tempfile.mkdtemp(prefix="bottleneck-lab-cache-"))
sys.path.insert(0, str(ROOT))
import lib  # noqa: E402, F401  (sets TensorFlow's environment before any test imports it)


@pytest.fixture(scope="session")
def banknotes():
    from lib.datasets import load_dataset

    return load_dataset("banknotes")


def last_line_printed(script: str, timeout: float = 300) -> str:
    """Run `script` in a fresh Python process (nothing other tests left behind counts)."""
    prelude = f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
    out = subprocess.run(
        [sys.executable, "-c", prelude + script], capture_output=True, text=True, check=True, timeout=timeout
    ).stdout
    return out.strip().splitlines()[-1]


def app_test(page: str | None = None, query: dict | None = None):
    """The whole app in AppTest, switched to `page` (a path under app_pages/), after one run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def chart_specs(at) -> list[dict]:
    """The Vega-Lite specs of every Altair chart on the page."""
    return [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")]


def player_params(at) -> dict | None:
    """The inner-layer player's parameters ({name: param}) from its spec, or None if not drawn."""
    for spec in chart_specs(at):
        params = {p["name"]: p for p in spec.get("params", [])}
        if "epoch" in params and "accuracy" in params:
            return params
    return None


def player_opens_at(at) -> int | None:
    """The epoch the inner-layer player shows first (its slider's start), or None if not drawn."""
    params = player_params(at)
    return None if params is None else params["epoch"]["value"]


def final_test_accuracy(at) -> float:
    """The final test accuracy the inner-layer page's caption states, as a fraction."""
    found = [re.search(r"final test accuracy \*\*([\d.]+)%\*\*", c.value) for c in at.caption]
    return float(next(m for m in found if m).group(1)) / 100


def assert_no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


def start_server(port: int | None = None, env: dict | None = None, script: Path = ROOT / "streamlit_app.py"):
    """`streamlit run script` (the app) on 127.0.0.1; returns (process, base url)."""
    port = port or _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]
    log = open(tempfile.mktemp(prefix="streamlit-", suffix=".log"), "w")
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
    except RuntimeError:
        process.kill()
        raise
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def require_chromium() -> None:
    """Browser tests need Debian's chromium; in CI its absence is a failure, not a skip."""
    if Path(CHROMIUM).exists():
        return
    reason = f"{CHROMIUM} not found: install Debian's chromium to run the browser tests"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_url():
    require_chromium()
    process, url = start_server()
    yield url
    stop_server(process)


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()


def wait_for_app(tab, timeout: float = 90_000) -> None:
    """Wait until the script has finished running and at least one chart is drawn."""
    tab.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )
    tab.wait_for_selector(".vega-embed canvas, .vega-embed svg", timeout=timeout)


def screenshot(tab, name: str) -> Path:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to it."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = tab.evaluate(
        "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
    )
    tab.set_viewport_size({"width": tab.viewport_size["width"], "height": min(max(height, 800), 8000)})
    tab.wait_for_timeout(800)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def copy_to_docs(path: Path, name: str) -> None:
    """Keep the README's screenshot in step with what the browser test saw."""
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    shutil.copyfile(path, docs / name)
