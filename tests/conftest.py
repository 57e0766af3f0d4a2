"""Shared fixtures: the banknote data, AppTest, and a real app in Chromium.

The helpers themselves live in `testkit/` (the benchmarks use them too); they are named here
as well, so a test imports what it needs from one place.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import lib  # noqa: F401  (sets TensorFlow's environment before any test imports it)
import testkit  # noqa: F401  (sets TensorFlow's log level)
from testkit import ARTIFACTS as ARTIFACTS
from testkit import ROOT as ROOT
from testkit.apptest import app_test as app_test
from testkit.apptest import assert_no_exception as assert_no_exception
from testkit.apptest import chart_specs as chart_specs
from testkit.apptest import clear_caches
from testkit.apptest import last_line_printed as last_line_printed
from testkit.chromium import CHROMIUM as CHROMIUM
from testkit.chromium import CHROMIUM_FLAGS as CHROMIUM_FLAGS
from testkit.chromium import launch
from testkit.chromium import screenshot as screenshot
from testkit.chromium import wait_for_app as wait_for_app
from testkit.server import start_server as start_server
from testkit.server import stop_server as stop_server


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Every test starts with empty `st.cache_data` caches: no test depends on what another computed."""
    clear_caches()
    yield


@pytest.fixture(scope="session")
def banknotes():
    from lib.datasets import load_dataset

    return load_dataset("banknotes")


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
        instance = launch(playwright)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()
