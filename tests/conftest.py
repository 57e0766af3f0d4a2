"""The fixtures tests ask for (the banknote data, a real app in Chromium), and which tests start
with empty caches.

What tests share besides fixtures lives in `testkit/` (the benchmarks use it too): a test module
imports it from there, never from this file or from another test module.
"""

from __future__ import annotations

import sys

import pytest

import lib  # noqa: F401  (sets TensorFlow's environment before any test imports it)
import testkit  # noqa: F401  (sets TensorFlow's log level)
from testkit.apptest import (
    clear_caches,
    compile_scripts_once,
    scan_components_once,
    skip_the_bare_mode_warning,
    wait_for_runs_without_polling,
    without_background_load,
)
from testkit.chromium import launch, require_chromium
from testkit.fresh import Background, Finished
from testkit.server import start_server, stop_server

FRESH = Background()


def pytest_configure(config):
    scan_components_once()
    compile_scripts_once()
    skip_the_bare_mode_warning()
    wait_for_runs_without_polling()
    without_background_load()
    config.addinivalue_line(
        "markers",
        "fresh_process(script, files=None): the test reads `script` run in a fresh Python (fixture `fresh`)",
    )
    config.addinivalue_line(
        "markers", "counts_calls: the test's patches only count calls: it shares the caches (see below)"
    )


def pytest_xdist_auto_num_workers(config):
    """pytest.ini's `-n auto`: no worker for the tests of one file (they would all run in one worker
    anyway, see below), else pytest-xdist's own count: one a core."""
    files = {arg.split("::")[0] for arg in config.args}
    if len(files) == 1 and files.pop().endswith(".py"):
        return 0
    return None


# The other modules that take longest in the fast lane (seconds, a module's tests summed from
# `pytest -m "not browser" --durations=0`, 2026-12-07): handed out first, so that the last modules
# a worker takes are short ones and neither worker idles long at the end. A module not named is short.
LONGEST_MODULES = {
    "test_page_compare": 27,
    "test_page_links": 18,
    "test_page_layouts": 14,
    "test_chart_templates": 13,
    "test_training": 11,
    "test_extremes": 9,
    "test_page_inner_layer": 8,
    "test_page_gradient_descent": 8,
    "test_settings": 6,
}


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (pytest.ini: `-n auto --dist loadgroup --no-loadscope-reorder`) the browser tests
    run in one worker, one after the other, as alone (one app server, one Chromium), and every other
    module whole in one worker: its module fixtures and a fresh script its tests share are made once.
    The workers take them in this order: the browser tests (the longest part), the modules with
    fresh-process tests (a script is a long wait: started last, it would leave the other worker idle at
    the end), then the others, the longest first (LONGEST_MODULES)."""
    if not hasattr(config, "workerinput"):
        return
    fresh_modules = {item.module for item in items if item.get_closest_marker("fresh_process")}
    browser = lambda item: item.get_closest_marker("browser") is not None
    items.sort(
        key=lambda item: (
            not browser(item),
            item.module not in fresh_modules,
            -LONGEST_MODULES.get(item.module.__name__.rpartition(".")[2], 0),
        )
    )
    for item in items:
        item.add_marker(pytest.mark.xdist_group("browser" if browser(item) else item.module.__name__))


def pytest_collection_finish(session):
    """Without pytest-xdist, every chosen test's fresh process starts now, in the background
    (testkit.fresh), on the core the tests leave free. A pytest-xdist worker has no free core and
    does not know yet which tests it will get: each of its scripts starts when a test asks for it."""
    if session.config.option.collectonly or hasattr(session.config, "workerinput"):
        return
    for item in session.items:
        fresh_script(item)


def fresh_script(item) -> None:
    """Start (once) the fresh process of `item`'s `fresh_process` mark, if it has one."""
    marker = item.get_closest_marker("fresh_process")
    if marker:
        FRESH.start(item.nodeid, *marker.args, **marker.kwargs)


def pytest_sessionfinish(session):
    FRESH.stop()
    startup = sys.modules.get("ui.startup")  # imported once a test ran the app
    if startup and startup.load_in_background.cache_info().currsize:
        # The app's loader thread ends before this process does: ended by the interpreter's exit inside
        # TensorFlow, it aborts the process ("FATAL: exception not rethrown"), a worker lost to xdist.
        loader = startup.load_in_background()
        loader.cancel()  # not started yet: it never starts
        loader.join()


@pytest.fixture
def fresh(request) -> Finished:
    """What the test's `fresh_process` script printed and wrote; it waits for the script to end."""
    fresh_script(request.node)
    return FRESH.result(request.node.nodeid)


@pytest.fixture(autouse=True)
def _empty_caches_around_patches(request):
    """A test that patches something (it asks for `monkeypatch`) runs between empty `st.cache_data`
    caches: a cached result would hide its patch, and what it computed patched must reach no later
    test. Every other test shares what earlier tests computed, as a class's sessions do (a cache's
    key holds every input it depends on: a hit is the result the test would compute). So does a test
    marked `counts_calls`, whose patches only count calls and return the real results: the calls it
    counts are for keys no other test asks for."""
    patches = "monkeypatch" in request.fixturenames and not request.node.get_closest_marker("counts_calls")
    if patches:
        clear_caches()
    yield
    if patches:
        clear_caches()


@pytest.fixture(scope="session")
def banknotes():
    from lib.datasets import load_dataset

    return load_dataset("banknotes")


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
