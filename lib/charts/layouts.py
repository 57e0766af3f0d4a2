"""Charts laid out by the width there is: one table of every responsive chart's layouts.

A Vega-Lite chart cannot change its number of columns by itself when the screen narrows, and
shrinking a 900 px chart onto a 390 px phone makes it unreadable. So a page draws a responsive
chart once per layout, each in a container the stylesheet (`ui.layout`, built from this table)
shows only while the chart's container is within that layout's band of widths.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """One way to draw a chart: shown while its container is at least `min_width` px wide (and
    narrower than the layout before it), with `columns` panels a row of `size` px each, and at
    most `panels` of them (0: every one)."""

    name: str  # wide, medium, narrow
    min_width: int
    columns: int
    size: int
    panels: int = 0


# chart name (also its container's key and CSS class) → its layouts, widest first, the last from 0 px.
# The widths leave room for axes and legends: a panel's axis titles take about 65 px beside it.
LAYOUTS: dict[str, tuple[Layout, ...]] = {
    # Compare reductions: the linked maps, 2 columns of 410 px squares at 1440 px
    "compare_maps": (Layout("wide", 960, 2, 410), Layout("medium", 720, 2, 290), Layout("narrow", 0, 1, 280)),
    # Re-initializations: 3 columns of 210 px maps (about 960 px), 2 on a tablet, 1 on a phone
    "gallery_maps": (Layout("wide", 980, 3, 210), Layout("medium", 660, 2, 210), Layout("narrow", 0, 1, 210)),
    # The epoch player: the plane beside its accuracy and confusion matrix, or above them (on a phone
    # the plane with its axes takes most of the 358 px column; views attached below are no wider)
    "player": (Layout("wide", 900, 2, 370), Layout("narrow", 0, 1, 288)),
    # How the representation forms: the lesson's 5 × 5 grid of planes; on a phone at most 6 panels,
    # evenly spaced to the last epoch (5, 10, … 25 of the lesson's 25), about one screen high
    "evolution": (
        Layout("wide", 820, 5, 130),
        Layout("medium", 560, 3, 140),
        Layout("narrow", 0, 2, 128, panels=6),
    ),
    # Learning curves: loss beside accuracy, or above it
    "curves": (Layout("wide", 760, 2, 330), Layout("narrow", 0, 1, 260)),
    # The data page's pairplot (size: the width of its panels together, one panel per feature)
    "pairplot": (Layout("wide", 860, 1, 760), Layout("medium", 560, 1, 440), Layout("narrow", 0, 1, 240)),
    # The gradient-descent page: runs compared (loss beside accuracy), the loss surface and the
    # loss by step (each in its half of the page; size: the plot's width), the gradient and update
    # sizes by layer, the sigmoid net beside the ReLU net
    "comparison": (Layout("wide", 840, 2, 360), Layout("narrow", 0, 1, 280)),
    "surface": (Layout("wide", 540, 1, 400), Layout("narrow", 0, 1, 225)),
    "loss_by_step": (Layout("wide", 380, 1, 300), Layout("narrow", 0, 1, 250)),
    "layer_norms": (Layout("wide", 760, 2, 330), Layout("narrow", 0, 1, 270)),
    "gradient_by_layer": (Layout("wide", 800, 2, 330), Layout("narrow", 0, 1, 240)),
    # The network diagram (size: its width)
    "model": (Layout("wide", 700, 1, 640), Layout("narrow", 0, 1, 300)),
}


def widest(chart: str) -> Layout:
    """The layout a saved file of `chart` is drawn in."""
    return LAYOUTS[chart][0]
