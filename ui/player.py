"""The epoch player: one cached Vega-Lite spec per run and layout; scrubbing and Play run in the browser.

The spec (lib.charts.player) carries every epoch, so the server draws it once per run and is not
asked again while a student scrubs or plays. It is drawn in each of its layouts (lib.layouts:
beside or under the plane), the stylesheet showing the one that fits the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from lib.charts.common import arrow_datasets
from lib.charts.player import player_specs
from lib.datasets import Dataset
from lib.layouts import LAYOUTS
from lib.training import Run
from ui.charts import draw_layouts

PLAYER_SPECS = 16  # cached players; one is about 0.1–2 MB (every epoch's points of a run)


@st.cache_data(max_entries=PLAYER_SPECS, max_size="32MB", show_spinner=False)
def _player_specs(
    run_key: Hashable, _run: Run, _dataset: Dataset, extent: tuple, more: tuple = (), _views=None
) -> dict:
    layouts = LAYOUTS["player"]
    specs = player_specs(
        _run,
        _dataset,
        extent,
        [(layout.columns, layout.size) for layout in layouts],
        _views() if _views else (),
    )
    return {layout.name: spec for layout, spec in zip(layouts, arrow_datasets(*specs))}


def epoch_player(
    run_key: Hashable,
    run: Run,
    dataset: Dataset,
    extent: tuple,
    name: str,
    place=st,
    more: tuple[str, ...] = (),
    views: Callable[[], list] | None = None,
) -> None:
    """The plane, accuracy and confusion matrix of `run` with its epoch slider and Play button;
    `run_key` must name the run (data and config). `views()` gives Altair charts drawn below that
    follow the same epoch (lib.charts.player), named by `more` for the cache."""
    specs = _player_specs(run_key, run, dataset, tuple(extent), tuple(more), views)
    draw_layouts("player", lambda layout: specs[layout.name], name, place)
