"""The comparison page in headless Chromium: panels, linked brushing, tooltips, scores, and a row
picked by a click or a tap: its neighbours ringed in every map, each map saying how many it keeps."""

import re

import numpy as np
import pandas as pd
import pytest

from testkit import ARTIFACTS
from testkit.chromium import screenshot, wait_for_app
from testkit.vega import drawn_items, selected, wait_selected

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


METHODS = ["bottleneck", "pca", "tsne", "lda", "autoencoder"]  # the default panels, in order
FIELDS = ["row", "of", *(f"{method}_kept" for method in METHODS)]
CAPTION = re.compile(r"row (\d+) keeps (\d+) of its (\d+) neighbours")


def open_compare(tab, app_url: str, query: str = "") -> None:
    tab.goto(f"{app_url}/compare{query}")
    wait_for_app(tab)
    tab.get_by_role("heading", name="Scores: which map keeps what?").wait_for(timeout=180_000)
    wait_for_app(tab)


def shown_chart(tab):
    return tab.locator(SHOWN)


def lone(items: list[dict], panel: int, screen: dict, ringed: bool = False) -> dict:
    """A dot of `panel` on screen (or, `ringed`, a ring round one) with no other dot nor ring within
    14 px: a click there is its own."""
    marks = [i for i in items if i["type"] == "symbol" and i["size"] != 300]  # not the tap targets
    places = np.array([[i["x"], i["y"]] for i in marks])
    for mark in marks:
        if mark["panel"] != panel or (mark["datum"]["of"] is not None) != ringed or mark["size"] == 340:
            continue
        if not (60 < mark["y"] < screen["height"] - 60 and 20 < mark["x"] < screen["width"] - 20):
            continue
        if np.count_nonzero(np.hypot(*(places - [mark["x"], mark["y"]]).T) < 14) == 1 + ringed:
            return mark  # alone, or a ring and its own dot
    raise AssertionError(f"no lone {'ring' if ringed else 'dot'} of panel {panel} on screen")


def picked_view(tab) -> tuple[list, dict, list]:
    """(rows picked, the rows ringed in each panel, each panel's caption) as Vega drew them."""
    chart = shown_chart(tab)
    items = drawn_items(chart, FIELDS)
    rings: dict[int, list] = {}
    for item in items:
        if item["datum"]["of"] is not None:
            rings.setdefault(item["panel"], []).append(item)
    captions = sorted(
        (
            (i["panel"], i["text"])
            for i in items
            if i["type"] == "text" and CAPTION.fullmatch(i["text"] or "")
        ),
    )
    return selected(chart, "pick"), rings, captions


def test_a_click_rings_a_rows_neighbours_in_every_map_and_says_what_each_keeps(app_url, page):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_compare(page, app_url)
    chart = shown_chart(page)
    chart.evaluate(  # the first two rows of panels on screen
        "el => document.querySelector('[data-testid=\"stMain\"]')"
        ".scrollBy(0, el.getBoundingClientRect().top - 20)"
    )
    assert picked_view(page) == ([], {}, [])  # nothing picked before a click
    items = drawn_items(chart, FIELDS)
    dot = lone(items, METHODS.index("pca"), page.viewport_size)
    row = dot["datum"]["row"]
    page.mouse.click(dot["x"], dot["y"])
    wait_selected(chart, "pick", [[row]])
    _, rings, captions = picked_view(page)
    assert sorted(rings) == list(range(len(METHODS)))
    items = drawn_items(chart, FIELDS)
    for panel, method in enumerate(METHODS):
        ringed = rings[panel]
        assert len(ringed) == 10 and len({r["datum"]["row"] for r in ringed}) == 10
        assert row not in {r["datum"]["row"] for r in ringed}  # a row is not its own neighbour
        dots = {i["datum"]["row"]: i for i in items if i["panel"] == panel and i["size"] == 22}
        for ring in ringed:  # each ring round its own row's dot on this map
            assert ring["x"] == pytest.approx(dots[ring["datum"]["row"]]["x"], abs=0.5)
            assert ring["y"] == pytest.approx(dots[ring["datum"]["row"]]["y"], abs=0.5)
        kept = dots[row]["datum"][f"{method}_kept"]
        assert (panel, f"row {row} keeps {kept} of its 10 neighbours") in captions
    ringed = [{r["datum"]["row"] for r in rings[panel]} for panel in rings]
    assert all(rows == ringed[0] for rows in ringed)  # the same neighbours in the data, on every map
    screenshot(page, "compare-picked", full_page=False)

    neighbour = lone(drawn_items(chart, FIELDS), METHODS.index("pca"), page.viewport_size, ringed=True)
    page.mouse.move(neighbour["x"], neighbour["y"], steps=5)  # as a hand moves there
    page.mouse.click(neighbour["x"], neighbour["y"])  # a ringed neighbour picks it in turn
    wait_selected(chart, "pick", [[neighbour["datum"]["row"]]])
    page.mouse.dblclick(dot["x"], dot["y"])
    wait_selected(chart, "pick", [])
    assert picked_view(page) == ([], {}, [])


