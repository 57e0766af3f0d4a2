"""How to read the two views inside the network (lib.charts.inside): every hidden node's picture
beside the diagram, and the input space bending; drawn in its own section below the view."""

from __future__ import annotations

import streamlit as st

from lib import inside
from lib.datasets import Dataset
from lib.training import Run


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
