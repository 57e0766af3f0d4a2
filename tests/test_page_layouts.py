"""Grids that reduce their columns on small screens: one layout per width band, and the stylesheet."""

from conftest import ROOT, app_test, assert_no_exception, chart_specs
from ui import state


def test_the_gallery_draws_3_2_and_1_columns_of_the_same_maps():
    at = app_test("app_pages/gallery.py")
    assert_no_exception(at)
    specs = chart_specs(at)
    assert [spec["columns"] for spec in specs[:3]] == [3, 2, 1]
    assert specs[0]["concat"] == specs[1]["concat"] == specs[2]["concat"]


def test_the_stylesheet_shows_one_layout_per_width_and_is_loaded_on_every_page():
    css = (ROOT / "ui" / "responsive.css").read_text()
    for container in (state.COMPARE_MAPS, state.GALLERY_MAPS):
        assert f".st-key-{container} {{\n  container-type: inline-size;" in css
        for layout in ("wide", "medium", "narrow"):
            assert css.count(f".st-key-{state.layout_key(container, layout)} {{ display: none; }}") == 1
    assert "ui.layout import responsive_layout" in (ROOT / "streamlit_app.py").read_text()
