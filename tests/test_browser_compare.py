"""The comparison page in headless Chromium: panels, linked brushing, tooltips, scores."""

import pytest

from testkit import ARTIFACTS
from testkit.chromium import screenshot, wait_for_app

pytestmark = pytest.mark.browser

# Where things sit inside the linked chart at 1440 px (2 panels of 410 px a row, legend on top).
BOTTLENECK_COLUMN = (62, 125)  # node 1 is dead in the default run: a column of dots at x = 0
PCA_BOX = ((620, 150), (760, 300))
SHOWN = ".st-key-compare_maps_layouts [data-testid='stVegaLiteChart']:visible"


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_compare_page_renders_panels_links_them_and_scores(app_url, page):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(app_url)  # as a student does: open the app, then the page from the sidebar
    wait_for_app(page)
    page.get_by_role("link", name="Compare reductions").click()
    page.get_by_role("heading", name="Scores: which map keeps what?").wait_for(timeout=180_000)
    wait_for_app(page)
    assert page.get_by_role("heading", name="Compare reductions").is_visible()
    panels = page.locator(SHOWN)
    expect(panels).to_have_count(1)  # all panels are one linked chart, one layout on screen
    box = panels.bounding_box()
    assert box["width"] > 800 and box["height"] > 1200  # 5 panels: 2 across, 3 rows
    plots = panels.evaluate("el => el.querySelectorAll('canvas').length")
    assert plots == 1
    assert page.locator("[data-testid='stDataFrame']").count() == 1
    assert page.get_by_text("refit on exactly the rows it shows").is_visible()
    assert page.get_by_text("Distill").first.is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "compare")
    page.set_viewport_size({"width": 1440, "height": 900})

    panels.evaluate(  # the chart's top 200 px below the top of the screen
        "el => document.querySelector('[data-testid=\"stMain\"]')"
        ".scrollBy(0, el.getBoundingClientRect().top - 200)"
    )
    box = panels.bounding_box()
    page.mouse.move(box["x"] + 5, box["y"] + 5)  # the toolbar shows: it covers no text above the chart
    toolbar = page.locator("[data-testid='stElementToolbar']:visible").first
    toolbar.wait_for()
    texts = page.locator("[data-testid='stCaptionContainer'], [data-testid='stMarkdownContainer']")
    boxes = [texts.nth(i).bounding_box() for i in range(texts.count())]
    assert not any(b and overlaps(toolbar.bounding_box(), b) for b in boxes)

    tooltip = page.locator("#vg-tooltip-element")
    for dy in range(0, 120, 6):  # hover down the bottleneck's column until a dot answers
        for dx in (-4, 0, 4):
            page.mouse.move(box["x"] + BOTTLENECK_COLUMN[0] + dx, box["y"] + BOTTLENECK_COLUMN[1] + dy)
            page.wait_for_timeout(60)
            if tooltip.count() and tooltip.is_visible():
                break
        else:
            continue
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


def test_panels_are_large_at_1440_and_one_column_on_a_phone(app_url, browser):
    """The panels' plotting areas, measured by the gap between the first two panels' titles."""
    sizes = {}
    for width in (1440, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        tab = context.new_page()
        tab.goto(f"{app_url}/compare?perplexity=30")
        wait_for_app(tab, timeout=180_000)
        tab.get_by_role("heading", name="Scores: which map keeps what?").wait_for(timeout=180_000)
        chart = tab.locator(SHOWN)
        sizes[width] = (chart.bounding_box()["width"], chart.bounding_box()["height"])
        context.close()
    assert sizes[1440][0] >= 2 * 320  # two panels of at least 320 px across
    assert sizes[390][0] <= 390 - 32 and sizes[390][1] > 5 * 280  # five panels one above the other


def test_cheap_maps_show_before_t_sne_is_done(app_url, page):
    # A perplexity no other test computes, and t-SNE's most iterations, so that it takes a while;
    # the data page first, as a student opens the app: the browser has loaded Vega by then.
    page.goto(f"{app_url}/?perplexity=11&iterations=2000")
    wait_for_app(page)
    # Watch every change of the page from before the click: once, while the note says t-SNE is
    # computing, the cheap maps' chart is already on the page (not a race against the clock: the
    # server sends the chart, then the note, then blocks in t-SNE for a second or more).
    page.evaluate(
        """() => {
            window.sawCheapMapsFirst = false;
            new MutationObserver(() => {
                if (document.body.innerText.includes('t-SNE: computing') &&
                    document.querySelector('.st-key-compare_maps_layouts [data-testid=stVegaLiteChart]'))
                    window.sawCheapMapsFirst = true;
            }).observe(document.body, {childList: true, subtree: true, characterData: true});
        }"""
    )
    page.get_by_role("link", name="Compare reductions").click()
    page.get_by_role("heading", name="Scores: which map keeps what?").wait_for(timeout=180_000)
    assert not page.get_by_text("t-SNE: computing").count()
    assert page.evaluate("() => window.sawCheapMapsFirst"), "the cheap maps were not drawn before t-SNE ended"
    assert "2,000 iterations" in page.locator("[data-testid='stMain']").inner_text()
