"""The engine: hand-written backpropagation equals TensorFlow's automatic gradients, its
NumPy forward pass equals the traced one, and its training equals Keras' own `model.fit`."""

import json

import numpy as np
import pytest
import tensorflow as tf

from lib import engine
from lib.initializers import initial_weights
from lib.optimizers import OPTIMIZERS
from lib.training import TrainConfig, fit_network
from testkit.workloads import small_sets


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "elu", "linear"])
@pytest.mark.parametrize("output, k", [("sigmoid", 1), ("softmax", 3), ("linear", 4)])
def test_backward_matches_autodiff(activation, output, k):
    arch = engine.Architecture(
        sizes=(4, 5, 2, k), activation=activation, output=output, bottleneck_layer=1, optimizer="sgd"
    )
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(9, 4)), tf.float32)
    if output == "softmax":
        t = tf.constant(np.eye(k)[rng.integers(0, k, 9)], tf.float32)
    else:
        t = tf.constant(
            rng.uniform(size=(9, k)).round() if output == "sigmoid" else rng.normal(size=(9, k)), tf.float32
        )
    weights = [
        tf.constant(w + rng.normal(0, 0.1, w.shape).astype(np.float32))
        for w in initial_weights(arch.sizes, "glorot_uniform", 0)
    ]
    with tf.GradientTape() as tape:
        tape.watch(weights)
        _, logits, outputs = engine._layers(arch, weights, x)
        loss, _ = engine._loss_and_accuracy(arch, logits, t)
    expected = tape.gradient(loss, weights)
    ours = engine._backward(arch, weights, outputs, engine._output_error(arch, logits, t))
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("sizes", [(4, 5, 3, 2, 1), (4, 2, 1)], ids=["hidden layers", "no hidden layer"])
def test_backward_through_dropout_matches_autodiff(activation, sizes):
    """With dropout factors (0 or 1/(1 − rate)) on the bottleneck's inputs, the hand-written
    gradients are still TensorFlow's: the dropped nodes get no error, the kept ones a scaled one."""
    arch = engine.Architecture(
        sizes=sizes, activation=activation, output="sigmoid", bottleneck_layer=len(sizes) - 3, optimizer="sgd"
    )
    rng = np.random.default_rng(2)
    x = tf.constant(rng.normal(size=(9, 4)), tf.float32)
    t = tf.constant(rng.uniform(size=(9, 1)).round(), tf.float32)
    width = sizes[arch.bottleneck_layer]
    keep = tf.constant((rng.uniform(size=(9, width)) >= 0.4) / 0.6, tf.float32)
    weights = [tf.constant(w) for w in initial_weights(arch.sizes, "glorot_uniform", 0)]
    with tf.GradientTape() as tape:
        tape.watch(weights)
        _, logits, outputs = engine._layers(arch, weights, x, keep)
        loss, _ = engine._loss_and_accuracy(arch, logits, t)
    expected = tape.gradient(loss, weights)
    ours = engine._backward(arch, weights, outputs, engine._output_error(arch, logits, t), keep)
    for a, b in zip(ours, expected):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-6)
    dropped = engine._backward(arch, weights, outputs, engine._output_error(arch, logits, t))
    assert not np.allclose(
        dropped[2 * arch.bottleneck_layer].numpy(), ours[2 * arch.bottleneck_layer].numpy()
    )


@pytest.mark.parametrize("activation", list(engine.ACTIVATIONS))
@pytest.mark.parametrize("output, k", [("sigmoid", 1), ("softmax", 3)])
def test_the_numpy_forward_pass_equals_the_traced_one(activation, output, k):
    arch = engine.Architecture(
        sizes=(4, 5, 2, k), activation=activation, output=output, bottleneck_layer=1, optimizer="sgd"
    )
    rng = np.random.default_rng(1)
    x = rng.normal(size=(9, 4)).astype(np.float32)
    weights = [
        w + rng.normal(0, 0.3, w.shape).astype(np.float32)
        for w in initial_weights(arch.sizes, "he_normal", 1)
    ]
    bottleneck, logits, _ = engine._layers(arch, [tf.constant(w) for w in weights], tf.constant(x))
    probabilities = tf.math.sigmoid(logits) if output == "sigmoid" else tf.nn.softmax(logits)
    np.testing.assert_allclose(
        engine.numpy_forward(x, weights[:4], activation), bottleneck.numpy(), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        engine.numpy_forward(x, weights, activation, output), probabilities.numpy(), rtol=1e-5, atol=1e-6
    )


