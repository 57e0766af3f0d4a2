"""The inner-layer page in headless Chromium: it loads at its URL, draws, reacts and plays."""

import re

import pytest

from conftest import screenshot, wait_for_app

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


def test_page_loads_draws_and_follows_the_epochs_slider(app_url, page):
    open_page(page, app_url)
    assert page.get_by_role("heading", name="Inner layers: the lesson").is_visible()
    assert page.locator(".vega-embed").count() >= 5  # plane, matrix, panels, curves, diagram
    assert page.locator("[data-testid='stException']").count() == 0
    assert "25 epochs" in page.locator(CAPTION).first.inner_text()
    assert page.get_by_text("Test accuracy after epoch 25").is_visible()

    thumb = slider_thumb(page, "Epochs")
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    page.locator(CAPTION).filter(has_text="24 epochs").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text("Test accuracy after epoch 24").wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "inner_layer")


def test_play_animates_the_plane_through_the_epochs(app_url, page):
    open_page(page, app_url)
    thumb = slider_thumb(page, "Epochs")
    thumb.focus()
    page.keyboard.press("Home")  # 1 epoch, then up to 6: a short run plays quickly
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # six key presses faster than a run: each interrupts the last, and the page ends consistent
    page.locator(CAPTION).filter(has_text="6 epochs").wait_for(timeout=60_000)
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    page.get_by_role("button", name="Play").click()
    seen = set()
    label = re.compile(r"Test accuracy after epoch (\d+)")
    for _ in range(60):
        text = page.locator("[data-testid='stMetric']").first.inner_text()
        if match := label.search(text):
            seen.add(int(match.group(1)))
        if page.get_by_role("button", name="Play").count() and len(seen) > 2:
            break
        page.wait_for_timeout(150)
    assert len(seen) >= 3 and max(seen) == 6, seen  # it stepped through epochs to the last
    page.get_by_role("button", name="Play").wait_for(timeout=10_000)  # and stopped by itself
    assert page.locator("[data-testid='stException']").count() == 0
