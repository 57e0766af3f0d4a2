"""The app's stylesheet: `ui/responsive.css` and, built from `lib.charts.layouts.LAYOUTS`, the rules that
show each responsive chart's one layout that fits the width there is."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st

from lib.charts.layouts import LAYOUTS, Layout

STYLESHEET = Path(__file__).with_name("responsive.css")
SHEET_ID = "bottleneck"  # the <style> element's data-sheet: the sheet hides its own element


def charts_key(chart: str) -> str:
    """The container of all layouts of a chart, e.g. compare_maps_layouts (also its CSS class): not
    the chart's name alone, which may be a setting's key (pairplot), its widget on the same page."""
    return f"{chart}_layouts"


def layout_key(chart: str, layout: str) -> str:
    """The container of one layout of a chart, e.g. compare_maps_wide (also its CSS class)."""
    return f"{chart}_{layout}"


def band_rules(chart: str, layouts: tuple[Layout, ...]) -> str:
    """CSS that hides every layout of `chart` whose band of widths its container is not in."""
    rules = [f".st-key-{charts_key(chart)} {{\n  container-type: inline-size;\n}}"]
    above = None  # the least width of the next wider layout
    for layout in layouts:
        outside = [f"(width < {layout.min_width}px)"] if layout.min_width else []
        if above is not None:
            outside.append(f"(width >= {above}px)")
        if outside:
            rules.append(
                f"@container {' or '.join(outside)} {{\n"
                f"  .st-key-{layout_key(chart, layout.name)} {{ display: none; }}\n}}"
            )
        above = layout.min_width
    return "\n".join(rules)


@cache
def stylesheet() -> str:
    """The whole stylesheet; no user text ever goes into it."""
    bands = "\n".join(band_rules(chart, layouts) for chart, layouts in LAYOUTS.items())
    # its own element takes no room at the top of the page
    itself = f'[data-testid="stElementContainer"]:has(style[data-sheet="{SHEET_ID}"]) {{ display: none; }}'
    return f'<style data-sheet="{SHEET_ID}">\n{STYLESHEET.read_text()}\n{itself}\n{bands}\n</style>'


def responsive_layout() -> None:
    """Load the stylesheet into the page, before any chart is drawn.

    Not `st.html`: Streamlit puts a style-only one in its event container, drawn by a component
    the browser loads on demand, often after the charts; until then a phone showed every layout.
    Markdown's component is loaded with the first label, and the sheet hides its own element.
    """
    st.markdown(stylesheet(), unsafe_allow_html=True)
