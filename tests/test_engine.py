"""The hand-written backpropagation equals TensorFlow's automatic gradients."""

import numpy as np
import pytest
import tensorflow as tf

from lib import engine
from lib.initializers import initial_weights


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


def test_a_trace_is_reused_across_runs_of_one_architecture():
    arch = engine.Architecture(
        sizes=(4, 3, 2, 1), activation="relu", output="sigmoid", bottleneck_layer=1, optimizer="adam"
    )
    assert engine.compiled(arch) is engine.compiled(arch)
