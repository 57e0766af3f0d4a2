"""A responsive chart is drawn once, in the layout that fits the width the browser tells the
server (ui/layout.py), and again in another layout when that width changes band."""

import pytest
from playwright.sync_api import expect

from lib.charts.layouts import LAYOUTS
from testkit.chromium import screen_tab, wait_for_app

pytestmark = pytest.mark.browser

RESPONSIVE = ("player", "evolution", "curves", "model")  # the inner-layer page's
CHARTS = "[data-testid='stVegaLiteChart']"
WIDER = """(least) => [...document.querySelectorAll('.st-key-player_layouts [data-testid=stVegaLiteChart]')]
  .some((chart) => chart.getBoundingClientRect().width > least)"""


def drawn(tab, chart: str):
    return tab.locator(f".st-key-{chart}_layouts {CHARTS}")


def test_each_responsive_chart_is_drawn_once_in_the_layout_that_fits(app_url, browser):
    with screen_tab(browser, 390, 844) as tab:
        tab.goto(f"{app_url}/inner_layer?epochs=6")
        wait_for_app(tab)
        for chart in RESPONSIVE:
            expect(drawn(tab, chart)).to_have_count(1, timeout=60_000)
        # the phone's layouts: the plane above its accuracy, no wider than the phone
        phone = drawn(tab, "player").bounding_box()["width"]
        assert phone <= 390
        assert tab.locator(f".st-key-player_{LAYOUTS['player'][0].name}").count() == 0  # not sent
        tab.set_viewport_size({"width": 1440, "height": 900})  # the page drawn again, wide:
        tab.wait_for_function(WIDER, arg=1.5 * phone, timeout=60_000)  # the plane beside them
        wait_for_app(tab)
        for chart in RESPONSIVE:
            expect(drawn(tab, chart)).to_have_count(1, timeout=60_000)
