"""A shared link in headless Chromium: the page opens with its settings; the gallery draws."""

import pytest

from testkit.chromium import screenshot, wait_for_app

pytestmark = pytest.mark.browser
SIDEBAR = "[data-testid='stSidebar']"
CAPTION = "[data-testid='stMain'] [data-testid='stCaptionContainer']"


def test_a_shared_link_opens_the_inner_layer_page_with_its_settings(app_url, page):
    page.goto(f"{app_url}/inner_layer?epochs=7&optimizer=adam&hidden=5&lr=-3")
    wait_for_app(page)
    page.get_by_text("Trainable parameters").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    epochs = page.locator(f"{SIDEBAR} [data-testid='stSlider']").filter(has_text="Epochs")
    assert epochs.locator("[data-testid='stSliderThumbValue']").inner_text() == "7"
    nodes = page.locator(f"{SIDEBAR} [data-testid='stSlider']").filter(has_text="Nodes in hidden layer 1")
    assert nodes.locator("[data-testid='stSliderThumbValue']").inner_text() == "5"
    assert page.locator(SIDEBAR).get_by_role("combobox", name="Optimizer").input_value() == "Adam"
    caption = page.locator(CAPTION).first.inner_text()
    assert "4 → 5 → 2 → 1" in caption and "7 epochs" in caption
    assert page.get_by_text("The link's learning rate was out of range").is_visible()
    assert "epochs=7" in page.url and "lr=0.0001" in page.url  # the address bar is the link
    page.get_by_role("button", name="Copy link to these settings").click()
    code = page.locator("[data-testid='stPopoverBody'] code").inner_text()
    assert code.startswith(f"{app_url}/inner_layer?") and "optimizer=adam" in code
    screenshot(page, "shared_link")
    page.keyboard.press("Escape")
    # quick changes win over the link: a rerun that carries an older address must not re-apply it
    epochs.get_by_role("slider").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.locator(CAPTION).filter(has_text="10 epochs").wait_for(timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    assert "10 epochs" in page.locator(CAPTION).first.inner_text() and "epochs=10" in page.url


def test_the_gallery_draws_six_aligned_runs(app_url, page):
    page.goto(f"{app_url}/gallery?epochs=25")
    wait_for_app(page)
    page.get_by_text("Test accuracy over the seeds").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    charts = page.locator(".vega-embed:visible")  # one layout per width band; the one that fits shows
    assert charts.count() == 1
    # Streamlit turns Vega's own action menu off and offers PNG export in the chart's toolbar;
    # the "Save chart" menu under the chart puts SVG and the Vega-Lite source back
    charts.hover()
    page.get_by_role("button", name="Download as PNG").wait_for()
    page.get_by_role("button", name="Save chart").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="SVG (any size, for slides)").click()
    assert download.value.suggested_filename == "reinitializations_banknotes.svg"
    svg = open(download.value.path(), encoding="utf-8").read()
    assert svg.startswith("<svg") and "disparity 0.000" in svg and "test accuracy" in svg
    screenshot(page, "gallery")


def thumb(page, label: str) -> str:
    slider = page.locator(f"{SIDEBAR} [data-testid='stSlider']").filter(has_text=label)
    return slider.locator("[data-testid='stSliderThumbValue']").inner_text()


def test_the_network_controls_follow_to_every_page_and_a_classroom_link_holds(app_url, page):
    page.goto(f"{app_url}/inner_layer?epochs=7&hidden=6&lock=epochs&hide=seed")
    wait_for_app(page)
    assert page.get_by_text("Make a classroom link").count() == 0
    for title, path in (("Compare reductions", "/compare"), ("Re-initializations", "/gallery")):
        page.locator(SIDEBAR).get_by_role("link", name=title).click()
        page.wait_for_url(f"**{path}?*")
        wait_for_app(page)
        # the same controls in the sidebar, with the values drawn on the page before
        assert thumb(page, "Epochs") == "7" and thumb(page, "Nodes in hidden layer 1") == "6", title
        assert page.locator(SIDEBAR).get_by_text("set by your teacher's link").is_visible()
        assert page.locator(SIDEBAR).get_by_role("spinbutton", name="Weights seed").count() == 0
        assert "4 → 6 → 2 → 1" in page.locator(CAPTION).first.inner_text()
        assert "lock=epochs" in page.url and "hide=seed" in page.url
    screenshot(page, "classroom_gallery")
