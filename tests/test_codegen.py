"""The generated Keras script runs and reproduces the page's split, model and bottleneck."""
import dataclasses
import sys
import types

import numpy as np
import pytest

from lib.codegen import OPTIMIZER_CODE, keras_script
from lib.datasets import Dataset, load_dataset
from lib.optimizers import OPTIMIZERS
from lib.training import DEEPER_LESSON, LESSON, TrainConfig, split


@pytest.fixture
def fake_pyplot(monkeypatch):
    """Record the plot calls: matplotlib is not a dependency of the app or its tests."""
    calls = []
    pyplot = types.ModuleType("matplotlib.pyplot")
    for name in ("scatter", "xlabel", "ylabel", "legend", "show"):
        setattr(pyplot, name, lambda *args, _name=name, **kwargs: calls.append((_name, args, kwargs)))
    package = types.ModuleType("matplotlib")
    package.pyplot = pyplot
    monkeypatch.setitem(sys.modules, "matplotlib", package)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    return calls


def run_script(config: TrainConfig, dataset: Dataset) -> dict:
    namespace = {"__name__": "__main__"}
    exec(compile(keras_script(config, dataset), "<generated>", "exec"), namespace)  # noqa: S102
    return namespace


def test_the_banknote_script_runs_and_gives_a_two_column_bottleneck(banknotes, fake_pyplot):
    config = dataclasses.replace(DEEPER_LESSON, epochs=1, batch_size=64)
    ns = run_script(config, banknotes)  # reads $BANKNOTES_CSV, set by conftest
    parts = split(banknotes, config)
    assert ns["bottleneck"].shape == (len(parts.y_test), 2) == (412, 2)
    np.testing.assert_allclose(ns["X_test"], parts.x_test, atol=1e-5)  # the page's split and scaling
    assert ns["model"].count_params() == 26
    assert [layer.name for layer in ns["model"].layers[1:]] == ["hidden_1", "bottleneck", "output"]
    assert ns["history"].params["epochs"] == 1
    scatters = [args for name, args, _ in fake_pyplot if name == "scatter"]
    assert len(scatters) == 2 and sum(len(x) for x, _ in scatters) == 412


def test_a_multiclass_script_uses_softmax_and_one_hot_targets(fake_pyplot):
    wine = load_dataset("wine")
    ns = run_script(TrainConfig(hidden=(5,), epochs=1, optimizer="adam"), wine)
    assert ns["bottleneck"].shape == (54, 2)
    assert ns["t_train"].shape[1] == 3
    assert ns["model"].get_layer("output").activation.__name__ == "softmax"


def test_the_script_states_every_setting(banknotes):
    config = TrainConfig(hidden=(8, 4), activation="tanh", optimizer="nesterov", learning_rate=0.002,
                         batch_size=32, epochs=40, split_seed=7, seed=3)
    text = keras_script(config, banknotes)
    for fragment in ["random_state=7", 'activation="tanh"', 'name="hidden_2"', 'name="bottleneck"',
                     "SGD(learning_rate=0.002, momentum=0.9, nesterov=True)", "batch_size=32",
                     "epochs=40", "validation_split=0.3", "GlorotUniform(seed=3)", "4 → 8 → 4 → 2 → 1",
                     'model.get_layer("bottleneck").output']:
        assert fragment in text, fragment
    assert 'name="hidden' not in keras_script(LESSON, banknotes)


def test_every_optimizer_becomes_a_keras_optimizer():
    import keras

    for name in OPTIMIZERS:
        optimizer = eval(OPTIMIZER_CODE[name].format(lr=0.05, momentum=0.9), {"keras": keras})  # noqa: S307
        assert float(optimizer.learning_rate) == pytest.approx(0.05)


def test_a_data_set_without_loading_code_is_refused(banknotes):
    other = dataclasses.replace(banknotes, name="mystery")
    with pytest.raises(ValueError, match="mystery"):
        keras_script(LESSON, other)
