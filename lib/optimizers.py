"""Keras 3's optimizer update rules written as pure functions of tensors.

The engine keeps weights and optimizer state as loop values, not `tf.Variable`s,
so one traced graph serves every session at once without shared state. The
formulas and defaults follow `keras.optimizers` (epsilon 1e-7, RMSprop rho 0.9,
Adam betas 0.9/0.999, Adagrad initial accumulator 0.1).
"""

from __future__ import annotations

from lib.lazy import tensorflow as tf  # imported when a network is first traced

OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adagrad")
EPSILON = 1e-7


def initial_slots(name: str, weights):
    """Two state tensors per weight (unused ones stay zero): velocity/moments/accumulators."""
    first = [tf.zeros_like(w) for w in weights]
    fill = 0.1 if name == "adagrad" else 0.0
    second = [tf.fill(tf.shape(w), tf.constant(fill, w.dtype)) for w in weights]
    return first, second


def apply(name: str, w, g, s1, s2, step, lr, momentum):
    """One update of weight `w` with gradient `g`; returns (w, s1, s2). `step` counts from 1."""
    if name == "sgd":
        return w - lr * g, s1, s2
    if name == "momentum":
        s1 = momentum * s1 - lr * g
        return w + s1, s1, s2
    if name == "nesterov":
        s1 = momentum * s1 - lr * g
        return w + momentum * s1 - lr * g, s1, s2
    if name == "rmsprop":
        s2 = 0.9 * s2 + 0.1 * tf.square(g)
        return w - lr * g * tf.math.rsqrt(s2 + EPSILON), s1, s2
    if name == "adam":
        s1 = s1 + (g - s1) * 0.1
        s2 = s2 + (tf.square(g) - s2) * 0.001
        t = tf.cast(step, w.dtype)
        alpha = lr * tf.sqrt(1 - tf.pow(0.999, t)) / (1 - tf.pow(0.9, t))
        return w - alpha * s1 / (tf.sqrt(s2) + EPSILON), s1, s2
    if name == "adagrad":
        s2 = s2 + tf.square(g)
        return w - lr * g / tf.sqrt(s2 + EPSILON), s1, s2
    raise ValueError(f"Unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}.")
