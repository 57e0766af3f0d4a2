"""The 2-weight loss surface and the weight paths drawn on it."""

import numpy as np
import pytest

from lib import surface
from lib.surface import Descent, Plane

PLANE = Plane(("skewness", "kurtosis"))


@pytest.fixture(scope="module")
def data(banknotes):
    return surface.problem(banknotes, PLANE)


def direct_loss(data, w1, w2):
    """Binary cross-entropy at one weight pair, row by row, the textbook way."""
    total = 0.0
    for (x1, x2), t in zip(data.x, data.t):
        p = 1 / (1 + np.exp(-(w1 * x1 + w2 * x2 + data.bias)))
        total += -(t * np.log(p) + (1 - t) * np.log(1 - p))
    return total / len(data.t)


def test_problem_uses_the_standardized_training_rows(data):
    assert data.x.shape == (672, 2)
    np.testing.assert_allclose(data.x.mean(axis=0), 0, atol=0.1)
    assert set(np.unique(data.t)) == {0.0, 1.0}


def test_grid_matches_a_direct_loss_evaluation(data):
    grid = surface.grid(data, (0.0, 0.0, 4.0), size=21)
    assert len(grid) == 21 * 21
    for i in (0, 57, 220, 440):
        row = grid.iloc[i]
        assert row["loss"] == pytest.approx(direct_loss(data, row["w1"], row["w2"]), rel=1e-9)


def test_the_batched_grid_equals_the_loss_at_each_pair_on_its_own(data):
    """Every cell of the drawn surface, centred on its own weight pair (how fast: bench_gradient_descent)."""
    grid = surface.grid(data, (0.5, -1.0, 3.0), size=41)
    assert len(grid) == 41 * 41
    one_by_one = [float(surface.loss_at(data, np.array([w1, w2]))) for w1, w2 in zip(grid.w1, grid.w2)]
    np.testing.assert_allclose(grid["loss"], one_by_one, rtol=1e-12)
    np.testing.assert_allclose(grid.w1_high - grid.w1_low, 2 * 3.0 / 40)  # each cell one grid step wide
    assert (grid.w1.min(), grid.w1.max(), grid.w2.min(), grid.w2.max()) == pytest.approx(
        (-2.5, 3.5, -4.0, 2.0)
    )


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adagrad"])
def test_paths_start_at_the_stated_weights_and_a_small_rate_goes_down(data, optimizer):
    path = surface.path(data, Descent(optimizer, 0.05, 0.3, steps=25, start=(2.5, -1.5)))
    assert len(path) == 26
    assert (path.loc[0, "w1"], path.loc[0, "w2"]) == (2.5, -1.5)
    assert (np.diff(path["loss"]) < 0).all()  # every small full-batch step lowers the loss
    assert path["loss"].iloc[0] == pytest.approx(surface.loss_at(data, np.array([2.5, -1.5])))


def test_sgd_steps_follow_the_rule(data):
    path = surface.path(data, Descent("sgd", 0.5, steps=1, start=(1.0, 1.0)))
    expected = np.array([1.0, 1.0]) - 0.5 * surface.gradient(data, np.array([1.0, 1.0]))
    np.testing.assert_allclose(path[["w1", "w2"]].iloc[1], expected)


def test_too_large_a_rate_overshoots_and_momentum_passes_the_valley_floor(data):
    best = surface.optimum(data)
    big = surface.path(data, Descent("sgd", 9.0, steps=30))
    assert (np.diff(big["loss"].iloc[5:]) > 0).any()  # the loss jumps back up: overshooting
    small = surface.path(data, Descent("sgd", 4.0, steps=30))
    assert small["loss"].iloc[-1] < big["loss"].iloc[-1]
    heavy = surface.path(data, Descent("momentum", 0.5, 0.9, steps=30))
    # momentum carries w1 beyond the lowest point before it swings back
    assert heavy["w1"].min() < best[0] - 0.5 and heavy["w1"].iloc[-1] > heavy["w1"].min()


def test_minibatch_paths_are_noisy_but_seeded(data):
    a = surface.path(data, Descent("sgd", 1.0, steps=20, batch_size=16))
    b = surface.path(data, Descent("sgd", 1.0, steps=20, batch_size=16))
    full = surface.path(data, Descent("sgd", 1.0, steps=20))
    assert a.equals(b) and not np.allclose(a["w1"], full["w1"])


def test_window_holds_start_optimum_and_the_paths(data):
    best = surface.optimum(data)
    path = surface.path(data, Descent("sgd", 1.0, steps=10))
    c1, c2, half = surface.window(data, path, best)
    for w in (path[["w1", "w2"]].to_numpy(), best[None]):
        assert (np.abs(w - [c1, c2]) <= half).all()


def test_bad_planes_and_descents_say_what_is_wrong(banknotes, data):
    with pytest.raises(ValueError, match="two different features"):
        surface.problem(banknotes, Plane(("variance", "variance")))
    with pytest.raises(ValueError, match="no feature"):
        surface.problem(banknotes, Plane(("variance", "colour")))
    with pytest.raises(ValueError, match="Unknown optimizer"):
        surface.path(data, Descent("lbfgs"))
