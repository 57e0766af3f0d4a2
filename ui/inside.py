"""The two views inside the network, as followers of the epoch player (they show the epoch its
slider and Play show): every hidden node's picture beside the diagram, and the input space
bending. The text saying how to read each is drawn in its own section below the player."""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from lib import inside
from lib.charts import inside as charts
from lib.charts.common import arrow_datasets
from lib.charts.plane import plane_extent
from lib.datasets import Dataset
from lib.training import Run
from ui.charts import save_menu

VIEWS = ("nodes", "bending")


def followers(run: Run, dataset: Dataset, which=VIEWS) -> list:
    """The chosen views of `run`, every epoch inside, for `ui.player.epoch_player(views=...)`."""
    epochs = range(run.config.epochs + 1)
    built = {
        "nodes": lambda: charts.nodes_view(run, inside.node_frame(run, dataset, epochs)),
        "bending": lambda: charts.bending_view(
            run, inside.bending_frame(run, dataset, epochs), plane_extent(run.snapshots)
        ),
    }
    return [built[name]() for name in which]


@st.cache_data(max_entries=16, max_size="16MB", show_spinner=False)
def _view_spec(run_key: Hashable, name: str, _run: Run, _dataset: Dataset) -> dict:
    [view] = followers(_run, _dataset, (name,))
    [spec] = arrow_datasets(charts.with_scrubber(view, _run.config.epochs))
    return spec


def view_player(run_key: Hashable, run: Run, dataset: Dataset, name: str, file_name: str, place=st) -> None:
    """One view (of VIEWS) with an epoch slider and Play of its own, drawn in `place`."""
    spec = _view_spec(run_key, name, run, dataset)
    place.vega_lite_chart(spec, width="content")
    save_menu(lambda: spec, file_name, place)


def node_text(run: Run, dataset: Dataset, place=st) -> None:
    """How to read the node pictures."""
    explained = inside.input_plane(dataset, run).explained
    place.markdown(
        "Each small picture is **one hidden node** (a column per layer, as in the "
        "diagram above them). Its dots are test rows, placed by the first two **principal "
        f"components** of the inputs (PC 1 across, {explained[0]:.0%} of the variance; PC 2 up, "
        f"{explained[1]:.0%}): the same place in every picture. The colour is how strongly that node "
        "fires for the row, from its lowest (dark) to its highest (yellow) value at the epoch shown. "
        "A node that outputs one value for every row is labelled **dead**; one that only repeats "
        "another node of its layer, **same as node k**. **Click** a picture or a node of the diagram "
        "to pick that node in both (double-click clears)."
    )
    if max(run.layer_sizes[1:-1]) > inside.MOST_NODES:
        place.caption(f"Wide layers show their first {inside.MOST_NODES} nodes, as the diagram does.")


def bending_text(place=st) -> None:
    """What the bent grid is, honestly."""
    place.markdown(
        "A regular grid laid over the inputs is pushed through the network to the bottleneck: watch "
        "the network **bend its input space** until a straight line can cut the classes apart. "
        "Honestly, the grid is only **one flat slice** of the input space: the plane of its first two "
        "principal components, every other direction held at the training rows' mean. Rows off that "
        "slice (most of them) land between its lines, not on them."
    )
