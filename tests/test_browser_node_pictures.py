"""The node pictures in the network, in Chromium, on a laptop and on a phone: each hidden node's
picture drawn at its node (at least 96 px on a laptop), nothing past the screen's right edge, and
the epoch slider moving every picture without a message to the server; clicking a picture picks
its node.

What Vega drew is read from the chart's own view (its scenegraph), found by `testkit.vega.VIEW`."""

import pytest

from lib.charts.inside import PICK
from testkit.chromium import frames_sent, screen_tab, screenshot, wait_for_app
from testkit.vega import node_pictures, wait_selected

pytestmark = pytest.mark.browser
MAIN = "[data-testid='stMain']"
SIZES = {"laptop": (1440, 900), "phone": (390, 844)}
SCRUBBED = f"{MAIN} .vega-embed:visible:has(form.vega-bindings input[type=range])"


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_the_pictures_sit_in_the_network_and_follow_the_epoch_in_the_browser(app_url, browser, size):
    width, height = SIZES[size]
    with screen_tab(browser, width, height) as tab:
        sent = frames_sent(tab)
        tab.goto(f"{app_url}/inner_layer?node_pictures=true&epochs=6")
        wait_for_app(tab)
        tab.get_by_text("Each small picture is").first.wait_for(timeout=120_000)
        nodes = tab.locator(SCRUBBED).filter(has_not_text="Show where each row came from")  # not the player
        nodes.scroll_into_view_if_needed()
        shown = node_pictures(nodes)
        pictures = shown["pictures"]
        assert sorted(p["node"] for p in pictures) == sorted(
            [f"hidden_1 · node {k}" for k in (1, 2, 3)] + [f"bottleneck · node {k}" for k in (1, 2)]
        )  # the lesson's deeper network: 4 → 3 → 2 → 1
        if size == "laptop":
            assert min(p["width"] for p in pictures) >= 96 and min(p["height"] for p in pictures) >= 96
            first = [p for p in pictures if p["node"].startswith("hidden_1")]
            assert max(p["left"] for p in first) < min(p["left"] for p in pictures if p not in first)
        else:  # layers top to bottom
            first = [p for p in pictures if p["node"].startswith("hidden_1")]
            assert max(p["top"] for p in first) < min(p["top"] for p in pictures if p not in first)
        assert max(p["left"] + p["width"] for p in pictures) <= width and shown["right"] <= width
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing past the edge
        screenshot(tab, f"node-pictures-{size}", full_page=False)

        tab.wait_for_timeout(500)
        sent.clear()
        scrubber = nodes.locator("input[type=range]")
        scrubber.fill("0")
        before_training = node_pictures(nodes, other_than=shown["dots"])  # every picture's dots recoloured
        scrubber.fill("6")
        node_pictures(nodes, other_than=before_training["dots"])
        assert sent == [], f"{size}: {len(sent)} websocket messages to the server"

        picture = next(p for p in pictures if p["node"] == "bottleneck · node 2")
        tab.mouse.click(picture["left"] + 4, picture["top"] + picture["height"] - 4)  # a corner, or a dot
        wait_selected(nodes, PICK, [["bottleneck · node 2"]])  # clicking a picture picks its node
        screenshot(tab, f"node-pictures-{size}-picked", full_page=False)
        assert tab.locator("[data-testid='stException']").count() == 0
