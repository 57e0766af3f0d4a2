"""The re-initialization gallery: one trained bottleneck per seed, each aligned to the first.

Runs that differ only by a rotation, reflection, shift or scale carry the same
information, so every map is moved onto the first live run by an orthogonal
Procrustes fit; what still differs after that is really a different picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from lib.charts.common import CLASS_FIELD, ChartParts, class_color, image_tooltip
from lib.charts.plane import panel_rows, plane_extent
from lib.diagnostics import diagnose
from lib.images import IMAGE_FIELD
from lib.metrics import procrustes_align
from lib.training import Run

PANEL_SIZE = 210
ONE_FEATURE_TEXT = {"dead_node": " · one node dead", "collapsed": " · collapsed onto one line"}
STATUS_TEXT = {"dead": "dead bottleneck: every point at (0, 0)", "diverged": "diverged: the loss became NaN"}


@dataclass(frozen=True)
class Panel:
    """One seed's final map; `points` is None for a dead or diverged run (nothing to draw)."""

    seed: int
    test_accuracy: float
    status: str  # "ok", "dead_node", "collapsed", "dead", "diverged" (see lib.diagnostics)
    disparity: float | None  # Procrustes disparity to the reference run (0 for the reference)
    points: np.ndarray | None

    @property
    def title(self) -> str:
        head = f"seed {self.seed} · test accuracy {self.test_accuracy:.1%}"
        if self.points is None:
            return f"{head} · {self.status.upper()}"
        marks = ONE_FEATURE_TEXT.get(self.status, "")
        return f"{head} · disparity {self.disparity:.3f}{marks}"


def _status(run: Run) -> str:
    found = diagnose(run)
    return found[0].kind if found else "ok"


def align_runs(runs: list[Run]) -> list[Panel]:
    """A panel per run, aligned to the first run that has a map (dead and diverged ones marked)."""
    statuses = [_status(run) for run in runs]
    panels, reference = [], None
    for run, status in zip(runs, statuses):
        final = run.snapshots[-1][:, :2]
        if status not in ("dead", "diverged"):
            try:
                if reference is None:
                    aligned, disparity = procrustes_align(final, final)
                    reference = final
                else:
                    aligned, disparity = procrustes_align(reference, final)
            except ValueError:  # all points coincide: dead in all but name
                status = "dead"
        if status in ("dead", "diverged"):
            aligned, disparity = None, None
        panels.append(Panel(run.config.seed, run.test_accuracy, status, disparity, aligned))
    return panels


def accuracy_summary(panels: list[Panel]) -> tuple[float, float, float, float]:
    """Mean, standard deviation, lowest and highest test accuracy over all seeds."""
    accuracy = np.array([p.test_accuracy for p in panels])
    return float(accuracy.mean()), float(accuracy.std()), float(accuracy.min()), float(accuracy.max())


def gallery_parts(
    panels: list[Panel], y_test: np.ndarray, class_names, images=None, columns: int = 3
) -> ChartParts:
    """Every panel on the same axes (the reference run's units), coloured by true class; with
    `images` (a picture per test row, lib.images) the tooltips show each row's picture."""
    drawn = [p.points for p in panels if p.points is not None]
    extent = plane_extent(np.stack(drawn)) if drawn else (-1.0, 1.0, -1.0, 1.0)
    names = np.asarray(class_names, dtype=object)
    rows = panel_rows(len(y_test))
    pictures = {} if images is None else {IMAGE_FIELD: np.asarray(images, dtype=object)[rows]}
    frames = {
        f"panel_{i}": pd.DataFrame(
            {
                "a": panel.points[rows, 0],
                "b": panel.points[rows, 1],
                CLASS_FIELD: names[y_test[rows]],
                **pictures,
            }
        )
        for i, panel in enumerate(panels)
        if panel.points is not None
    }
    values = dict(zip(("x0", "x1", "y0", "y1"), extent))
    values.update({f"title_{i}": panel.title for i, panel in enumerate(panels)})
    kinds = tuple("map" if panel.points is not None else panel.status for panel in panels)
    shape = {"kinds": kinds, "class_names": tuple(class_names), "columns": columns}
    return ChartParts(_gallery, frames, values, shape)


def _gallery(frames, values, *, kinds, class_names, columns) -> alt.ConcatChart:
    charts = []
    for i, kind in enumerate(kinds):
        title = alt.Title(values[f"title_{i}"], fontSize=12)
        if kind != "map":  # a dead or diverged run: what happened, in words
            note = pd.DataFrame({"text": [STATUS_TEXT[kind]]})
            charts.append(
                alt.Chart(note, title=title, width=PANEL_SIZE, height=PANEL_SIZE)
                .mark_text(color="#b00020", fontSize=13)
                .encode(text="text:N")
            )
            continue
        tooltip = [alt.Tooltip(f"{CLASS_FIELD}:N", title="class")]
        if IMAGE_FIELD in frames[f"panel_{i}"]:
            tooltip.insert(0, image_tooltip())
        charts.append(
            alt.Chart(frames[f"panel_{i}"], title=title, width=PANEL_SIZE, height=PANEL_SIZE)
            .mark_circle(size=18, opacity=0.7)
            .encode(
                x=alt.X("a:Q", title="aligned node 1", scale=alt.Scale(domain=[values["x0"], values["x1"]])),
                y=alt.Y("b:Q", title="aligned node 2", scale=alt.Scale(domain=[values["y0"], values["y1"]])),
                color=class_color(class_names),
                tooltip=tooltip,
            )
        )
    return alt.concat(*charts, columns=columns)
