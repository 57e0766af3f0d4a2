"""The epoch player: one cached Vega-Lite spec per run; scrubbing and Play run in the browser.

The spec (lib.charts.player) carries every epoch, so the server draws it once per run and is not
asked again while a student scrubs or plays.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from lib.charts.player import player_spec
from lib.datasets import Dataset
from lib.training import Run
from ui.charts import save_menu

PLAYER_SPECS = 16  # cached players; one is about 0.1–2 MB (every epoch's points of a run)


@st.cache_data(max_entries=PLAYER_SPECS, max_size="32MB", show_spinner=False)
def _player_spec(
    run_key: Hashable, _run: Run, _dataset: Dataset, extent: tuple, more: tuple = (), _views=None
) -> dict:
    return player_spec(_run, _dataset, extent, more=_views() if _views else ())


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
    spec = _player_spec(run_key, run, dataset, tuple(extent), tuple(more), views)
    place.vega_lite_chart(spec, width="content")
    save_menu(lambda: spec, name, place)
