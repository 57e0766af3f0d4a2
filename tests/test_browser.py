"""The real app in headless Chromium: pages load, charts render, nothing raises."""
import pytest

from conftest import copy_to_docs, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def assert_no_exception_on_page(tab):
    assert tab.locator("[data-testid='stException']").count() == 0


def test_data_page_renders_and_gives_the_readme_screenshot(app_url, page):
    page.goto(app_url)
    wait_for_app(page)
    assert page.get_by_role("heading", name="The data").is_visible()
    assert page.locator(".vega-embed").count() >= 1
    assert page.get_by_text("1,372").first.is_visible()
    assert_no_exception_on_page(page)
    copy_to_docs(screenshot(page, "data"), "screenshot-data.png")