def test_metrics_are_read_by_name():
    dataset, data = small_sets()["sigmoid"]
    config = TrainConfig(epochs=3)
    fit = fit_network(config.architecture(dataset.n_features, dataset.n_classes), data, config)
    assert list(fit.history().columns) == list(engine.METRIC_NAMES) and list(fit.history().index) == [1, 2, 3]
    accuracy = fit.metric("test_accuracy", with_initial=True)
    assert len(accuracy) == 4
    np.testing.assert_array_equal(accuracy[1:], fit.history()["test_accuracy"])
    assert np.isnan(fit.metric("loss", with_initial=True)[0])  # no training rows before training
    with pytest.raises(ValueError):
        fit.metric("f1")


def test_a_trace_is_reused_across_runs_of_one_architecture():
    arch = engine.Architecture(
        sizes=(4, 3, 2, 1), activation="relu", output="sigmoid", bottleneck_layer=1, optimizer="adam"
    )
    assert engine.compiled(arch) is engine.compiled(arch)


def test_a_warmed_shape_is_not_traced_again():
    """`engine.warm` (run in the background for the presets) leaves the trace its training uses."""
    arch = engine.Architecture(
        sizes=(5, 4, 2, 3), activation="tanh", output="softmax", bottleneck_layer=1, optimizer="adagrad"
    )
    engine.warm(arch)
    misses = engine._compiled.cache_info().misses
    engine.compiled(arch)
    assert engine._compiled.cache_info().misses == misses


# --- The engine is Keras' own training, to float32 rounding ------------------------------------

KERAS_OPTIMIZERS = {  # Keras' own optimizers, with Keras' defaults, for each engine rule
    "sgd": "keras.optimizers.SGD(lr)",
    "momentum": "keras.optimizers.SGD(lr, momentum=0.9)",
    "nesterov": "keras.optimizers.SGD(lr, momentum=0.9, nesterov=True)",
    "rmsprop": "keras.optimizers.RMSprop(lr)",
    "adam": "keras.optimizers.Adam(lr)",
    "adagrad": "keras.optimizers.Adagrad(lr)",
}
KERAS_LOSSES = {"sigmoid": "binary_crossentropy", "softmax": "categorical_crossentropy"}
OUTPUT_ACTIVATIONS = [("sigmoid", "tanh"), ("softmax", "elu")]  # every optimizer is run with these
OTHER_ACTIVATIONS = [  # the hidden activations the optimizers' test does not use, with RMSprop
    (o, a) for o in ("sigmoid", "softmax") for a in engine.ACTIVATIONS if (o, a) not in OUTPUT_ACTIVATIONS
]
L2_OPTIMIZERS = ["sgd", "adam"]
COMPARED = [  # (optimizer, output, hidden activation, L2 weight decay)
    *[(opt, out, act, 0.0) for opt in OPTIMIZERS for out, act in OUTPUT_ACTIVATIONS],
    *[("rmsprop", out, act, 0.0) for out, act in OTHER_ACTIVATIONS],
    *[(opt, out, act, 0.01) for opt in L2_OPTIMIZERS for out, act in OUTPUT_ACTIVATIONS],
]
# The same initial weights and minibatch order for engine.fit and for Keras' model.fit with Keras'
# own optimizer and loss (and kernel_regularizer=L2(λ) on the hidden layers); per case, how far the
# weights moved, the largest gap between the two end weights, and both epochs' losses. Keras runs its
# training step eagerly (the same operations, untraced): for 8 minibatches a case, tracing each case's
# new model cost more than the steps (the traced model.fit is lib.keras_check's, tests/test_keras_check.py);
# each epoch's rows come as a tf.data.Dataset of batches, which Keras does not make again from arrays.
EXACT = f"""
import json
import keras
import numpy as np
import tensorflow as tf
from lib.initializers import initial_weights
from lib.keras_model import build_model
from lib.training import TrainConfig, fit_network, shuffles
from testkit.workloads import small_sets

small = small_sets()
found = {{}}
for optimizer, output, activation, l2 in {COMPARED!r}:
    dataset, data = small[output]
    config = TrainConfig(hidden=(3,), activation=activation, optimizer=optimizer, learning_rate=0.05,
                         batch_size=16, epochs=2, l2=l2)
    arch = config.architecture(dataset.n_features, dataset.n_classes)
    assert arch.output == output
    ours = fit_network(arch, data, config)
    start = initial_weights(arch.sizes, config.initializer, config.seed)
    model, _ = build_model(config, dataset.n_features, dataset.n_classes)
    model.set_weights(start)
    lr = config.learning_rate
    model.compile(optimizer=eval({KERAS_OPTIMIZERS!r}[optimizer]), loss={KERAS_LOSSES!r}[output],
                  run_eagerly=True)
    keras_loss = []
    for order in shuffles(config.seed, config.epochs, len(data.x_fit)):
        epoch = tf.data.Dataset.from_tensor_slices((data.x_fit[order], data.t_fit[order]))
        history = model.fit(epoch.batch(config.batch_size), shuffle=False, verbose=0)
        keras_loss += history.history["loss"]
    found[repr((optimizer, output, activation, l2))] = {{
        "moved": float(max(np.abs(a - b).max() for a, b in zip(ours.weight_history[-1], start))),
        "gap": float(max(np.abs(a - b).max() for a, b in zip(ours.weight_history[-1], model.get_weights()))),
        "ours": [float(v) for v in ours.metric("loss")],
        "keras": [float(v) for v in keras_loss],
    }}
"""

