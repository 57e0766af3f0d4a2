"""Diagnoses of runs that would draw a broken picture: diverged, dead bottleneck, dead unit."""

import dataclasses

from lib.diagnostics import diagnose, diverged_at
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
    assert "every bottleneck unit outputs 0" in found.message
    assert "smaller learning rate" in found.message and "Re-initialize" in found.message
    assert diagnose(run, 0) == []  # before training the random start is alive


def test_one_dead_unit_is_a_warning_not_a_blocker(banknotes):
    run = train(banknotes, dataclasses.replace(DEEPER_LESSON, seed=0))  # unit 1 dies in training
    [found] = diagnose(run)
    assert found.kind == "dead_unit" and not found.blocking
    assert "unit 1 is dead at epoch 25" in found.message


def test_divergence_is_reported_with_its_epoch_and_a_remedy(banknotes):
    run = train(
        banknotes, dataclasses.replace(SHORT, activation="linear", optimizer="momentum", learning_rate=1.0)
    )
    epoch = diverged_at(run)
    assert epoch is not None and 1 <= epoch <= 5
    [found] = diagnose(run)
    assert found.kind == "diverged" and found.blocking
    assert f"diverged at epoch {epoch}" in found.message and "learning rate" in found.message
