"""The bottleneck plane in Chromium, on every page that shows the epoch player, on a laptop and on a
phone: its dashed decision line is drawn, its epoch slider and Play are in view with it, and on a
phone it is drawn at full scale, most of the column wide, the lesson's grid of epochs one screen high.

What Vega drew is read from the chart's own view (its scenegraph), found by `testkit.vega.VIEW`."""

import pytest

from lib import lesson
from lib.charts.player import DECISION_LINE
from testkit.chromium import screen_tab, screenshot, wait_for_app
from testkit.vega import VIEW

pytestmark = pytest.mark.browser
MAIN = "[data-testid='stMain']"
PAGES = ["inner_layer", "lesson?step=3", "lesson?step=5"]  # the pages that show the player
SIZES = {"laptop": (1440, 900), "phone": (390, 844)}
PLAYER = f"{MAIN} .vega-embed:visible:has(form.vega-bindings input[type=range])"
GRID = f"{MAIN} [class*='st-key-evolution_'] .vega-embed:visible"


# The plane as drawn, in px of the page's viewport: its plot (the group of its decision line's
# mark), the line's ends inside it, the slider, and how much the chart is scaled to fit its column.
# null until Vega has drawn the plane.
PLANE = f"""(element) => {{
  const view = ({VIEW})(element);
  if (!view || !view.scenegraph().root.items.length) return null;
  const marks = [];
  const walk = (group) => {{
    for (const mark of group.items || []) {{
      if (mark.name === '{DECISION_LINE}_marks') marks.push(mark);
      if (mark.marktype === 'group') mark.items.forEach(walk);
    }}
  }};
  walk(view.scenegraph().root.items[0]);
  if (marks.length !== 1 || !(marks[0].group.width > 0)) return null;
  const [mark] = marks;
  let [x, y] = view.origin();
  for (let group = mark.group; group; group = group.mark && group.mark.group) {{
    x += group.x || 0;
    y += group.y || 0;
  }}
  const canvas = element.querySelector('canvas');
  const box = canvas.getBoundingClientRect();
  const scale = box.width / parseFloat(canvas.style.width);
  const {{width, height}} = mark.group;
  const ends = mark.items.filter((item) => Number.isFinite(item.x) && Number.isFinite(item.y)
    && item.x >= -1 && item.x <= width + 1 && item.y >= -1 && item.y <= height + 1);
  const slider = element.querySelector('form.vega-bindings input[type=range]').getBoundingClientRect();
  return {{
    scale,
    plot: {{top: box.top + scale * y, bottom: box.top + scale * (y + height), width: scale * width}},
    ends: ends.map((item) => [item.x, item.y]),
    dashed: mark.items.every((item) => Array.isArray(item.strokeDash) && item.strokeDash.length > 0),
    slider: {{top: slider.top, bottom: slider.bottom}},
    column: element.closest('[class*="st-key-player_layouts"]').getBoundingClientRect().width,
    screen: window.innerHeight,
  }};
}}"""


def open_page(tab, app_url: str, page: str) -> None:
    """The page with its player drawn: a lesson step's question answered first (it holds the view back)."""
    tab.goto(f"{app_url}/{page}")
    number = int(page.partition("step=")[2] or 0)
    question = lesson.step(number).question if number else None
    if question is not None:
        radio = tab.locator(f"{MAIN} [data-testid='stRadio']").filter(has_text="Predict, then reveal")
        radio.get_by_text(question.options[question.right], exact=True).click(timeout=180_000)
        tab.get_by_text(question.explanations[question.right][:60]).wait_for(timeout=180_000)
    wait_for_app(tab)
    tab.locator(PLAYER).first.wait_for(timeout=120_000)


def drawn_plane(tab) -> dict:
    player = tab.locator(PLAYER).first.element_handle()
    tab.wait_for_function(f"(element) => ({PLANE})(element) !== null", arg=player, timeout=60_000)
    return player.evaluate(PLANE)


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_the_plane_draws_its_decision_line_with_its_controls_in_view(app_url, browser, size):
    width, height = SIZES[size]
    with screen_tab(browser, width, height) as tab:
        for page in PAGES:
            open_page(tab, app_url, page)
            plane = drawn_plane(tab)
            ends = plane["ends"]
            assert len(ends) == 2 and plane["dashed"], (page, size, plane)  # the line, in the plane
            assert abs(ends[0][0] - ends[1][0]) + abs(ends[0][1] - ends[1][1]) > 20, (page, size, ends)
            top = min(plane["plot"]["top"], plane["slider"]["top"])
            bottom = max(plane["plot"]["bottom"], plane["slider"]["bottom"])
            assert bottom - top <= plane["screen"], (page, size, plane)  # slider and plane: one screen
            if size == "phone":
                assert plane["scale"] > 0.99, (page, plane)  # not shrunk to fit the column
                assert plane["plot"]["width"] >= 0.75 * plane["column"], (page, plane)
            if size == "phone" and page == "lesson?step=3":  # the grid of epochs below the player
                assert tab.locator(GRID).first.bounding_box()["height"] <= height
            screenshot(tab, f"plane-{page.replace('?step=', '-step')}-{size}")
            tab.set_viewport_size({"width": width, "height": height})