# With dropout or input noise, the two runs of one seed start from the same weights and see the same
# minibatches; only their random numbers differ: the engine draws its own (keras.random from a
# generator of its own), Keras' Dropout and GaussianNoise layers theirs. So the runs are compared over
# many seeds, paired by seed: per run, the last epoch's loss and the test accuracy. A small network
# (4 → 3 → 2 → 1, tanh, plain SGD) on banknotes, 2 epochs of 11 minibatches; one Keras model per
# setting, compiled once (its layers' generators go on from one seed's run to the next), given each
# seed's starting weights. The engine is also run at a neighbouring setting, for the comparison to
# tell apart.
SEEDS = 30
PERTURBATIONS = {  # setting: (its value, a neighbouring value the comparison must tell apart)
    "dropout": (0.5, 0.3),
    "noise": (1.0, 0.7),
}
IN_DISTRIBUTION = f"""
import math
from dataclasses import replace
from lib.datasets import load_dataset
from lib.keras_check import minibatches
from lib.training import engine_arrays, split, targets

banknotes = load_dataset("banknotes")
base = TrainConfig(hidden=(3,), activation="tanh", optimizer="sgd", learning_rate=0.2, batch_size=64,
                   epochs=2)
parts = split(banknotes, base)
data, arch = engine_arrays(parts, 2), base.architecture(4, 2)
t_fit, steps = targets(parts.y_fit, 2), math.ceil(len(parts.x_fit) / base.batch_size)


def engine_runs(config):  # (the last epoch's loss, test accuracy) of each seed
    runs = [fit_network(arch, data, replace(config, seed=seed)) for seed in range({SEEDS})]
    return [[float(run.metric("loss")[-1]), float(run.metric("test_accuracy")[-1])] for run in runs]


def keras_runs(config):
    model, _ = build_model(config, 4, 2)
    model.compile(optimizer=keras.optimizers.SGD(config.learning_rate), loss="binary_crossentropy")
    runs = []
    for seed in range({SEEDS}):
        model.set_weights(initial_weights(arch.sizes, config.initializer, seed))
        history = model.fit(minibatches(parts.x_fit, t_fit, replace(config, seed=seed)), epochs=config.epochs,
                            steps_per_epoch=steps, shuffle=False, verbose=0)
        predicted = np.asarray(model(parts.x_test, training=False))[:, 0] > 0.5
        runs.append([float(history.history["loss"][-1]), float(np.mean(predicted == parts.y_test))])
    return runs


found["in distribution"] = {{}}
for name, (value, neighbour) in {PERTURBATIONS!r}.items():
    found["in distribution"][name] = dict(
        keras=keras_runs(replace(base, **{{name: value}})),
        engine=engine_runs(replace(base, **{{name: value}})),
        neighbour=engine_runs(replace(base, **{{name: neighbour}})),
    )
"""
# Every comparison in one fresh process, in the background (testkit.fresh).
KERAS_COMPARISON = EXACT + IN_DISTRIBUTION + "print(json.dumps(found))\n"


