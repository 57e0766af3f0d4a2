"""The two views inside the network, drawn for the epoch the scrubber shows: every hidden node's
picture beside the diagram, and the input space bending. Each chart's spec carries every epoch
(`lib.inside.carried_epochs`) and is cached per run; a scrub only sets its `epoch` parameter."""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from lib import inside
from lib.charts import inside as charts
from lib.charts.plane import plane_extent
from lib.datasets import Dataset
from lib.training import Run
from ui.charts import cached_chart


def node_view(run: Run, dataset: Dataset, epoch: int, run_key: Hashable, stem: str, place=st) -> None:
    """Every hidden node as a picture of the test rows in the inputs' PCA plane, at `epoch`."""
    carried = inside.carried_epochs(run.config.epochs, epoch)
    explained = inside.input_plane(dataset, run).explained
    place.markdown(
        "Each small picture is **one hidden node** (a column per layer, as in the diagram). Its dots "
        "are test rows, placed by the first two **principal components** of the inputs (PC 1 across, "
        f"{explained[0]:.0%} of the variance; PC 2 up, {explained[1]:.0%}): the same place in every "
        "picture. The colour is how strongly that node fires for the row, from its lowest (dark) to "
        "its highest (yellow) value at this epoch. A node that outputs one value for every row is "
        "labelled **dead**; one that only repeats another node of its layer, **same as node k**. "
        "**Click** a picture or a node of the diagram to pick that node in both (double-click clears)."
    )
    if len(run.layer_sizes) > 2 and max(run.layer_sizes[1:-1]) > inside.MOST_NODES:
        place.caption(f"Wide layers show their first {inside.MOST_NODES} nodes, as the diagram does.")
    cached_chart(
        ("nodes", run_key, tuple(carried)),
        lambda: charts.nodes_chart(run, inside.node_frame(run, dataset, carried), epoch),
        f"{stem}_nodes",
        place,
        epoch=epoch,
        width="content",
    )


def bending_view(run: Run, dataset: Dataset, epoch: int, run_key: Hashable, stem: str, place=st) -> None:
    """The input plane's grid as the bottleneck sees it at `epoch`, behind the test rows."""
    carried = inside.carried_epochs(run.config.epochs, epoch)
    place.markdown(
        "A regular grid laid over the inputs, pushed through the network to the bottleneck: watch "
        "the network **bend its input space** until a straight line can cut the classes apart. "
        "Honestly, the grid is only **one flat slice** of the input space: the plane of its first "
        "two principal components, every other direction held at the training rows' mean. Rows "
        "off that slice (most of them) land between its lines, not on them."
    )
    cached_chart(
        ("bending", run_key, tuple(carried)),
        lambda: charts.bending_chart(
            run, inside.bending_frame(run, dataset, carried), epoch, plane_extent(run.snapshots)
        ),
        f"{stem}_bending",
        place,
        epoch=epoch,
        width="content",
    )
