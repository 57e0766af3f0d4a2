"""A chart on a page: the spec (built in lib/charts/, one module per page) and a menu to save it.

Building and validating an Altair chart takes longer than training the lesson's network once
it is cached, so the pages draw `ChartParts` from their templates (`lib.charts.common`), and
the charts of a cached run are also keyed by what they show and their spec reused.
Streamlit turns off Vega's own "Save as SVG / PNG" menu; `save_menu` puts it back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import altair as alt
import streamlit as st

from lib.charts.common import ChartParts, arrow_datasets, spec_of, vega_lite, with_columns
from lib.exports import CHART_FORMATS, chart_file
from lib.layouts import LAYOUTS, Layout, widest
from ui.layout import charts_key, layout_key

SAVE_AS = {"svg": "SVG (any size, for slides)", "png": "PNG (picture)", "json": "Vega-Lite source (JSON)"}


@st.cache_data(max_entries=512, max_size="64MB", show_spinner=False)  # 2-430 kB a chart
def _spec(key: Hashable, _build: Callable[[], ChartParts | alt.TopLevelMixin]) -> dict:
    [spec] = arrow_datasets(spec_of(_build()))
    return spec


def chart_spec(key: Hashable, build: Callable[[], ChartParts | alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of `build()`, cached: `key` must name everything the chart depends on."""
    return _spec(key, build)


def cached_chart(
    key: Hashable, build: Callable[[], ChartParts | alt.TopLevelMixin], name: str, place=st, **options
) -> None:
    """Draw `build()` in `place`; `key` must name everything the chart depends on."""
    draw_spec(_spec(key, build), name, place, **options)


def draw(parts: ChartParts, name: str, place=st, **options) -> None:
    """Draw a chart from its template in `place`, with the menu to save it."""
    draw_spec(parts.spec(), name, place, **options)


def draw_spec(spec: dict, name: str, place=st, **options) -> None:
    place.vega_lite_chart(spec, **options)
    save_menu(lambda: spec, name, place)


def draw_layouts(chart: str, spec_for: Callable[[Layout], dict], name: str, place=st) -> None:
    """Draw `chart` in each of its layouts (lib.layouts.LAYOUTS), each in the container the
    stylesheet (ui.layout) shows only at its widths: fewer columns on a phone. Its file is saved
    in the widest layout."""
    slots = layout_slots(chart, place)
    specs = dict(zip(slots, arrow_datasets(*map(spec_for, slots))))  # the layouts' shared data once
    for layout, slot in slots.items():
        slot.vega_lite_chart(specs[layout], width="content")
    save_menu(lambda: specs[widest(chart)], name, place)


def draw_reflowed(chart: str, spec: dict, name: str, place=st) -> None:
    """`draw_layouts` of a concatenation of panels, laid out again for each layout (its columns
    and panel size, `with_columns`) from the one spec."""
    draw_layouts(chart, lambda layout: with_columns(spec, layout.columns, layout.size), name, place)


def layout_slots(chart: str, place=st) -> dict[Layout, object]:
    """One empty slot per layout of `chart`, in the containers the stylesheet shows by width."""
    with place.container(key=charts_key(chart)):
        return {layout: st.container(key=layout_key(chart, layout.name)).empty() for layout in LAYOUTS[chart]}


@st.cache_data(max_entries=256, max_size="64MB", show_spinner=False)  # a chart in all its layouts
def _layout_specs(
    key: Hashable, chart: str, _build: Callable[[Layout], ChartParts | alt.TopLevelMixin]
) -> dict:
    layouts = LAYOUTS[chart]
    specs = arrow_datasets(*(spec_of(_build(layout)) for layout in layouts))  # a shared frame once
    return {layout.name: spec for layout, spec in zip(layouts, specs)}


def responsive_chart(
    chart: str, key: Hashable, build: Callable[[Layout], ChartParts | alt.TopLevelMixin], name: str, place=st
) -> None:
    """`draw_layouts` of `build(layout)`, every layout's spec cached in one entry under the
    chart's name and `key`: `key` must name everything else the chart depends on. Layouts that
    draw the same frames (`ChartParts.reshaped`) convert them once."""
    specs = _layout_specs(key, chart, build)
    draw_layouts(chart, lambda layout: specs[layout.name], name, place)


def show_chart(chart: alt.TopLevelMixin, name: str, place=st, **options) -> None:
    """Draw an Altair chart in `place`, with the menu to save it."""
    place.altair_chart(chart, **options)
    save_menu(lambda: vega_lite(chart), name, place)


def save_menu(spec: Callable[[], dict], name: str, place=st) -> None:
    """A small "Save chart" menu; a file is drawn only when its button is clicked."""
    with place.popover(
        "Save chart",
        icon=":material/download:",
        type="tertiary",
        help="Save this chart as a picture, or its Vega-Lite source.",
    ):
        for fmt, label in SAVE_AS.items():
            st.download_button(
                label,
                lambda fmt=fmt: chart_file(spec(), fmt),
                file_name=f"{name}.{fmt}",
                mime=CHART_FORMATS[fmt],
                on_click="ignore",
                width="stretch",
            )
