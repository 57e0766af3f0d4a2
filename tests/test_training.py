"""The engine reproduces the lesson's numbers, deterministically, in any thread."""

import concurrent.futures
import re
import subprocess
from dataclasses import replace

import numpy as np
import pytest

from lib.keras_model import build_model
from lib.training import DEEPER_LESSON as DEEPER
from lib.training import (
    LESSON,
    TrainConfig,
    network_name,
    output_activation,
    shuffles,
    split,
    train,
    train_on,
)
from testkit import ROOT
from testkit.runs import assert_same_run

PERTURBED = replace(DEEPER, dropout=0.3, noise=0.5)  # the lesson's network with dropout and input noise


def test_lesson_split_has_412_test_rows(banknotes):
    parts = split(banknotes, LESSON)
    assert len(parts.y_test) == 412
    assert len(parts.y_fit) == 672 and len(parts.y_val) == 288  # Keras' last 30% for validation
    np.testing.assert_allclose(parts.x_fit.mean(axis=0), 0, atol=0.1)  # scaler fit on training rows


def test_parameter_counts(banknotes):
    assert train(banknotes, TrainConfig(epochs=1)).n_params == 13
    assert train(banknotes, TrainConfig(hidden=(3,), epochs=1)).n_params == 26
    model, features = build_model(TrainConfig(hidden=(3,)), 4, 2)
    assert model.count_params() == 26
    assert features.output.shape[-1] == 2 and features.layers[-1].name == "bottleneck"


def test_one_helper_names_the_network_and_its_output():
    assert network_name((4, 3, 2, 1)) == "4 → 3 → 2 → 1"
    assert network_name([13]) == "13"
    assert output_activation(2) == "sigmoid"
    assert output_activation(3) == output_activation(10) == "softmax"


def test_the_network_name_and_output_rule_are_written_once():
    files = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    twice = [
        f
        for f in files
        if not f.startswith("tests/")
        and f != "lib/training.py"
        and re.search(r"→ ['\"]\.join|['\"]sigmoid['\"] if", (ROOT / f).read_text())
    ]
    assert not twice, f"use training.network_name / output_activation in {twice}"


def test_run_shapes(banknotes):
    run = train(banknotes, DEEPER)
    assert run.snapshots.shape == (26, 412, 2)
    assert list(run.history.columns) == [
        "loss",
        "accuracy",
        "val_loss",
        "val_accuracy",
        "test_loss",
        "test_accuracy",
    ]
    assert len(run.history) == 25 and run.history.index[0] == 1
    assert run.grad_norms.shape == (25, 3) and np.isfinite(run.grad_norms.to_numpy()).all()
    assert len(run.head) == 26 and run.probabilities().shape == (412, 2)
    # the snapshot's head reproduces the stated test accuracy
    predicted = run.probabilities().argmax(axis=1)
    assert np.mean(predicted == run.y_test) == pytest.approx(run.test_accuracy)


def test_bottleneck_of_original_rows_matches_the_snapshot(banknotes):
    run = train(banknotes, DEEPER)
    np.testing.assert_allclose(
        run.bottleneck_activations(banknotes.X[run.test_index]), run.snapshots[-1], rtol=1e-4, atol=1e-5
    )
    model, features = build_model(DEEPER, 4, 2)
    model.set_weights(run.weights)
    parts = split(banknotes, DEEPER)
    np.testing.assert_allclose(
        features.predict(parts.x_test, verbose=0), run.snapshots[-1], rtol=1e-4, atol=1e-5
    )


def test_lesson_config_reaches_97_percent_for_most_seeds(banknotes):
    accuracies = [train(banknotes, TrainConfig(seed=s)).test_accuracy for s in range(6)]
    assert sum(a >= 0.97 for a in accuracies) >= 4, accuracies


def test_snapshots_start_untrained_and_separate(banknotes):
    run = train(banknotes, DEEPER)
    assert run.snapshot_accuracy[-1] > run.snapshot_accuracy[0]
    np.testing.assert_array_equal(run.snapshot_accuracy[1:], run.history["test_accuracy"])
    assert run.history["loss"].iloc[-1] < run.history["loss"].iloc[0]


