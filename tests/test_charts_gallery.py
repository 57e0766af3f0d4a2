"""The gallery aligns each seed's map to the first, and marks runs with nothing to draw."""

from dataclasses import replace

import numpy as np
import pytest

from lib.charts.gallery import accuracy_summary, align_runs, gallery_parts
from lib.training import DEEPER_LESSON, train


@pytest.fixture(scope="module")
def runs(banknotes):
    return [train(banknotes, replace(DEEPER_LESSON, epochs=4, seed=seed)) for seed in (1, 2, 3)]


def test_each_run_is_aligned_to_the_first(runs):
    panels = align_runs(runs)
    assert [p.seed for p in panels] == [1, 2, 3]
    assert panels[0].disparity == pytest.approx(0, abs=1e-9)
    np.testing.assert_allclose(panels[0].points, runs[0].snapshots[-1], atol=1e-6)
    assert all(0 <= p.disparity <= 1 for p in panels)
    assert panels[0].test_accuracy == runs[0].test_accuracy


def test_a_rotated_and_mirrored_copy_has_no_disparity(runs):
    turn = np.array([[0.0, -1.0], [-1.0, 0.0]])  # rotation plus reflection
    copy = replace(runs[0], snapshots=runs[0].snapshots @ turn * 3 + 5)
    panel = align_runs([runs[0], copy])[1]
    assert panel.disparity == pytest.approx(0, abs=1e-9)
    np.testing.assert_allclose(panel.points, runs[0].snapshots[-1], atol=1e-4)


def test_dead_and_diverged_runs_are_marked_not_aligned(runs):
    dead = replace(runs[1], snapshots=np.zeros_like(runs[1].snapshots))
    nan = runs[2].snapshots.copy()
    nan[-1] = np.nan
    history = runs[2].history.copy()
    history.loc[history.index[-1], "loss"] = np.nan
    diverged = replace(runs[2], snapshots=nan, history=history)
    panels = align_runs([dead, runs[0], diverged])
    assert [p.status for p in panels] == ["dead", "ok", "diverged"]
    assert panels[0].points is None and panels[2].points is None
    assert panels[1].disparity == pytest.approx(0, abs=1e-9)  # the first live run is the reference
    assert "DEAD" in panels[0].title and "DIVERGED" in panels[2].title


def test_summary_and_one_panel_per_run(runs, banknotes):
    panels = align_runs(runs)
    accuracy = [r.test_accuracy for r in runs]
    mean, spread, low, high = accuracy_summary(panels)
    assert mean == pytest.approx(np.mean(accuracy)) and spread == pytest.approx(np.std(accuracy))
    assert (low, high) == (min(accuracy), max(accuracy))
    spec = gallery_parts(panels, runs[0].y_test, banknotes.class_names).spec()
    assert len(spec["concat"]) == 3
    assert spec["concat"][1]["title"]["text"].startswith("seed 2 · test accuracy")
