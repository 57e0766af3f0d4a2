"""A chart on a page: the spec (built in lib/charts/, one module per page) and a menu to save it.

Building and validating an Altair chart takes longer than training the lesson's network once
it is cached, so charts of a cached run are keyed by what they show and their spec reused.
Streamlit turns off Vega's own "Save as SVG / PNG" menu; `save_menu` puts it back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import altair as alt
import streamlit as st

from lib.charts.common import vega_lite, with_columns
from lib.exports import CHART_FORMATS, chart_file
from ui import state

SAVE_AS = {"svg": "SVG (any size, for slides)", "png": "PNG (picture)", "json": "Vega-Lite source (JSON)"}


@st.cache_data(max_entries=512, show_spinner=False)
def _spec(key: Hashable, _build: Callable[[], alt.TopLevelMixin]) -> dict:
    return vega_lite(_build())


def chart_spec(key: Hashable, build: Callable[[], alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of `build()`, cached: `key` must name everything the chart depends on."""
    return _spec(key, build)


def cached_chart(
    key: Hashable, build: Callable[[], alt.TopLevelMixin], name: str, place=st, **options
) -> None:
    """Draw `build()` in `place`; `key` must name everything the chart depends on."""
    spec = _spec(key, build)
    place.vega_lite_chart(spec, **options)
    save_menu(lambda: spec, name, place)


def responsive_chart(
    chart: alt.TopLevelMixin, name: str, container: str, layouts: tuple[tuple[str, int], ...]
) -> None:
    """Draw a `concat` chart once per layout (name, columns) in containers that
    `ui/responsive.css` shows one at a time by the width there is: fewer columns on a phone."""
    spec = vega_lite(chart)
    with st.container(key=container):
        for layout, columns in layouts:
            st.container(key=state.layout_key(container, layout)).vega_lite_chart(
                with_columns(spec, columns), width="content"
            )
    save_menu(lambda: spec, name)


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
