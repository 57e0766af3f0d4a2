"""The engine checked against Keras' own `model.fit`, for one run.

The same network built in Keras (`lib.keras_model.build_model`), given the run's starting weights
(`model.set_weights`: nothing is seeded globally), fed the run's minibatches (each epoch's fitting
rows in the engine's order, batched as the engine batches them, the last short batch kept) and
trained by one `model.fit` with Keras' own optimizer and loss (and `kernel_regularizer=L2(λ)` when
the run has weight decay). Then both runs' weights after every epoch, the test rows' bottleneck
activations, test accuracies and training times are compared.

With dropout or input noise the two trainings cannot be the same: Keras' Dropout and GaussianNoise
layers draw their random numbers from generators of their own, the engine from its own, so the two
networks part from the first minibatch (`KerasCheck.exact` is False). Their accuracies still compare:
over many seeds the two trainings agree in distribution (tests/test_engine.py).

Keras' state is its thread's own (Keras 3 keeps it in thread-local storage): a check run in a
session's thread builds models there and clears nothing (`clear_session` is never called). One check
runs at a time in the process (`ONE_AT_A_TIME`), and it drops what its `model.fit` leaves in
TensorFlow's gradient registry (`_forget_gradients`), so that checks leave memory flat.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from dataclasses import dataclass

import numpy as np

from lib import engine
from lib.datasets import Dataset
from lib.initializers import initial_weights
from lib.keras_model import build_model
from lib.lazy import tensorflow as tf
from lib.training import Run, fit_rows, shuffles, split, targets

ONE_AT_A_TIME = threading.Lock()  # held by the check in flight
DRIFT = 1e-4  # a weight gap past this is more than float32 rounding (about 1e-7 after an epoch)


@dataclass(frozen=True)
class KerasCheck:
    """How far one run of the engine and the same run by Keras' `model.fit` lie apart."""

    weight_gaps: tuple[float, ...]  # the largest |engine − Keras| of any weight after each epoch
    bottleneck_gap: float  # the largest |engine − Keras| of the test rows' bottleneck activations, at the end
    bottleneck_size: float  # the largest |activation| among them (the engine's), to read the gap against
    engine_accuracy: float  # test accuracy after the last epoch
    keras_accuracy: float
    engine_seconds: float  # the run's training time
    keras_seconds: float  # model.fit's, its tracing included (as a first fit in a notebook)
    exact: bool = True  # whether the two trainings can be the same (not with dropout or input noise)

    @property
    def weight_gap(self) -> float:
        """The largest weight difference after the last epoch."""
        return self.weight_gaps[-1]

    @property
    def drift_epoch(self) -> int | None:
        """The first epoch whose weight gap is past `DRIFT` (None if none is): where rounding
        differences, amplified by training, became visible."""
        past = [epoch for epoch, gap in enumerate(self.weight_gaps, 1) if not gap <= DRIFT]
        return past[0] if past else None


def keras_optimizer(config):
    """Keras' own optimizer for the config's update rule (`lib.optimizers`), with Keras' defaults."""
    import keras

    lr, momentum = config.learning_rate, config.momentum
    make = {
        "sgd": lambda: keras.optimizers.SGD(lr),
        "momentum": lambda: keras.optimizers.SGD(lr, momentum=momentum),
        "nesterov": lambda: keras.optimizers.SGD(lr, momentum=momentum, nesterov=True),
        "rmsprop": lambda: keras.optimizers.RMSprop(lr),
        "adam": lambda: keras.optimizers.Adam(lr),
        "adagrad": lambda: keras.optimizers.Adagrad(lr),
    }
    return make[config.optimizer]()


