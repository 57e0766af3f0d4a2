"""The check against Keras' own model.fit in Chromium: on a wide screen and a phone, on a bundled data set
and an upload, the button names its cost, runs, greys out and shows the four figures within the screen."""

import re

import pytest

from testkit.chromium import screen_tab, screenshot, wait_for_app
from testkit.workloads import fruit_csv

pytestmark = pytest.mark.browser
MAIN = "[data-testid='stMain']"
LABELS = [
    "Largest weight difference",
    "Largest bottleneck difference",
    "Test accuracy, engine / Keras",
    "Training time, engine / Keras",
]
# The main area's elements whose right edge is past the screen's, and how far the main area scrolls
OVERFLOW = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const shown = '[data-testid="stMetric"], [data-testid="stMarkdownContainer"], button';
  const past = [...main.querySelectorAll(shown)]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .map((e) => e.innerText.slice(0, 40));
  return {past, scroll: main.scrollWidth - main.clientWidth};
}"""


def check_against_keras(tab) -> dict[str, str]:
    """Press the button (its label names its cost), wait for the check; the metrics shown, by label."""
    button = tab.locator(MAIN).get_by_role("button", name=re.compile(r"^Check against Keras' own model\.fit"))
    assert re.search(r"\(about \d+ s\)$", button.inner_text().strip())
    button.scroll_into_view_if_needed()
    button.click()
    done = tab.locator(MAIN).get_by_role("button", name="Checked against Keras' own model.fit")
    done.wait_for(timeout=180_000)
    wait_for_app(tab)
    assert done.is_disabled()
    assert tab.locator("[data-testid='stException']").count() == 0
    shown = {}
    for metric in tab.locator(f"{MAIN} [data-testid='stMetric']").all():
        label = metric.locator("[data-testid='stMetricLabel']").inner_text().strip()
        shown[label] = metric.locator("[data-testid='stMetricValue']").inner_text().strip()
    assert set(LABELS) <= set(shown), shown
    explained = tab.locator(MAIN).get_by_text(re.compile(r"^The same training, to float32 rounding"))
    explained.evaluate("(e) => e.scrollIntoView({block: 'start'})")  # the result, then its numbers
    return shown


def within_the_screen(tab) -> None:
    found = tab.evaluate(OVERFLOW)
    assert found["past"] == [] and found["scroll"] <= 1, found


def test_the_check_on_a_wide_screen(app_url, browser):
    with screen_tab(browser, 1440, 900) as tab:
        tab.goto(f"{app_url}/inner_layer")
        wait_for_app(tab)
        shown = check_against_keras(tab)
        assert re.fullmatch(r"[\d.]+ × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+", shown["Largest weight difference"])  # about 10⁻⁶
        assert shown["Test accuracy, engine / Keras"] == "99.5% / 99.5%"
        assert tab.locator(MAIN).get_by_text("The same training, to float32 rounding:").is_visible()
        within_the_screen(tab)
        screenshot(tab, "keras_check-1440", full_page=False)


def test_the_check_on_a_phone_where_training_amplifies_rounding(app_url, browser):
    with screen_tab(browser, 390, 844) as tab:
        tab.goto(f"{app_url}/inner_layer?data=digits")
        wait_for_app(tab)
        heading = tab.locator(MAIN).get_by_role("heading", name="8 · Checked against Keras")
        heading.evaluate("(e) => e.scrollIntoView({block: 'start'})")
        screenshot(tab, "keras_check-390-before", full_page=False)  # the button with its cost
        check_against_keras(tab)
        assert tab.locator(MAIN).get_by_text("The same training, to float32 rounding, at first:").is_visible()
        within_the_screen(tab)
        screenshot(tab, "keras_check-390", full_page=False)


def test_the_check_on_an_upload(app_url, browser):
    with screen_tab(browser, 1440, 900) as tab:
        tab.goto(f"{app_url}/inner_layer")
        wait_for_app(tab)
        tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
        tab.get_by_role("option", name="Upload a CSV…").click()
        tab.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            files=[{"name": "fruit.csv", "mimeType": "text/csv", "buffer": fruit_csv()}]
        )
        tab.locator(MAIN).get_by_text("Network 3 → 3 → 2 → 3").wait_for(
            timeout=180_000
        )  # 3 features, 3 classes
        wait_for_app(tab)
        check_against_keras(tab)
        within_the_screen(tab)
        screenshot(tab, "keras_check-upload-1440", full_page=False)
