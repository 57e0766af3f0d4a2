"""The inner-layer page in headless Chromium: it loads at its URL, draws, reacts and plays."""

import re

import pytest

from testkit.chromium import screenshot, wait_for_app

pytestmark = pytest.mark.browser
CAPTION = "[data-testid='stMain'] [data-testid='stCaptionContainer']"


def open_page(tab, app_url):
    tab.goto(f"{app_url}/inner_layer")
    wait_for_app(tab)
    tab.get_by_text("Trainable parameters").wait_for()


def wait_idle(tab):
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)


def slider_thumb(tab, label):
    box = tab.locator("[data-testid='stSidebar'] [data-testid='stSlider']").filter(has_text=label)
    return box.get_by_role("slider")


# Vega draws on a canvas: record the texts it draws that name an epoch (the player's title)
RECORD_TITLES = """
window.__titles = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  if (typeof text === 'string' && /^Epoch \\d+ · test accuracy/.test(text)) window.__titles.push(text);
  return fillText.call(this, text, ...rest);
};
"""
TITLE = re.compile(r"Epoch (\d+) · test accuracy ([\d.]+)%")


def titles(tab) -> list[str]:
    return tab.evaluate("window.__titles")


def last_title(tab) -> str:
    return titles(tab)[-1]


def test_page_loads_draws_and_follows_the_epochs_slider(app_url, page):
    page.add_init_script(RECORD_TITLES)
    open_page(page, app_url)
    assert page.get_by_role("heading", name="The free lab: inner layers").is_visible()
    assert page.locator(".vega-embed").count() >= 4  # player, panels, curves, diagram
    assert page.locator("[data-testid='stException']").count() == 0
    assert "25 epochs" in page.locator(CAPTION).first.inner_text()
    page.wait_for_function("() => window.__titles.length > 0")
    assert last_title(page).startswith("Epoch 25 · test accuracy")

    thumb = slider_thumb(page, "Epochs")
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    page.locator(CAPTION).filter(has_text="24 epochs").wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_function("() => window.__titles.at(-1).startsWith('Epoch 24 ·')")
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "inner_layer")


def test_play_and_the_scrubber_run_in_the_browser_without_the_server(app_url, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.add_init_script(RECORD_TITLES)
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    open_page(page, app_url)
    thumb = slider_thumb(page, "Epochs")
    thumb.focus()
    page.keyboard.press("Home")  # 1 epoch, then up to 6: a short run plays quickly
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # six key presses faster than a run: each interrupts the last, and the page ends consistent
    page.locator(CAPTION).filter(has_text="6 epochs").wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_function("() => (window.__titles.at(-1) || '').startsWith('Epoch 6 ·')")
    assert page.locator("[data-testid='stException']").count() == 0
    play = page.locator(
        ".vega-bindings input[type=checkbox]"
    ).first  # the plane's (each inside view has its own)
    scrubber = page.locator(".vega-bindings input[type=range]").first
    for control in (play, scrubber, page.locator(".vega-embed canvas").first):  # in view at 1440 × 900
        box = control.bounding_box()
        assert box and box["y"] + box["height"] <= 900, box

    page.wait_for_timeout(500)
    sent.clear()
    page.evaluate("window.__titles = []")
    play.check()
    page.wait_for_function("() => (window.__titles.at(-1) || '').startsWith('Epoch 6 ·')", timeout=30_000)
    page.wait_for_timeout(300)
    shown = [int(TITLE.match(t).group(1)) for t in titles(page)]
    steps = [e for i, e in enumerate(shown) if i == 0 or e != shown[i - 1]]
    assert steps[0] == 0 and steps[-1] == 6 and steps == sorted(steps) and len(steps) >= 4, steps
    assert not play.is_checked()  # it stopped by itself at the last epoch
    assert scrubber.input_value() == "6"  # the slider names the epoch the title names

    scrubber.fill("2")  # scrubbing: the title follows, still without the server
    page.wait_for_function("() => window.__titles.at(-1).startsWith('Epoch 2 ·')")
    assert sent == [], f"{len(sent)} websocket messages to the server"
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "inner_layer_player")
    context.close()
