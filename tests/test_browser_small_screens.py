"""Every page on a 390 × 844 phone and a 768 × 1024 tablet: nothing reaches past the right edge."""

import pytest
from playwright.sync_api import TimeoutError

from testkit.chromium import screen_tab, screenshot, wait_for_app

pytestmark = pytest.mark.browser

# The lesson at its step without a question (the others hold their charts back until answered).
PAGES = ["", "lesson?step=5", "inner_layer", "gallery", "compare", "gradient_descent"]
SHORT_INTRO = set(PAGES)  # every page: the first chart within about one phone screen
FIRST_CHART = """() => Math.min(...[...document.querySelectorAll('.vega-embed')]
  .filter((chart) => chart.getBoundingClientRect().width > 0)
  .map((chart) => chart.getBoundingClientRect().top))"""

# Elements of the main area whose right edge is past the viewport, unless an ancestor that
# scrolls or clips (a table's own scroller) keeps them inside the screen; and how far the
# main block itself scrolls sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  const inside = (element) => {
    for (let a = element.parentElement; a && a !== main; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.display === 'none') return true;
      if (style.overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const past = [];
  for (const element of main.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !inside(element)) {
      past.push((element.getAttribute('data-testid') || element.tagName) + ' to ' + Math.round(box.right));
    }
  }
  const charts = [...main.querySelectorAll('.vega-embed canvas, .vega-embed svg')].filter(
    (chart) => chart.getBoundingClientRect().width > 0);
  return {past: past.slice(0, 10), scroll: main.scrollWidth - main.clientWidth, charts: charts.length};
}"""


@pytest.mark.parametrize("size", [(390, 844), (768, 1024)], ids=["phone", "tablet"])
def test_every_page_fits_the_screen(app_url, browser, size):
    with screen_tab(browser, size[0], size[1]) as tab:
        for name in PAGES:
            tab.goto(f"{app_url}/{name}")
            wait_for_app(tab, timeout=180_000)
            tab.wait_for_timeout(500)
            result = tab.evaluate(OVERFLOW)
            assert result["charts"] >= 1, name
            assert result["past"] == [], (name, result["past"])
            assert result["scroll"] <= 1, (name, result["scroll"])
            if size[0] == 390 and name in SHORT_INTRO:  # once Vega has laid the charts out
                try:
                    tab.wait_for_function(f"() => ({FIRST_CHART})() < 1000", timeout=30_000)
                except TimeoutError:
                    pytest.fail(f"{name}: the first chart starts at {tab.evaluate(FIRST_CHART)} px")
            if size[0] == 390:
                screenshot(tab, f"phone-{name.split('?')[0] or 'data'}")
                tab.set_viewport_size({"width": size[0], "height": size[1]})
