"""Plain-language diagnoses of a run whose picture would otherwise look broken.

A page shows these instead of (or above) a chart, so an empty plane or a flat
curve always comes with the reason and something to try.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.training import Run


@dataclass(frozen=True)
class Diagnosis:
    """What went wrong, in words a student can act on; `blocking` hides the plane views."""

    kind: str  # "diverged", "dead", "dead_unit"
    blocking: bool
    message: str


def diverged_at(run: Run) -> int | None:
    """The first epoch whose loss or bottleneck is not a finite number, else None."""
    finite = np.isfinite(run.history["loss"].to_numpy()) & np.isfinite(run.snapshots[1:]).all(axis=(1, 2))
    bad = np.flatnonzero(~finite)
    return int(bad[0]) + 1 if bad.size else None


def diagnose(run: Run, epoch: int = -1) -> list[Diagnosis]:
    """Diverged training, a dead bottleneck, or a dead bottleneck unit at `epoch`."""
    epoch = range(len(run.snapshots))[epoch]
    bad = diverged_at(run)
    if bad is not None:
        return [
            Diagnosis(
                "diverged",
                True,
                (
                    f"**Training diverged at epoch {bad}:** the loss became NaN (not a number). Each step "
                    "overshot so far that the weights grew without bound until the arithmetic overflowed, so "
                    "there is no representation left to draw. **Try:** a learning rate 10 times smaller, or "
                    "RMSprop / Adam, which scale each step to the size of the gradient."
                ),
            )
        ]
    silent = np.all(run.snapshots[epoch] == 0, axis=0)
    share = float(np.bincount(run.y_test).max() / len(run.y_test))
    if silent.all():
        return [
            Diagnosis(
                "dead",
                True,
                (
                    f"**Dead bottleneck at epoch {epoch}:** every bottleneck unit outputs 0 for every test "
                    "row, so all points sit on top of each other at (0, 0) and the output layer sees "
                    f"the same input for every row. It can only guess one class (test accuracy "
                    f"{run.snapshot_accuracy[epoch]:.0%}; the largest class is {share:.0%} of the rows). "
                    f"A {run.config.activation} unit whose weighted sum is negative for every row outputs 0 "
                    "and gets no gradient, so it never recovers; with only 2 bottleneck units this happens "
                    "easily after a too-large step. **Try:** a smaller learning rate, **Re-initialize** for "
                    "another start, or the tanh or elu activation, which are never flat at 0."
                ),
            )
        ]
    if silent.any():
        unit = int(np.flatnonzero(silent)[0]) + 1
        return [
            Diagnosis(
                "dead_unit",
                False,
                (
                    f"**Bottleneck unit {unit} is dead at epoch {epoch}:** it outputs 0 for every test "
                    f"row, so all points lie on one axis and the network separates the classes with one "
                    "learned feature instead of two. **Try:** Re-initialize, a smaller learning rate, "
                    "or tanh / elu."
                ),
            )
        ]
    return []
