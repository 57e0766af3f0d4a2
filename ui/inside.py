"""How to read the two views inside the network (lib.charts.inside): every hidden node's picture
at its node in the network, and the input space bending; drawn in its own section below the view.

On the free lab each view is built only when its switch is on: its frames for every epoch cost a new
run about as much as training, and most changes of the network are looked at in the plane first.
"""

from __future__ import annotations

import streamlit as st

from lib.datasets import Dataset
from lib.settings import Flag, Setting
from lib.training import Run
from ui.charts import chart, say_untold
from ui.classroom import draw
from ui.layout import chosen_layout

NODE_PICTURES = Setting(
    "node_pictures",
    Flag(),
    False,
    "pictures of every node",
    "Draw every node's picture",
    "Builds a picture of each hidden node for every epoch of this run; off, a new run is quicker.",
)
BENDING_GRID = Setting(
    "bending_grid",
    Flag(),
    False,
    "bent grid",
    "Draw the bent grid",
    "Pushes a grid through the network at every epoch of this run; off, a new run is quicker.",
)
SETTINGS = (NODE_PICTURES, BENDING_GRID)
SWITCHED_OFF = (
    "Switch it on to build this view for the current run, every epoch of it (a moment for each new "
    "run). It is off at first so that every change of the network redraws the plane above quickly."
)


def view_on_request(setting: Setting, run: Run, dataset: Dataset, view: str, name: str) -> None:
    """The view (of lib.charts.inside.VIEWS) with its own epoch slider, drawn while `setting`'s switch
    is on, in the player's layout for the width the browser told (like every responsive chart, not
    built until it is told: a line says it is coming); else a line saying what switching it on does."""
    if not draw(setting):
        st.caption(SWITCHED_OFF)
        return
    layout = chosen_layout("player")
    if layout is None:
        say_untold()
        return
    from lib.charts.inside import view_with_scrubber  # scikit-learn: not before a network page

    chart(view_with_scrubber, run, dataset, view, layout, name=name, width="content")


@st.cache_data(max_entries=64, max_size="1MB", show_spinner=False)  # two numbers each
def _explained(fingerprint: str, split: tuple, _dataset: Dataset, _run: Run) -> tuple[float, float]:
    """The input plane's share of variance per axis: the same for every run of one data set and split
    (the training rows'), so it is not fit again on every run of the page."""
    from lib import inside

    return tuple(float(share) for share in inside.input_plane(_dataset, _run).explained)


def node_text(run: Run, dataset: Dataset, place=st) -> None:
    """How to read the node pictures."""
    from lib import inside  # scikit-learn: not before a network page (the settings above are read first)

    explained = _explained(dataset.fingerprint, run.config.split_key(), dataset, run)
    place.markdown(
        "Each small picture is **one hidden node**, drawn where the node sits in the network: the "
        "inputs on the left (on a phone, at the top), the output on the right (at the bottom), the "
        "bottleneck's two pictures framed in orange. The lines between them are the weights: blue "
        "positive, red negative, thicker for larger. A picture's dots are test rows, placed by the "
        "first two **principal components** of the inputs (PC 1 across, "
        f"{explained[0]:.0%} of the variance; PC 2 up, {explained[1]:.0%}): the same place in every "
        "picture. The colour is how strongly that node fires for the row, from its lowest (dark) to "
        "its highest (yellow) value at the epoch shown; the epoch slider and **Play** move every "
        "picture together. A node that outputs one value for every row is labelled **dead**; one that "
        "only repeats another node of its layer, **same as node k**. **Click** a picture (or an input) "
        "to pick that node: its weights stand out and the other pictures fade (double-click clears)."
    )
    if max(run.layer_sizes[:-1]) > inside.MOST_NODES:
        place.caption(
            f"A layer of more than {inside.MOST_NODES} nodes (or inputs) shows its first {inside.MOST_NODES}."
        )


def bending_text(place=st) -> None:
    """What the bent grid is, honestly."""
    place.markdown(
        "A regular grid laid over the inputs is pushed through the network to the bottleneck: watch "
        "the network **bend its input space** until a straight line can cut the classes apart. "
        "Honestly, the grid is only **one flat slice** of the input space: the plane of its first two "
        "principal components, every other direction held at the training rows' mean. Rows off that "
        "slice (most of them) land between its lines, not on them."
    )