@pytest.mark.fresh_process(KERAS_COMPARISON)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("output, activation", OUTPUT_ACTIVATIONS)
def test_engine_fit_equals_keras_model_fit(fresh, optimizer, output, activation):
    """Same initial weights, same minibatch order: engine.fit and Keras' model.fit, with Keras'
    own optimizer and loss, end 2 epochs (4 minibatches each, the last one short) on the same
    weights to float32 rounding."""
    assert_fit_equals_keras(fresh, optimizer, output, activation)


@pytest.mark.fresh_process(KERAS_COMPARISON)
@pytest.mark.parametrize("output, activation", OTHER_ACTIVATIONS)
def test_engine_fit_equals_keras_model_fit_for_every_hidden_activation(fresh, output, activation):
    """The same claim for the hidden activations the optimizers' test does not use (with RMSprop)."""
    assert_fit_equals_keras(fresh, "rmsprop", output, activation)


@pytest.mark.fresh_process(KERAS_COMPARISON)
@pytest.mark.parametrize("optimizer", L2_OPTIMIZERS)
@pytest.mark.parametrize("output, activation", OUTPUT_ACTIVATIONS)
def test_l2_weight_decay_equals_keras_kernel_regularizer(fresh, optimizer, output, activation):
    """With L2 weight decay, the same claim against Keras' kernel_regularizer=L2(λ) on the hidden
    layers: the same weights, and the loss with the penalty in it."""
    assert_fit_equals_keras(fresh, optimizer, output, activation, l2=0.01)


def paired_t(ours, theirs) -> float:
    """The mean of the per-seed differences in standard errors."""
    differences = np.asarray(ours) - np.asarray(theirs)
    return float(differences.mean() / (differences.std(ddof=1) / np.sqrt(len(differences))))


@pytest.mark.fresh_process(KERAS_COMPARISON)
@pytest.mark.parametrize("setting", list(PERTURBATIONS))
def test_dropout_and_noise_train_as_keras_does_in_distribution(fresh, setting):
    """Over 30 seeds, the engine's runs and Keras' model.fit runs (dropout 0.5 before the bottleneck,
    or input noise σ = 1) end with the same loss and test accuracy, in distribution: the mean of the
    per-seed differences lies within 4 standard errors of 0 (a generous level: p < 0.001 for each),
    and a two-sample Kolmogorov-Smirnov test does not tell the two sets of runs apart at the 1 %
    level. The engine at a neighbouring setting (dropout 0.3, σ = 0.7) lies far outside those 4 standard
    errors: the comparison would see a wrong rate or σ."""
    from scipy import stats

    runs = json.loads(fresh.last_line)["in distribution"][setting]
    keras_runs, ours, neighbour = (np.array(runs[k]) for k in ("keras", "engine", "neighbour"))
    assert keras_runs.shape == ours.shape == (SEEDS, 2)
    for column, statistic in enumerate(["loss", "test accuracy"]):
        t = paired_t(ours[:, column], keras_runs[:, column])
        assert abs(t) <= 4, f"{setting}: the engine's {statistic} lies {t:.1f} standard errors from Keras'"
        assert stats.ks_2samp(ours[:, column], keras_runs[:, column]).pvalue >= 0.01, statistic
    assert abs(paired_t(neighbour[:, 0], keras_runs[:, 0])) > 8  # the loss tells the neighbour apart


def test_the_keras_comparison_covers_every_optimizer_and_both_outputs():
    assert set(KERAS_OPTIMIZERS) == set(OPTIMIZERS) and set(KERAS_LOSSES) == {
        o for o, _ in OUTPUT_ACTIVATIONS
    }


def assert_fit_equals_keras(fresh, optimizer: str, output: str, activation: str, l2: float = 0.0) -> None:
    case = json.loads(fresh.last_line)[repr((optimizer, output, activation, l2))]
    assert case["moved"] > 0.05, "the weights hardly moved: the comparison would prove nothing"
    gap = case["gap"]
    assert gap <= 1e-5, f"{optimizer}: the weights differ by up to {gap:.2e} after 2 epochs"
    np.testing.assert_allclose(case["ours"], case["keras"], rtol=1e-5)  # the epoch's mean batch loss
