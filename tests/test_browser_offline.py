"""A fresh machine: nothing in the environment, an empty home and cache; the lesson still draws."""

import os

import pytest

from testkit.chromium import wait_for_app
from testkit.server import start_server, stop_server

pytestmark = pytest.mark.browser


def test_the_lesson_draws_its_plane_with_an_empty_environment(page, tmp_path):
    home, cache = tmp_path / "home", tmp_path / "cache"
    home.mkdir()
    cache.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_CACHE_HOME": str(cache)}
    process, url = start_server(env=env, inherit_env=False)
    try:
        page.goto(f"{url}/inner_layer")
        wait_for_app(page)  # every chart on screen drawn
        page.get_by_text("Trainable parameters").wait_for()
        main = page.locator("[data-testid='stMain']")
        assert main.get_by_role("heading", name="The free lab: inner layers").is_visible()
        assert "on 412 test rows" in main.locator("[data-testid='stCaptionContainer']").first.inner_text()
        plane = main.locator(".vega-embed").first  # the learned representation: the player's plane
        assert plane.locator("canvas, svg").first.bounding_box()["width"] > 100
        assert main.locator("[data-testid='stException']").count() == 0
        assert main.locator("[data-testid='stAlertContentError']").count() == 0
        assert "could not be downloaded" not in page.locator("body").inner_text()
    finally:
        stop_server(process)
    assert not [p for p in tmp_path.rglob("*") if "banknote" in p.name.lower()]  # nothing fetched
