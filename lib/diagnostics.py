"""Plain-language diagnoses of a run whose picture would otherwise look broken or mislead.

A page shows these instead of (or above) a chart, so an empty plane, a line of points or a flat
curve always comes with the reason. What to try is given as the settings that could help
(`remedies`, settings' keys, `lib.settings.Setting.key`); the page words them, and leaves out any control
it does not show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.training import Run

COLLAPSED_CORRELATION = 0.998  # |r| of the two bottleneck nodes at or above this: one feature twice


@dataclass(frozen=True)
class Diagnosis:
    """What went wrong, in words a student can read; `blocking` hides the plane views."""

    kind: str  # "diverged", "dead", "dead_node", "collapsed"
    blocking: bool
    finding: str
    remedies: tuple[str, ...]  # setting keys worth changing, the most useful first


def diverged_at(run: Run) -> int | None:
    """The first epoch whose loss or bottleneck is not a finite number, else None."""
    finite = np.isfinite(run.history["loss"].to_numpy()) & np.isfinite(run.snapshots[1:]).all(axis=(1, 2))
    bad = np.flatnonzero(~finite)
    return int(bad[0]) + 1 if bad.size else None


def node_correlation(points: np.ndarray) -> float:
    """|Pearson r| between the two bottleneck nodes over the rows; 0 when a node is constant."""
    if points.shape[1] < 2 or np.ptp(points[:, 0]) == 0 or np.ptp(points[:, 1]) == 0:
        return 0.0
    return float(abs(np.corrcoef(points[:, 0], points[:, 1])[0, 1]))


def diagnose(run: Run, epoch: int = -1) -> list[Diagnosis]:
    """Diverged training, a dead bottleneck, a dead bottleneck node or a collapsed bottleneck."""
    epoch = range(len(run.snapshots))[epoch]
    bad = diverged_at(run)
    if bad is not None:
        return [_diverged(bad)]
    points = run.snapshots[epoch]
    silent = np.all(points == 0, axis=0)
    if silent.all():
        return [_dead(run, epoch)]
    if silent.any():
        return [_dead_node(int(np.flatnonzero(silent)[0]) + 1, epoch)]
    if epoch > 0 and node_correlation(points) >= COLLAPSED_CORRELATION:
        return [_collapsed(node_correlation(points), epoch)]
    return []


def _diverged(epoch: int) -> Diagnosis:
    return Diagnosis(
        "diverged",
        True,
        f"**Training diverged at epoch {epoch}:** the loss became NaN (not a number). Each step "
        "overshot so far that the weights grew without bound until the arithmetic overflowed, so "
        "there is no representation left to draw.",
        ("lr", "optimizer"),
    )


def _dead(run: Run, epoch: int) -> Diagnosis:
    share = float(np.bincount(run.y_test).max() / len(run.y_test))
    return Diagnosis(
        "dead",
        True,
        f"**Dead bottleneck at epoch {epoch}:** every bottleneck node outputs 0 for every test "
        "row, so all points sit on top of each other at (0, 0) and the output layer sees the same "
        "input for every row. It can only guess one class (test accuracy "
        f"{run.snapshot_accuracy[epoch]:.0%}; the largest class is {share:.0%} of the rows). "
        f"A {run.config.activation} node whose weighted sum is negative for every row outputs 0 "
        "and gets no gradient, so it never recovers; with only 2 bottleneck nodes this happens "
        "easily after a too-large step.",
        ("lr", "seed", "activation"),
    )


def _dead_node(node: int, epoch: int) -> Diagnosis:
    return Diagnosis(
        "dead_node",
        False,
        f"**Bottleneck node {node} is dead at epoch {epoch}:** it outputs 0 for every test row, so "
        "all points lie on one axis and the network separates the classes with one learned feature "
        "instead of two.",
        ("seed", "lr", "activation"),
    )


def _collapsed(correlation: float, epoch: int) -> Diagnosis:
    return Diagnosis(
        "collapsed",
        False,
        f"**The bottleneck collapsed at epoch {epoch}:** its two nodes carry the same feature "
        f"(correlation {correlation:.3f}), so all points lie on one line and the plane shows one "
        "learned feature instead of two, like a dead node.",
        ("seed", "lr", "activation"),
    )
