"""The player's trails in Chromium, on a laptop and a phone, for two and for many classes: ticking
"Show where each row came from" at epoch 10 draws one faint line per row (at most 200) through its
places at epochs 0 to 10, each ending at its row's dot; scrubbing and Play move them; none of it
sends the server a message.

What Vega drew is read from the chart's own view (its scenegraph), found by `testkit.vega.VIEW`."""

import re

import pytest

from lib.charts.player import TRAIL, TRAILS, trail_rows
from testkit.chromium import frames_sent, screen_tab, screenshot, wait_for_app
from testkit.vega import VIEW

pytestmark = pytest.mark.browser
MAIN = "[data-testid='stMain']"
PLAYER = f"{MAIN} .vega-embed:visible:has(form.vega-bindings input[type=range])"
CASES = {  # data set, viewport
    "banknotes-1440": ("banknotes", (1440, 900)),
    "banknotes-390": ("banknotes", (390, 844)),
    "wine-1440": ("wine", (1440, 900)),
    "digits-390": ("digits", (390, 844)),
}

# The trails as drawn: per line its number of points, epochs, last point, stroke and opacity;
# the plane's dots (the rows with a trail) by row; null until Vega has drawn the plane's dots.
DRAWN = f"""(element) => {{
  const view = ({VIEW})(element);
  if (!view || !view.scenegraph().root.items.length) return null;
  const lines = [], dots = {{}};
  let rows = 0;
  const walk = (group) => {{
    for (const mark of group.items || []) {{
      if (mark.name === '{TRAILS}_marks' && mark.items.length) lines.push(mark.items);
      if (mark.marktype === 'symbol') {{
        for (const item of mark.items) {{
          if (!item.datum || item.datum.{TRAIL} === undefined) continue;
          rows += 1;
          if (item.datum.{TRAIL} > 0) dots[item.datum.{TRAIL}] = [item.x, item.y];
        }}
      }}
      if (mark.marktype === 'group') mark.items.forEach(walk);
    }}
  }};
  walk(view.scenegraph().root.items[0]);
  if (!rows) return null;
  return {{
    rows,
    dots,
    lines: lines.map((items) => ({{
      row: items[0].datum.{TRAIL},
      epochs: items.map((item) => item.datum.step),
      end: [items.at(-1).x, items.at(-1).y],
      stroke: items[0].stroke,
      opacity: items[0].opacity,
      width: items[0].strokeWidth,
    }})),
  }};
}}"""


# The player's top (its controls) just under Streamlit's header bar, in the block that scrolls.
SCROLL_TO = """(element) => {
  element.scrollIntoView({block: 'start'});
  let box = element.parentElement;
  while (box && box.scrollTop === 0) box = box.parentElement;
  if (box) box.scrollTop -= 64;
}"""


def drawn(player, epochs: int | None) -> dict:
    """The trails once Vega draws each through `epochs` + 1 places (None: once it draws none)."""
    player.page.wait_for_function(
        f"""([element, epochs]) => {{
          const shown = ({DRAWN})(element);
          if (!shown) return false;
          return epochs === null ? shown.lines.length === 0
            : shown.lines.length > 0 && shown.lines.every((line) => line.epochs.length === epochs + 1);
        }}""",
        arg=[player.element_handle(), epochs],
        timeout=60_000,
    )
    return player.evaluate(DRAWN)


@pytest.mark.parametrize("case", CASES)
def test_trails_follow_the_scrubber_and_play_without_the_server(app_url, browser, case):
    data, (width, height) = CASES[case]
    with screen_tab(browser, width, height) as tab:
        sent = frames_sent(tab)
        tab.goto(f"{app_url}/inner_layer?data={data}")
        wait_for_app(tab)
        player = tab.locator(PLAYER).first
        player.wait_for(timeout=120_000)
        bind = player.locator(".vega-bind").filter(has_text="Show where each row came from")
        toggle = bind.locator("input[type=checkbox]")
        play = player.locator(".vega-bind").filter(has_text=re.compile(r"^Play")).locator("input")
        scrubber = player.locator("input[type=range]")
        last = int(scrubber.get_attribute("max"))
        assert not toggle.is_checked() and not play.is_checked()
        shown = drawn(player, None)
        assert shown["lines"] == []  # off at first
        rows = shown["rows"]
        trails = len(trail_rows(rows, last + 1))  # 200 of the lesson's 412 rows, every one of wine's
        label = bind.inner_text()
        assert (f"({trails} random rows)" in label) == (trails < rows), label
        for control in (play, scrubber, toggle, bind.locator(".vega-bind-name")):  # on screen, with its label
            box = control.bounding_box()
            assert box and 0 <= box["x"] and box["x"] + box["width"] <= width, (case, box)

        tab.wait_for_timeout(500)
        sent.clear()
        scrubber.fill("10")
        toggle.check()
        shown = drawn(player, 10)
        assert len(shown["lines"]) == trails == len(shown["dots"]), (case, rows)
        assert sorted(line["row"] for line in shown["lines"]) == list(range(1, trails + 1))
        for line in shown["lines"]:
            assert line["epochs"] == list(range(11)), line  # epochs 0 to 10, in order
            dot = shown["dots"][str(line["row"])]
            assert line["end"] == pytest.approx(dot, abs=0.01), line  # ends at its row's dot
            assert line["opacity"] <= 0.5 and line["width"] <= 1 and line["stroke"], line  # faint, thin
        tab.evaluate("() => document.activeElement && document.activeElement.blur()")
        player.evaluate(SCROLL_TO)
        screenshot(tab, f"trails-{case}", full_page=False)

        scrubber.fill("3")
        assert [line["epochs"] for line in drawn(player, 3)["lines"]] == [[0, 1, 2, 3]] * trails
        play.check()  # plays on from epoch 3 and stops itself at the last epoch
        tab.wait_for_function("(box) => !box.checked", arg=play.element_handle(), timeout=60_000)
        assert scrubber.input_value() == str(last)
        assert [line["epochs"] for line in drawn(player, last)["lines"]] == [list(range(last + 1))] * trails
        toggle.uncheck()
        drawn(player, None)
        assert sent == [], f"{case}: {len(sent)} websocket messages to the server"
        assert tab.locator("[data-testid='stException']").count() == 0
