"""The comparison page in headless Chromium: panels, linked brushing, tooltips, scores."""

import pytest

from conftest import ARTIFACTS, screenshot, wait_for_app

pytestmark = pytest.mark.browser

# Where things sit inside the linked chart (3 panels of 215 px a row, legend on top).
BOTTLENECK_COLUMN = (175, 250)  # node 1 is dead in the default run: a column of dots at x = 0
PCA_BOX = ((420, 150), (500, 230))


def test_compare_page_renders_panels_links_them_and_scores(app_url, page):
    from playwright.sync_api import expect

    page.goto(app_url)  # as a student does: open the app, then the page from the sidebar
    wait_for_app(page)
    page.get_by_role("link", name="Compare reductions").click()
    page.get_by_role("heading", name="Scores: which map keeps what?").wait_for(timeout=120_000)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Compare reductions").is_visible()
    charts = page.locator(".vega-embed")
    expect(charts).to_have_count(2)  # all panels are one linked chart; the autoencoder's loss curve
    panels = charts.first
    box = panels.bounding_box()
    assert box["width"] > 800 and box["height"] > 600  # 5 panels: 3 across, 2 rows
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    assert page.get_by_text("refit on exactly the rows it shows").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "compare")

    page.set_viewport_size({"width": 1400, "height": 1000})
    panels.scroll_into_view_if_needed()
    box = panels.bounding_box()
    tooltip = page.locator("#vg-tooltip-element")
    for dy in range(0, 120, 4):  # hover down the bottleneck's column until a dot answers
        page.mouse.move(box["x"] + BOTTLENECK_COLUMN[0], box["y"] + BOTTLENECK_COLUMN[1] + dy)
        page.wait_for_timeout(100)
        if tooltip.count() and tooltip.is_visible():
            break
    text = tooltip.inner_text()
    assert "class" in text and "variance" in text and "entropy" in text

    before = panels.screenshot()
    (x0, y0), (x1, y1) = PCA_BOX
    page.mouse.move(box["x"] + x0, box["y"] + y0)
    page.mouse.down()
    page.mouse.move(box["x"] + x1, box["y"] + y1, steps=8)
    page.mouse.up()
    page.wait_for_timeout(500)
    after = panels.screenshot(path=str(ARTIFACTS / "compare-brush.png"))
    assert after != before  # the rows outside the box turned grey in every panel
