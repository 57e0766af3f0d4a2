"""The engine: hand-written backpropagation equals TensorFlow's automatic gradients, its
NumPy forward pass equals the traced one, and its training equals Keras' own `model.fit`."""

import numpy as np
import pytest
import tensorflow as tf

from lib import engine
from lib.datasets import load_dataset
from lib.initializers import initial_weights
from lib.keras_model import build_model
from lib.optimizers import OPTIMIZERS
from lib.training import TrainConfig, fit_network, shuffles, split, targets


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


def test_metrics_are_read_by_name(small_sets):
    dataset, data = small_sets["sigmoid"]
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
    "sgd": lambda keras, lr: keras.optimizers.SGD(lr),
    "momentum": lambda keras, lr: keras.optimizers.SGD(lr, momentum=0.9),
    "nesterov": lambda keras, lr: keras.optimizers.SGD(lr, momentum=0.9, nesterov=True),
    "rmsprop": lambda keras, lr: keras.optimizers.RMSprop(lr),
    "adam": lambda keras, lr: keras.optimizers.Adam(lr),
    "adagrad": lambda keras, lr: keras.optimizers.Adagrad(lr),
}
KERAS_LOSSES = {"sigmoid": "binary_crossentropy", "softmax": "categorical_crossentropy"}


@pytest.fixture(scope="module")
def small_sets(banknotes):
    """60 training rows each of a sigmoid problem (banknotes) and a softmax one (wine)."""
    sets = {}
    for output, dataset in (("sigmoid", banknotes), ("softmax", load_dataset("wine"))):
        parts = split(dataset, TrainConfig())
        x, t = parts.x_fit[:60], targets(parts.y_fit[:60], dataset.n_classes)
        sets[output] = (dataset, engine.Arrays(x, t, x, t, x, t))
    return sets


OUTPUT_ACTIVATIONS = [("sigmoid", "tanh"), ("softmax", "elu")]  # every optimizer is run with these


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("output, activation", OUTPUT_ACTIVATIONS)
def test_engine_fit_equals_keras_model_fit(small_sets, optimizer, output, activation):
    """Same initial weights, same minibatch order: engine.fit and Keras' model.fit, with Keras'
    own optimizer and loss, end 2 epochs (4 minibatches each, the last one short) on the same
    weights to float32 rounding."""
    assert_fit_equals_keras(small_sets, optimizer, output, activation)


@pytest.mark.parametrize(
    "output, activation",
    [(o, a) for o in ("sigmoid", "softmax") for a in engine.ACTIVATIONS if (o, a) not in OUTPUT_ACTIVATIONS],
)
def test_engine_fit_equals_keras_model_fit_for_every_hidden_activation(small_sets, output, activation):
    """The same claim for the hidden activations the optimizers' test does not use (with RMSprop)."""
    assert_fit_equals_keras(small_sets, "rmsprop", output, activation)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("output, activation", OUTPUT_ACTIVATIONS)
def test_l2_weight_decay_equals_keras_kernel_regularizer(small_sets, optimizer, output, activation):
    """With L2 weight decay, the same claim against Keras' kernel_regularizer=L2(λ) on the hidden
    layers: the same weights, and the loss with the penalty in it."""
    assert_fit_equals_keras(small_sets, optimizer, output, activation, l2=0.01)


def test_the_keras_comparison_covers_every_optimizer_and_both_outputs():
    assert set(KERAS_OPTIMIZERS) == set(OPTIMIZERS) and set(KERAS_LOSSES) == {
        o for o, _ in OUTPUT_ACTIVATIONS
    }


def assert_fit_equals_keras(
    small_sets, optimizer: str, output: str, activation: str, l2: float = 0.0
) -> None:
    import keras

    dataset, data = small_sets[output]
    config = TrainConfig(
        hidden=(3,),
        activation=activation,
        optimizer=optimizer,
        learning_rate=0.05,
        batch_size=16,
        epochs=2,
        l2=l2,
    )
    arch = config.architecture(dataset.n_features, dataset.n_classes)
    assert arch.output == output
    ours = fit_network(arch, data, config)

    start = initial_weights(arch.sizes, config.initializer, config.seed)
    model, _ = build_model(config, dataset.n_features, dataset.n_classes)
    model.set_weights(start)
    model.compile(
        optimizer=KERAS_OPTIMIZERS[optimizer](keras, config.learning_rate), loss=KERAS_LOSSES[output]
    )
    keras_loss = []
    for order in shuffles(config.seed, config.epochs, len(data.x_fit)):
        history = model.fit(
            data.x_fit[order], data.t_fit[order], batch_size=config.batch_size, shuffle=False, verbose=0
        )
        keras_loss += history.history["loss"]

    moved = max(np.abs(a - b).max() for a, b in zip(ours.weight_history[-1], start))
    assert moved > 0.05, "the weights hardly moved: the comparison would prove nothing"
    gap = max(np.abs(a - b).max() for a, b in zip(ours.weight_history[-1], model.get_weights()))
    assert gap <= 1e-5, f"{optimizer}: the weights differ by up to {gap:.2e} after 2 epochs"
    np.testing.assert_allclose(ours.metric("loss"), keras_loss, rtol=1e-5)  # the epoch's mean batch loss
