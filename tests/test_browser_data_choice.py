"""The data choice in Chromium: wine from the sidebar, then a bad and a good CSV through the uploader."""

import numpy as np
import pandas as pd
import pytest

from testkit.chromium import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def choose(tab, label: str) -> None:
    tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    tab.get_by_role("option", name=label).click()


def metrics(tab) -> list:
    return tab.locator("[data-testid='stMetricValue']").all_inner_texts()


def upload(tab, name: str, data: bytes) -> None:
    tab.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )


def assert_no_exception_on_page(tab):
    assert tab.locator("[data-testid='stException']").count() == 0


def test_wine_then_a_bad_and_a_good_upload(app_url, page):
    page.goto(app_url)
    wait_for_app(page)
    choose(page, "Wine (the exercise)")
    page.get_by_text("178", exact=True).wait_for(timeout=60_000)
    wait_for_app(page)
    assert metrics(page) == ["178", "13", "3"]
    balance = page.locator("[data-testid='stCaptionContainer']").filter(has_text="Class balance")
    assert "class_2" in balance.inner_text()  # the class balance names all 3 classes
    assert page.locator(".vega-embed:visible").count() == 1  # the pairplot, in the layout that fits
    assert_no_exception_on_page(page)
    screenshot(page, "data-wine")

    choose(page, "Upload a CSV…")
    page.get_by_text("Upload a CSV file in the sidebar").wait_for(timeout=30_000)
    prices = b"area,rooms,price\n" + b"".join(
        f"{50 + i},{1 + i % 5},{1000 + 37.5 * i:.1f}\n".encode() for i in range(80)
    )
    upload(page, "houses.csv", prices)
    page.get_by_text("looks like a measurement").wait_for(timeout=30_000)
    assert page.locator("[data-testid='stAlertContentError']").count() == 1
    assert_no_exception_on_page(page)
    screenshot(page, "data-upload-bad")

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "size": rng.normal(size=90),
            "weight": rng.normal(size=90),
            "colour": ["red", "green", "blue"] * 30,
            "kind": ["a", "b", "c"] * 30,
        }
    )
    frame.loc[frame.kind == "b", "size"] += 3
    upload(page, "fruit.csv", frame.to_csv(index=False).encode())
    page.get_by_text("fruit.csv").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert metrics(page) == ["90", "2", "3"]
    assert page.get_by_text("'colour'").first.is_visible()  # the dropped text column is named
    assert_no_exception_on_page(page)
    screenshot(page, "data-upload-good")
