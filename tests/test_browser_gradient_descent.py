"""The gradient-descent page in headless Chromium: its three sections draw their charts."""

import pytest

from testkit.chromium import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_gradient_descent_page_renders_its_charts(app_url, page):
    # Enter from the home page and follow the sidebar's link, as a student does.
    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Gradient descent").click()
    page.get_by_role("heading", name="1 · Compare runs").wait_for(timeout=60_000)
    charts = page.locator(".vega-embed:visible")  # each chart in the one layout that fits the width
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vega-embed')].filter((c) => c.offsetParent).length >= 5",
        timeout=120_000,
    )
    for heading in (
        "Gradient descent",
        "1 · Compare runs",
        "2 · Gradient descent on a loss surface",
        "3 · Backpropagation: how much gradient reaches each layer",
    ):
        assert page.get_by_role("heading", name=heading).first.is_visible()
    assert charts.count() == 5
    for i in range(charts.count()):  # every chart drew marks, not an empty frame
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 150
        assert charts.nth(i).locator("canvas, svg").count() >= 1
    assert page.get_by_text("reached 95% accuracy").first.is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    path = screenshot(page, "gradient_descent")
    assert path.stat().st_size > 50_000