def gap(a: np.ndarray, b: np.ndarray) -> float:
    """The largest |a − b|, where two equal values (NaN and NaN, inf and inf included) differ by 0."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    return float(np.where(same, 0.0, np.abs(a - b)).max(initial=0.0))


def weights_gap(ours, theirs) -> float:
    return max(gap(a, b) for a, b in zip(ours, theirs, strict=True))


def check_against_keras(dataset: Dataset, run: Run, on_epoch=None) -> KerasCheck:
    """Train `run`'s network again by Keras' `model.fit` (see the module docstring) and compare;
    `on_epoch(epoch)` hears each epoch Keras ends, from 1."""
    import keras

    config, n_classes = run.config, dataset.n_classes
    if run.dataset_name != dataset.name:
        raise ValueError("The run was not trained on this data set.")
    parts = split(dataset, config)
    arch = config.architecture(dataset.n_features, n_classes)
    model, features = build_model(config, dataset.n_features, n_classes)
    model.set_weights(initial_weights(arch.sizes, config.initializer, config.seed))
    steps = math.ceil(len(parts.x_fit) / config.batch_size)
    model.compile(
        optimizer=keras_optimizer(config),
        loss=engine.OUTPUTS[arch.output].keras_loss,
        steps_per_execution=steps,  # an epoch's minibatches in one call of the traced step: the same updates
    )
    after = []  # the weights after each epoch

    def keep(epoch: int, logs: dict) -> None:
        after.append(model.get_weights())
        if on_epoch is not None:
            on_epoch(epoch + 1)

    with ONE_AT_A_TIME, _forget_gradients():
        start = time.perf_counter()
        model.fit(
            minibatches(parts.x_fit, targets(parts.y_fit, n_classes), config),
            epochs=config.epochs,
            steps_per_epoch=steps,
            shuffle=False,  # the batches come in the engine's order
            callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=keep)],
            verbose=0,
        )
        seconds = time.perf_counter() - start
    # Keras' forward pass and accuracy function, untraced: `model.evaluate` would trace a test step
    # (a quarter of a check's time) for one batch of rows.
    scored = getattr(keras.metrics, engine.OUTPUTS[arch.output].keras_accuracy)
    accuracy = np.mean(scored(targets(parts.y_test, n_classes), model(parts.x_test, training=False)))
    bottleneck = np.asarray(features(parts.x_test, training=False))
    return KerasCheck(
        weight_gaps=tuple(weights_gap(ours, theirs) for ours, theirs in zip(run.weight_history[1:], after)),
        bottleneck_gap=gap(run.snapshots[-1], bottleneck),
        bottleneck_size=float(np.nanmax(np.abs(run.snapshots[-1]), initial=0.0)),
        engine_accuracy=run.test_accuracy,
        keras_accuracy=float(accuracy),
        engine_seconds=run.seconds,
        keras_seconds=seconds,
        exact=not (config.dropout or config.noise),
    )


@contextlib.contextmanager
def _forget_gradients():
    """Drop the gradient functions TensorFlow registered while this block ran.

    For each `tf.custom_gradient` traced into a graph TensorFlow registers a gradient function in a
    process-wide registry and never removes it. Keras' `model.fit` traces one (its optimizer's sum of the
    gradients over replicas) in each train function it traces, and the entry keeps that whole graph
    alive: about 4 MB a check, for the life of the server. A finished trace never looks its gradients up
    again, and no other trace runs meanwhile (`ONE_AT_A_TIME`; the engine registers none), so the
    entries the block added are dropped. (A private registry: tests/test_engine.py checks that
    checks leave it and the number of traced graphs as they were.)"""
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry
    before = set(registry)
    try:
        yield
    finally:
        for name in set(registry) - before:
            if name.startswith("CustomGradient-"):
                del registry[name]


def minibatches(x: np.ndarray, t: np.ndarray, config):
    """Every epoch's minibatches, one after the other, as the engine trains on them: each epoch's rows
    in its order (`lib.training.shuffles`), cut into batches of `config.batch_size`, the last short one
    kept. `model.fit(..., steps_per_epoch=ceil(rows / batch_size))` takes one epoch's batches per epoch."""
    x, t = tf.constant(x), tf.constant(t)
    orders = tf.data.Dataset.from_tensor_slices(shuffles(config.seed, config.epochs, len(x)))
    return orders.flat_map(
        lambda order: tf.data.Dataset.from_tensor_slices((tf.gather(x, order), tf.gather(t, order))).batch(
            config.batch_size
        )
    )


def minibatch_steps(n_rows: int, config) -> int:
    """How many minibatch updates a training of `config` on `n_rows` rows makes."""
    return config.epochs * math.ceil(fit_rows(n_rows, config) / config.batch_size)


# What a check costs on this project's 2-core machine, idle (2026-12-07, 18:40): about 0.6 s (building,
# compiling, tracing, Keras' accuracy) and 0.3-0.5 ms a minibatch update for the bundled data sets'
# networks, an epoch's updates in one call (`steps_per_execution`): 0.86-0.98 s for wine's 300 updates,
# 0.89 s for banknotes' 1,050, 0.71 s for breast cancer's 450, 1.08-1.18 s for digits' 1,375 (with
# `model.evaluate`, before: 1.32 s for wine, 1.5-1.9 s for digits). Under a load of 4 to 6, about
# twice that. Measured with
# `python -c "import time; from lib.datasets import load_dataset as L; from lib.presets import
# default_config_for as P; from lib.training import train; from lib.keras_check import
# check_against_keras as C, minibatch_steps as S; d = L('digits'); r = train(d, P(d)); t =
# time.perf_counter(); C(d, r); print(S(len(d.y), P(d)), time.perf_counter() - t)"` for each data set.
START_SECONDS, STEP_SECONDS = 0.6, 0.0004


def estimated_seconds(n_rows: int, config) -> float:
    """About how long `check_against_keras` takes for `config` on `n_rows` rows (see above)."""
    return START_SECONDS + STEP_SECONDS * minibatch_steps(n_rows, config)