def test_a_tap_picks_a_row_on_a_phone(app_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    tab = context.new_page()
    open_compare(tab, app_url)
    chart = shown_chart(tab)
    pca = METHODS.index("pca")
    top = drawn_items(chart, FIELDS)
    panel_top = min(i["y"] for i in top if i["panel"] == pca)
    chart.evaluate(  # the PCA panel (the second, one column) on screen
        f"el => document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, {panel_top} - 120)"
    )
    for _ in range(2):  # a second tap moves on from the first (Vega would give it the first's item)
        items = drawn_items(chart, FIELDS)
        dot = lone(items, pca, tab.viewport_size)
        tab.touchscreen.tap(dot["x"], dot["y"])
        wait_selected(chart, "pick", [[dot["datum"]["row"]]])
        _, rings, captions = picked_view(tab)
        assert all(len(ringed) == 10 for ringed in rings.values()) and len(rings) == len(METHODS)
        assert len(captions) == len(METHODS)
    screenshot(tab, "compare-phone-picked", full_page=False)
    context.close()


def test_a_link_opens_a_row_picked_and_every_map_coloured_by_neighbours_kept(app_url, browser):
    for width, height in ((1440, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        tab = context.new_page()
        open_compare(tab, app_url, "?row=10&neighbours=15&kept=true")
        picked, rings, captions = picked_view(tab)
        assert picked == [[10]]
        assert len(rings) == len(METHODS) and all(len(ringed) == 15 for ringed in rings.values())
        assert [CAPTION.fullmatch(text).group(1, 3) for _, text in captions] == [("10", "15")] * len(METHODS)
        texts = [i["text"] for i in drawn_items(shown_chart(tab), FIELDS) if i["type"] == "text"]
        assert "Share of its k neighbours kept" in texts  # the colours' legend
        assert tab.locator("[data-testid='stException']").count() == 0
        screenshot(tab, f"compare-kept-{width}")
        context.close()


def scroll_to_panel(tab, panel: int) -> None:
    chart = shown_chart(tab)
    top = min(i["y"] for i in drawn_items(chart, FIELDS) if i["panel"] == panel)
    chart.evaluate(f"el => document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, {top} - 120)")


def test_an_uploaded_csv_rings_neighbours_on_a_laptop_and_a_phone(app_url, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, has_touch=True)
    tab = context.new_page()
    tab.goto(app_url)
    wait_for_app(tab)
    tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    tab.get_by_role("option", name="Upload a CSV…").click()
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(rng.normal(size=(150, 3)), columns=["f1", "f2", "f3"]).assign(kind=["p", "q"] * 75)
    frame.loc[frame.kind == "q", "f1"] += 2
    tab.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "points.csv", "mimeType": "text/csv", "buffer": frame.to_csv(index=False).encode()}]
    )
    tab.get_by_text("points.csv").first.wait_for(timeout=60_000)
    wait_for_app(tab)
    tab.get_by_role("link", name="Compare reductions").click()  # in the same session as the upload
    tab.get_by_role("heading", name="Scores: which map keeps what?").wait_for(timeout=180_000)
    wait_for_app(tab)
    pca = METHODS.index("pca")
    for width, height in ((1440, 900), (390, 844)):
        tab.set_viewport_size({"width": width, "height": height})
        wait_for_app(tab)
        scroll_to_panel(tab, pca)
        chart = shown_chart(tab)
        dot = lone(drawn_items(chart, FIELDS), pca, tab.viewport_size)
        if width == 390:
            tab.touchscreen.tap(dot["x"], dot["y"])
        else:
            tab.mouse.click(dot["x"], dot["y"])
        wait_selected(chart, "pick", [[dot["datum"]["row"]]])
        _, rings, captions = picked_view(tab)
        assert len(rings) == len(METHODS) and all(len(ringed) == 10 for ringed in rings.values())
        assert len(captions) == len(METHODS)
        screenshot(tab, f"compare-upload-{width}", full_page=False)
    assert tab.locator("[data-testid='stException']").count() == 0
    context.close()
