"""A real app server and headless Chromium for the browser benchmarks (the tests' own helpers)."""

from __future__ import annotations

import os
import random
import time
from contextlib import contextmanager

import common  # noqa: F401  (puts tests/ on the path, for conftest)

from conftest import CHROMIUM, CHROMIUM_FLAGS, start_server, stop_server, wait_for_app


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def _port() -> int | None:
    """A port within $BENCH_PORTS (e.g. 19100-19199) when set, else one the system picks."""
    if "BENCH_PORTS" not in os.environ:
        return None
    low, high = map(int, os.environ["BENCH_PORTS"].split("-"))
    return random.randrange(low, high + 1)


@contextmanager
def server():
    process, url = start_server(_port())
    try:
        yield process, url
    finally:
        stop_server(process)


def seconds_to_chart(tab, url: str, text: str | None = None) -> float:
    """Wall time from navigating to `url` until its script has finished and a chart is drawn."""
    started = time.perf_counter()
    tab.goto(url)
    wait_for_app(tab)
    if text:
        tab.get_by_text(text).first.wait_for(timeout=120_000)
    return time.perf_counter() - started
