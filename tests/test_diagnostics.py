"""Diagnoses of runs that would draw a broken or misleading picture: diverged, dead, collapsed."""

import dataclasses

import numpy as np
import pytest

from lib.diagnostics import COLLAPSED_CORRELATION, diagnose, diverged_at, node_correlation
from lib.training import DEEPER_LESSON, train

SHORT = dataclasses.replace(DEEPER_LESSON, epochs=5)


def test_a_healthy_run_has_nothing_to_say(banknotes):
    run = train(banknotes, dataclasses.replace(SHORT, seed=1))
    assert diagnose(run) == [] and diagnose(run, 0) == []
    assert diverged_at(run) is None


def test_a_too_large_step_kills_the_relu_bottleneck(banknotes):
    run = train(banknotes, dataclasses.replace(SHORT, learning_rate=1.0))
    assert (run.snapshots[-1] == 0).all()
    [found] = diagnose(run)
    assert found.kind == "dead" and found.blocking
    assert "every bottleneck node outputs 0" in found.finding
    assert found.remedies == ("lr", "seed", "activation")  # a smaller step, another start, tanh/elu
    assert diagnose(run, 0) == []  # before training the random start is alive


def test_one_dead_node_is_a_warning_not_a_blocker(banknotes):
    run = train(banknotes, dataclasses.replace(DEEPER_LESSON, seed=0))  # node 1 dies in training
    [found] = diagnose(run)
    assert found.kind == "dead_node" and not found.blocking
    assert "node 1 is dead at epoch 25" in found.finding
    assert found.remedies[0] == "seed"


def test_a_collapsed_bottleneck_is_said_like_a_dead_node(banknotes):
    run = train(banknotes, dataclasses.replace(DEEPER_LESSON, seed=6))  # both nodes learn one feature
    assert node_correlation(run.snapshots[-1]) >= COLLAPSED_CORRELATION
    [found] = diagnose(run)
    assert found.kind == "collapsed" and not found.blocking
    assert "two nodes carry the same feature" in found.finding and "one line" in found.finding
    assert found.remedies == ("seed", "lr", "activation")
    assert diagnose(run, 0) == []  # the random start was not collapsed


def test_node_correlation_is_blind_to_scale_and_sign_and_zero_for_a_flat_node():
    x = np.linspace(-1, 1, 50)
    assert node_correlation(np.column_stack([x, -3 * x + 1])) == pytest.approx(1.0)
    assert node_correlation(np.column_stack([x, np.zeros(50)])) == 0.0
    assert node_correlation(np.column_stack([x, x**2])) < 0.1


def test_divergence_is_reported_with_its_epoch_and_a_remedy(banknotes):
    run = train(
        banknotes, dataclasses.replace(SHORT, activation="linear", optimizer="momentum", learning_rate=1.0)
    )
    epoch = diverged_at(run)
    assert epoch is not None and 1 <= epoch <= 5
    [found] = diagnose(run)
    assert found.kind == "diverged" and found.blocking
    assert f"diverged at epoch {epoch}" in found.finding and found.remedies[0] == "lr"
