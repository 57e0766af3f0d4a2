"""The real app in headless Chromium: pages load, charts render, nothing raises."""

import re

import pytest
from playwright.sync_api import expect

from testkit.chromium import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def assert_no_exception_on_page(tab):
    assert tab.locator("[data-testid='stException']").count() == 0


def test_data_page_renders(app_url, page):
    page.goto(app_url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="The data").is_visible()
    # at 1400 px (the README's picture) the pairplot's wide layout: 150 px panels
    expect(page.locator(".st-key-pairplot_layouts .vega-embed")).to_have_count(1)  # the one that fits
    assert page.locator(".st-key-pairplot_layouts .vega-embed").bounding_box()["width"] > 600  # not medium
    assert page.get_by_text("1,372").first.is_visible()
    assert_no_exception_on_page(page)
    screenshot(page, "data")  # artifacts/ only: the README's is `python -m testkit.screenshots --docs`


def test_a_deep_link_on_a_fresh_server_gets_the_whole_app(page):
    """A shared link is often the first request a (re)started server sees."""
    from testkit.server import start_server, stop_server

    process, url = start_server()
    try:
        page.goto(f"{url}/compare")
        wait_for_app(page)
        assert page.get_by_role("heading", name="Compare reductions").is_visible()
        assert page.locator("[data-testid='stSidebar']").get_by_text("Data set").is_visible()
        assert page.locator("[data-testid='stSidebarNav']").get_by_text("Inner layers").is_visible()
        assert_no_exception_on_page(page)
    finally:
        stop_server(process)


def test_a_link_to_a_lesson_step_stays_there_when_the_first_run_is_cut_short(page):
    """On a fresh server the first run is slow, and the width probe's rerun cuts it short: the
    step the link set must still be the step the browser holds, so moving a control keeps it."""
    from testkit.server import start_server, stop_server

    process, url = start_server()
    try:
        page.goto(f"{url}/lesson?step=5")
        wait_for_app(page)
        main = page.locator("[data-testid='stMain']")
        expect(main.get_by_role("heading", name="Step 5 · Your turn")).to_be_visible()
        epochs = page.locator("[data-testid='stSidebar'] [data-testid='stSlider']").filter(has_text="Epochs")
        epochs.get_by_role("slider").focus()
        page.keyboard.press("ArrowLeft")
        expect(page).to_have_url(re.compile(r"epochs=24"), timeout=60_000)
        wait_for_app(page)
        expect(main.get_by_role("heading", name="Step 5 · Your turn")).to_be_visible()
        assert "step=5" in page.url
    finally:
        stop_server(process)
