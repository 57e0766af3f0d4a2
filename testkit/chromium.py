"""Debian's headless Chromium with the flags this machine needs, the app's page waits, screenshots."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

from testkit import ARTIFACTS

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


def require_chromium() -> None:
    """Browser tests need Debian's chromium; in CI its absence is a failure, not a skip."""
    import pytest

    if Path(CHROMIUM).exists():
        return
    reason = f"{CHROMIUM} not found: install Debian's chromium to run the browser tests"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def launch(playwright):
    """A headless Chromium of sync or async Playwright (await the result of the async one)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)


@contextmanager
def chromium():
    """Sync Playwright's Chromium for the `with` block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def screen_tab(browser, width: int, height: int):
    """A tab of a fresh browser context with a `width` × `height` screen, for the `with` block."""
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()


def frames_sent(tab) -> list:
    """The websocket frames `tab` sends from now on (a scrub or Play in the browser sends none)."""
    sent: list = []
    tab.on("websocket", lambda socket: socket.on("framesent", lambda frame: sent.append(frame)))
    return sent


# The page settled: drawn for the width the browser tells now (its stylesheet says the band it was
# drawn for, each responsive chart in its one layout; the width probe measures the band now, even
# in the moment after a resize before it has told it: ui/layout.py), the script not running, at
# least one chart on screen and every chart on screen drawn (Vega draws a page's big charts seconds
# after its script ends).
# One condition, checked at once: a chart drawn while the script still runs does not count, nor a
# page whose elements Streamlit marks stale (a rerun under way: its running widget shows only later).
SETTLED = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter((chart) => chart.offsetParent !== null);
  const sheet = document.querySelector('style[data-sheet][data-band]');
  const main = document.querySelector('[data-testid="stMainBlockContainer"]') ?? document.documentElement;
  return sheet !== null && main.chartBand !== undefined && sheet.dataset.band === String(main.chartBand())
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && charts.length > 0
    && charts.every((chart) => chart.querySelector('canvas, svg'));
}"""


def wait_for_app(tab, timeout: float = 180_000) -> None:
    """Wait until the script has finished running and every chart on screen is drawn.

    The timeout is a hang guard, not a goal: a fresh server on a busy 2-core machine may take
    over a minute for a page that trains and computes t-SNE.
    """
    tab.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    tab.wait_for_function(SETTLED, timeout=timeout)


def seconds_to_chart(tab, url: str, text: str | None = None) -> float:
    """Wall time from navigating to `url` until its script has finished and a chart is drawn."""
    started = time.perf_counter()
    tab.goto(url)
    wait_for_app(tab)
    if text:
        tab.get_by_text(text).first.wait_for(timeout=120_000)
    return time.perf_counter() - started


def screenshot(tab, name: str, folder: Path = ARTIFACTS, full_page: bool = True) -> Path:
    """The page as `folder/name.png` (never a tracked file: artifacts/ is ignored by git).

    With `full_page`, the whole page: Streamlit scrolls inside its main block, so the viewport
    grows to it first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if full_page:
        height = tab.evaluate(
            "() => (document.querySelector('[data-testid=\"stMain\"]') || document.body).scrollHeight"
        )
        tab.set_viewport_size({"width": tab.viewport_size["width"], "height": min(max(height, 800), 8000)})
    tab.wait_for_timeout(800)
    path = folder / f"{name}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    return path