def test_same_config_same_numbers_twice(banknotes):
    a, b = train(banknotes, DEEPER), train(banknotes, DEEPER)
    assert a.history.equals(b.history)
    np.testing.assert_array_equal(a.snapshots, b.snapshots)


def test_different_seeds_give_different_pictures(banknotes):
    a = train(banknotes, DEEPER)
    b = train(banknotes, TrainConfig(hidden=(3,), epochs=25, seed=2))
    assert not np.array_equal(a.snapshots[-1], b.snapshots[-1])


@pytest.mark.parametrize("config", [DEEPER, PERTURBED], ids=["lesson", "dropout and noise"])
def test_deterministic_while_other_threads_train(banknotes, config):
    alone = train(banknotes, config)
    others = [
        TrainConfig(hidden=(h,), epochs=25, seed=s, batch_size=b, dropout=d)
        for h, s, b, d in [(3, 1, 8, 0.0), (5, 2, 32, 0.2), (8, 3, 16, 0.0), (3, 4, 1, 0.0)]
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        busy = [pool.submit(train, banknotes, c) for c in others]
        again = [pool.submit(train, banknotes, config) for _ in range(2)]
        [f.result() for f in busy]
        for future in again:
            run = future.result()
            assert run.history.equals(alone.history)
            np.testing.assert_array_equal(run.snapshots, alone.snapshots)


def test_short_last_batch_is_kept(banknotes):
    # 672 training rows with batch 100: six full batches and one of 72; all rows count.
    run = train(banknotes, TrainConfig(batch_size=100, epochs=3))
    assert np.isfinite(run.history.to_numpy()).all()
    full = train(banknotes, TrainConfig(batch_size=672, epochs=3))
    assert not np.allclose(run.history["loss"], full.history["loss"])


def test_every_optimizer_and_activation_trains(banknotes):
    for optimizer in ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adagrad"):
        run = train(banknotes, TrainConfig(hidden=(4,), optimizer=optimizer, learning_rate=0.05))
        assert run.test_accuracy > 0.8, optimizer
    for activation in ("tanh", "sigmoid", "elu", "linear"):
        assert train(banknotes, TrainConfig(activation=activation)).test_accuracy > 0.8


def test_wine_exercise_uses_softmax(banknotes):
    from lib.datasets import load_dataset

    run = train(load_dataset("wine"), TrainConfig(hidden=(8, 5), epochs=40))
    assert run.layer_sizes == (13, 8, 5, 2, 3)
    assert run.probabilities().shape[1] == 3
    assert run.test_accuracy > 0.85


@pytest.mark.parametrize(
    "bad",
    [
        dict(optimizer="lbfgs"),
        dict(learning_rate=-1.0),
        dict(batch_size=0),
        dict(hidden=(0,)),
        dict(epochs=0),
        dict(activation="swish2"),
        dict(dropout=1.0),
        dict(noise=float("inf")),
    ],
)
def test_bad_configs_say_what_is_wrong(bad):
    with pytest.raises(ValueError, match="must|least|choose|epoch"):
        TrainConfig(**bad)


def test_the_sidebar_counts_the_training_rows_as_the_split_makes_them():
    """`fit_rows` (arithmetic, asked on every run) gives the rows `split` really trains on."""
    from sklearn.model_selection import train_test_split

    from lib.training import fit_rows

    assert fit_rows(1372, LESSON) == 672  # the lesson: 960 training rows, 70 % of them fit
    for n in (4, 10, 97, 178, 1372, 1797):
        for test_size, validation in ((0.3, 0.3), (0.1, 0.0), (0.25, 0.5), (0.7, 0.2)):
            config = TrainConfig(test_size=test_size, validation_split=validation)
            train_rows, _ = train_test_split(np.arange(n), test_size=test_size, random_state=42)
            assert fit_rows(n, config) == int(len(train_rows) * (1 - validation)), (n, test_size)


@pytest.mark.parametrize("optimizer", ["adam", "momentum", "rmsprop"])
def test_a_shorter_run_is_the_beginning_of_a_longer_one(banknotes, optimizer):
    """Moving the epochs never trains from scratch: 10 epochs cut from 25 are 10 epochs trained alone,
    and 10 epochs trained on to 25 (Adam's moments and step count, momentum's velocity, RMSprop's
    mean square carried over) are 25 trained at once: history, snapshots, weights, norms, to the bit."""
    config = replace(DEEPER, optimizer=optimizer)  # 25 epochs
    longer = train(banknotes, config)
    assert_same_run(longer.first(10), train(banknotes, replace(config, epochs=10)))
    assert longer.first(25) is longer
    heard = []
    ten = train_on(banknotes, replace(config, epochs=10))
    more = train_on(banknotes, config, start=ten, on_epoch=lambda epoch, logs: heard.append(epoch))
    assert_same_run(more.run, longer)
    assert heard == list(range(11, 26))  # only the new epochs, by their number in the run
    assert (ten.state.epoch, more.state.epoch, more.state.step) == (10, 25, 25 * 42)  # 672 rows / 16
    np.testing.assert_array_equal(shuffles(1, 10, 672), shuffles(1, 25, 672)[:10])


def test_a_shorter_run_with_dropout_and_noise_is_the_beginning_of_a_longer_one(banknotes):
    """Dropout masks and input noise come from the run's seed too: 10 epochs cut from 25 are 10 trained
    alone, 10 trained on to 25 are 25 at once (the generator's state carried over), to the bit."""
    longer = train(banknotes, PERTURBED)
    assert_same_run(longer.first(10), train(banknotes, replace(PERTURBED, epochs=10)))
    ten = train_on(banknotes, replace(PERTURBED, epochs=10))
    more = train_on(banknotes, PERTURBED, start=ten)
    assert_same_run(more.run, longer)
    assert (ten.state.generator, more.state.generator) == ((1, 20), (1, 50))  # two draws an epoch
    assert not np.array_equal(longer.snapshots, train(banknotes, DEEPER).snapshots)


def test_dropout_and_noise_act_in_training_only(banknotes):
    """The snapshots, the validation and test losses see the network as it is, with no rows dropped
    out and no noise: each snapshot is the test rows through that epoch's weights."""
    run = train(banknotes, PERTURBED)
    x_test = split(banknotes, PERTURBED).x_test
    for epoch in (1, 25):
        np.testing.assert_allclose(
            run.layer_outputs(x_test, epoch)[-1], run.snapshots[epoch], rtol=1e-4, atol=1e-5
        )
    training, test = run.history["loss"].iloc[-1], run.history["test_loss"].iloc[-1]
    assert training > 1.5 * test  # the fitting rows' loss is taken with dropout and noise on


def test_with_dropout_and_noise_off_the_lesson_keeps_its_numbers(banknotes):
    """Off by default, dropout and noise change nothing: the lesson's two networks give the numbers
    recorded before they existed (commit 75d38a0), and no mask is drawn."""
    recorded = {  # test accuracy, the last epoch's loss and test loss
        LESSON: (407 / 412, 0.028118249028921127, 0.027645016089081764),
        DEEPER: (410 / 412, 0.02488640695810318, 0.02239912934601307),
    }
    for config, (accuracy, loss, test_loss) in recorded.items():
        trained = train_on(banknotes, config)
        run = trained.run
        assert run.test_accuracy == pytest.approx(accuracy, abs=1e-7)
        np.testing.assert_allclose(
            [run.history["loss"].iloc[-1], run.history["test_loss"].iloc[-1]], [loss, test_loss], rtol=1e-6
        )
        assert trained.state.generator == (config.seed, 0)


def test_a_run_goes_on_only_from_fewer_epochs_of_itself(banknotes):
    ten = train_on(banknotes, replace(DEEPER, epochs=10))
    for other in (replace(DEEPER, seed=2), replace(DEEPER, epochs=10), replace(DEEPER, epochs=5)):
        with pytest.raises(ValueError, match="fewer epochs of the same network"):
            train_on(banknotes, other, start=ten)
    for epochs in (0, 11):
        with pytest.raises(ValueError, match="has no first"):
            ten.run.first(epochs)
