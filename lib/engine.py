"""The gradient-descent engine: one traced TensorFlow graph per kind of network.

Why not `model.fit`? Every Keras model and every fresh `tf.function` stays in the
process for good (about 4 MB each), and a Python loop of `fit(epochs=1)` spends
most of its time outside the arithmetic. Here weights and optimizer state are
plain tensors passed in and out of a traced, stateless function: one trace per
kind of network (`trace_key`: depth, activations, loss and optimizer, any widths) is
reused by every run and every session (a bounded cache keeps memory flat), nothing
is shared between threads, and one call trains a whole epoch (reshuffled
minibatches, last short batch kept) and evaluates it.

Dropout and input noise are random: their numbers for an epoch are drawn before it, by Keras'
own generator (`keras.random` with a `SeedGenerator` seeded by the run, built per call of `fit`,
its state carried in the `State`), and passed in like the data.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from lib import optimizers
from lib.lazy import LazyModule
from lib.lazy import tensorflow as tf  # imported when a network is first traced

keras = LazyModule("keras")  # imported when a training first draws dropout masks or input noise


@dataclass(frozen=True)
class Activation:
    """One activation in every form the code needs it, side by side (as scikit-learn keeps
    `ACTIVATIONS` and `DERIVATIVES` in `neural_network/_base.py`)."""

    tf: Callable  # z -> a inside the traced graph
    derivative: Callable  # da/dz written in terms of the output a (so backpropagation needs no z)
    numpy: Callable  # z -> a for any rows, outside the graph
    keras: str  # its name in `keras.layers.Dense(activation=...)`


def _sigmoid(z):
    with np.errstate(over="ignore"):  # exp(-z) = inf for z far below 0 gives the right limit, 0
        return 1 / (1 + np.exp(-z))


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# The activations of the hidden layers (and of the bottleneck); the one table every module reads.
ACTIVATIONS = {
    "relu": Activation(
        lambda z: tf.nn.relu(z), lambda a: tf.cast(a > 0, a.dtype), lambda z: np.maximum(z, 0), "relu"
    ),
    "tanh": Activation(lambda z: tf.math.tanh(z), lambda a: 1 - tf.square(a), np.tanh, "tanh"),
    "sigmoid": Activation(lambda z: tf.math.sigmoid(z), lambda a: a * (1 - a), _sigmoid, "sigmoid"),
    "elu": Activation(
        lambda z: tf.nn.elu(z),
        lambda a: tf.where(a > 0, tf.ones_like(a), a + 1),
        lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
        "elu",
    ),
    "linear": Activation(lambda z: tf.identity(z), lambda a: tf.ones_like(a), lambda z: z, "linear"),
}


@dataclass(frozen=True)
class Output:
    """One output layer: what its logits mean in NumPy, and its activation, loss and accuracy (the
    function `model.compile(metrics=["accuracy"])` picks for that loss) in Keras."""

    numpy: Callable  # logits -> class probabilities (sigmoid: of class 1) or reconstructed values
    keras: str
    keras_loss: str
    keras_accuracy: str | None = None  # none for reconstructed values


# Inside the graph each loss is computed from the logits (`_loss_and_accuracy`).
OUTPUTS = {
    "sigmoid": Output(_sigmoid, "sigmoid", "binary_crossentropy", "binary_accuracy"),
    "softmax": Output(_softmax, "softmax", "categorical_crossentropy", "categorical_accuracy"),
    "linear": Output(lambda z: z, "linear", "mean_squared_error"),
}
METRIC_NAMES = ("loss", "accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy")


@dataclass(frozen=True)
class Architecture:
    """A network: layer sizes, activations, loss and optimizer rule (a trace reads all but the sizes)."""

    sizes: tuple[int, ...]  # inputs, hidden..., outputs
    activation: str
    output: str
    bottleneck_layer: int  # index of the dense layer whose output is recorded
    optimizer: str

    @property
    def n_layers(self) -> int:
        return len(self.sizes) - 1

    @property
    def n_params(self) -> int:
        return sum((a + 1) * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))


@dataclass(frozen=True)
class Arrays:
    """Fitting, validation and test inputs and targets, float32 (gradient descent sees the fitting rows)."""

    x_fit: np.ndarray
    t_fit: np.ndarray
    x_val: np.ndarray
    t_val: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray


@dataclass(frozen=True, eq=False)
class State:
    """Where gradient descent stands after `epoch` epochs: the weights, the optimizer's two slots
    per weight (velocity, moments or accumulators: `lib.optimizers`), its step count (Adam's
    bias correction reads it) and the state of the generator of dropout masks and input noise
    (Keras' `SeedGenerator`: its seed, then how many draws it made). `fit` from it goes on as if it
    had never stopped, to the bit."""

    weights: tuple[np.ndarray, ...]
    slots: tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]
    step: int
    epoch: int
    generator: tuple[int, int] = (0, 0)


def initial_state(arch: Architecture, weights: Sequence[np.ndarray], seed: int = 0) -> State:
    """The state before the first epoch: `weights`, the optimizer's initial slots, and the
    generator of dropout masks and input noise seeded with `seed`."""
    slots = optimizers.initial_slots(arch.optimizer, [tf.constant(w, tf.float32) for w in weights])
    as_arrays = lambda tensors: tuple(t.numpy() for t in tensors)
    return State(
        tuple(np.asarray(w, np.float32) for w in weights), tuple(map(as_arrays, slots)), 0, 0, (seed, 0)
    )


@dataclass(frozen=True)
class Fit:
    """What one training leaves: per-epoch metrics and norms, snapshots, weights, the state it ended
    in. A fit that went on from a `State` holds only its own epochs, its snapshots from that state's."""

    metrics: np.ndarray  # (epochs, len(METRIC_NAMES)), columns named by METRIC_NAMES
    initial_metrics: np.ndarray  # (len(METRIC_NAMES),) before training; no fitting rows, so those NaN
    snapshots: np.ndarray  # (epochs + 1, n_test, bottleneck)
    weight_history: list[list[np.ndarray]]  # weights after each epoch, the initial ones first
    grad_norms: np.ndarray  # (epochs, n_layers): mean norm of dL/dW per step
    update_norms: np.ndarray  # (epochs, n_layers): mean norm of the step taken on W
    elapsed: np.ndarray  # (epochs + 1,): seconds from the call's start to each snapshot
    final: State  # to go on from

    @property
    def seconds(self) -> float:
        return float(self.elapsed[-1])

    def metric(self, name: str, with_initial: bool = False) -> np.ndarray:
        """One metric per epoch, by name; `with_initial` puts its value before the first epoch first."""
        column = METRIC_NAMES.index(name)
        values = self.metrics[:, column]
        return np.concatenate([[self.initial_metrics[column]], values]) if with_initial else values

    def history(self) -> pd.DataFrame:
        """The metrics as a table under their names, one row per epoch by its number in the run."""
        first = self.final.epoch - len(self.metrics) + 1
        index = pd.RangeIndex(first, self.final.epoch + 1, name="epoch")
        return pd.DataFrame(self.metrics, columns=list(METRIC_NAMES), index=index)


def _seen(arch: Architecture, layer: int, a, keep):
    """What dense layer `layer` multiplies by its weights: `a`, the output of the layer before it (or
    the inputs), times the dropout's factors `keep` (0 or 1/(1 − rate)) if it is the bottleneck."""
    return a * keep if keep is not None and layer == arch.bottleneck_layer else a


# Two forward passes, both reading ACTIVATIONS: `_layers` runs inside the traced graph (training,
# evaluation, snapshots); `numpy_forward` re-evaluates the trained network on any rows outside it.
def _layers(arch: Architecture, params, x, keep=None):
    """Forward pass; returns (bottleneck activations, output logits, every layer's output, the
    inputs first). `keep`: the dropout's factors on the bottleneck's inputs, in training (`_seen`)."""
    act = ACTIVATIONS[arch.activation].tf
    outputs = [x]
    for layer in range(arch.n_layers):
        x = tf.matmul(_seen(arch, layer, x, keep), params[2 * layer]) + params[2 * layer + 1]
        if layer < arch.n_layers - 1:
            x = act(x)
        outputs.append(x)
    return outputs[arch.bottleneck_layer + 1], x, outputs


def numpy_forward(x, weights: Sequence[np.ndarray], activation: str, output: str | None = None) -> np.ndarray:
    """The dense layers `weights` ([W0, b0, W1, b1, ...], any consecutive ones) on any rows, in
    NumPy: `activation` after each layer, except `output` after the last one when given."""
    h = np.asarray(x)
    n_layers = len(weights) // 2
    for layer in range(n_layers):
        z = h @ weights[2 * layer] + weights[2 * layer + 1]
        last = output is not None and layer == n_layers - 1
        h = OUTPUTS[output].numpy(z) if last else ACTIVATIONS[activation].numpy(z)
    return h


def _output_error(arch: Architecture, logits, targets):
    """dLoss/dlogits of the mean loss: the error signal that backpropagation carries back."""
    rows = tf.cast(tf.shape(logits)[0], logits.dtype)
    if arch.output == "sigmoid":
        return (tf.math.sigmoid(logits) - targets) / rows
    if arch.output == "softmax":
        return (tf.nn.softmax(logits) - targets) / rows
    return 2 * (logits - targets) / (rows * tf.cast(tf.shape(logits)[1], logits.dtype))


def _backward(arch: Architecture, params, outputs, error, keep=None):
    """Backpropagation by hand: [dW0, db0, dW1, db1, ...] from each layer's output (and the
    dropout's factors `keep`, which pass the error back to the nodes they kept, scaled).

    Written out rather than taped: the graph is a third the size, so it traces and
    first runs faster, and it is the algorithm the lesson on gradient descent explains.
    """
    derivative = ACTIVATIONS[arch.activation].derivative
    grads = []
    for layer in reversed(range(arch.n_layers)):
        seen = _seen(arch, layer, outputs[layer], keep)
        grads = [tf.matmul(seen, error, transpose_a=True), tf.reduce_sum(error, 0)] + grads
        if layer:
            error = _seen(arch, layer, tf.matmul(error, params[2 * layer], transpose_b=True), keep)
            error = error * derivative(outputs[layer])
    return grads


def _penalty(arch: Architecture, params, l2):
    """The L2 weight decay: l2 × the sum of the hidden layers' squared weights (not their biases,
    not the output layer's), as Keras' kernel_regularizer=L2(l2) adds it to the loss. With l2 = 0
    it is exactly 0, even for weights that overflowed."""
    # a net with no hidden layer (logistic regression) has no penalty: the sum starts at 0
    squares = tf.add_n(
        [tf.zeros(()), *(tf.reduce_sum(tf.square(params[2 * i])) for i in range(arch.n_layers - 1))]
    )
    return tf.math.multiply_no_nan(squares, l2)


def _decayed(arch: Architecture, grads, params, l2):
    """`grads` with the penalty's gradient, 2 × l2 × W, added to each hidden layer's weights."""
    hidden = range(arch.n_layers - 1)
    return [
        g + tf.math.multiply_no_nan(2 * params[i], l2) if i % 2 == 0 and i // 2 in hidden else g
        for i, g in enumerate(grads)
    ]


def _loss_and_accuracy(arch: Architecture, logits, targets):
    """Mean loss and accuracy from logits (NaN accuracy for a reconstruction loss)."""
    if arch.output == "sigmoid":
        loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits)
        hits = tf.cast(tf.equal(logits > 0, targets > 0.5), tf.float32)
    elif arch.output == "softmax":
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        hits = tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(targets, 1)), tf.float32)
    else:
        loss = tf.reduce_mean(tf.square(logits - targets), axis=1)
        hits = tf.fill(tf.shape(loss), np.float32(np.nan))
    return tf.reduce_mean(loss), tf.reduce_mean(hits)


def _signature(arch: Architecture):
    """Widths and row counts stay open: one trace serves every width of a network's depth, so a student
    who changes a layer's nodes waits for no new trace (the runs are those of static widths to float32
    rounding, and no slower)."""
    weights = [tf.TensorSpec([None, None], tf.float32), tf.TensorSpec([None], tf.float32)] * arch.n_layers
    matrix = tf.TensorSpec([None, None], tf.float32)
    scalar = lambda dtype: tf.TensorSpec([], dtype)
    return [matrix] * 6 + [
        tf.TensorSpec([None], tf.int32),
        weights,
        weights,
        weights,
        scalar(tf.int32),
        scalar(tf.float32),
        scalar(tf.int32),
        scalar(tf.float32),
        scalar(tf.float32),
        matrix,  # the input noise of each row of the epoch, in the order the rows are fed
        matrix,  # the dropout's factors on the bottleneck's inputs
    ]


def trace_key(arch: Architecture) -> Architecture:
    """What a trace depends on: `arch` with its widths zeroed (the traced graph reads none of them)."""
    return replace(arch, sizes=(0,) * len(arch.sizes))


_TRACE_LOCK = threading.Lock()
# Kinds of network whose traces are kept, about 4 MiB each: 200 trainings of ever new networks grow
# the server by less than 100 MB after the first 20 (`bench/bench_memory.py`). At 40 that growth was
# 190 MiB; a kind evicted costs its 0.2-0.3 s trace again when a student comes back to it.
TRACES_KEPT = 16


@functools.lru_cache(maxsize=TRACES_KEPT)
def _compiled(arch: Architecture, dropout: bool, noise: bool):
    """The traced epoch function for one `trace_key`, with or without dropout and input noise in
    training (a bounded cache keeps memory flat). Without them it takes their inputs and reads none.

    Called with no fitting rows it only evaluates: that gives the snapshot before training.
    """

    def epoch(x, t, xv, tv, xt, tt, perm, weights, s1, s2, step, lr, batch, momentum, l2, shifts, factors):
        n = tf.shape(x)[0]
        n_batches = (n + batch - 1) // batch
        zeros = tf.zeros([arch.n_layers])

        def body(b, weights, s1, s2, step, loss_sum, hit_sum, grad_sum, update_sum):
            rows = slice(b * batch, tf.minimum((b + 1) * batch, n))  # the minibatch's places in the epoch
            idx = perm[rows]
            xb, tb = tf.gather(x, idx), tf.gather(t, idx)
            if noise:
                xb = xb + shifts[rows]
            keep = factors[rows] if dropout else None
            _, logits, outputs = _layers(arch, weights, xb, keep)
            loss, acc = _loss_and_accuracy(arch, logits, tb)
            loss = loss + _penalty(arch, weights, l2)
            grads = _backward(arch, weights, outputs, _output_error(arch, logits, tb), keep)
            grads = _decayed(arch, grads, weights, l2)
            step = step + 1
            new_w, new_s1, new_s2 = [], [], []
            for w, g, a, c in zip(weights, grads, s1, s2):
                w2, a2, c2 = optimizers.apply(arch.optimizer, w, g, a, c, step, lr, momentum)
                new_w.append(w2)
                new_s1.append(a2)
                new_s2.append(c2)
            grad_norm = tf.stack([tf.norm(grads[2 * i]) for i in range(arch.n_layers)])
            update_norm = tf.stack([tf.norm(new_w[2 * i] - weights[2 * i]) for i in range(arch.n_layers)])
            size = tf.cast(tf.shape(idx)[0], tf.float32)
            return (
                b + 1,
                new_w,
                new_s1,
                new_s2,
                step,
                loss_sum + loss * size,
                hit_sum + acc * size,
                grad_sum + grad_norm,
                update_sum + update_norm,
            )

        _, weights, s1, s2, step, loss_sum, hit_sum, grad_sum, update_sum = tf.while_loop(
            lambda b, *rest: b < n_batches,
            body,
            (tf.constant(0), list(weights), list(s1), list(s2), step, 0.0, 0.0, zeros, zeros),
        )
        rows, batches = tf.cast(n, tf.float32), tf.cast(n_batches, tf.float32)
        val = _loss_and_accuracy(arch, _layers(arch, weights, xv)[1], tv)
        snapshot, test_logits, _ = _layers(arch, weights, xt)
        test = _loss_and_accuracy(arch, test_logits, tt)
        penalty = _penalty(arch, weights, l2)  # in every loss, as Keras reports them
        metrics = tf.stack(
            [loss_sum / rows, hit_sum / rows, val[0] + penalty, val[1], test[0] + penalty, test[1]]
        )
        return weights, s1, s2, step, metrics, snapshot, grad_sum / batches, update_sum / batches

    return tf.function(epoch, autograph=False).get_concrete_function(*_signature(arch))


def compiled(arch: Architecture, dropout: bool = False, noise: bool = False):
    """Trace once per `trace_key` (with or without dropout and input noise), even when several
    sessions ask at the same moment."""
    with _TRACE_LOCK:
        return _compiled(trace_key(arch), dropout, noise)


def _perturbations(arch: Architecture, generator, rows: int, dropout: float, noise: float):
    """One epoch's input noise (σ = `noise`) and dropout factors (`dropout` the rate), one row per
    place in the epoch, drawn by Keras' own random functions from `generator`; no rows for what is
    off."""
    width = arch.sizes[arch.bottleneck_layer]
    shifts, factors = tf.zeros((0, arch.sizes[0])), tf.zeros((0, width))
    if noise:
        shifts = keras.random.normal((rows, arch.sizes[0]), stddev=noise, seed=generator)
    if dropout:
        factors = keras.random.dropout(tf.ones((rows, width)), dropout, seed=generator)
    return shifts, factors


def fit(
    arch: Architecture,
    arrays: Arrays,
    start: State,
    permutations: np.ndarray,
    learning_rate: float,
    batch_size: int,
    momentum: float = 0.0,
    on_epoch: Callable[[int, dict], None] | None = None,
    l2: float = 0.0,
    dropout: float = 0.0,
    noise: float = 0.0,
) -> Fit:
    """Train on from `start` (`initial_state` for a new network) for len(permutations) epochs; each
    row of `permutations` orders one epoch's rows. `on_epoch` hears each epoch by its number counted
    from the first epoch of all. `l2`: the weight decay of the hidden layers' weights (`_penalty`);
    `dropout`: the rate of the dropout on the bottleneck's inputs; `noise`: σ of the Gaussian noise
    added to the inputs (both in training only, drawn from `start.generator`: `_perturbations`)."""
    started = time.perf_counter()
    epoch_fn = compiled(arch, dropout > 0, noise > 0)
    data = [
        tf.constant(a, tf.float32)
        for a in (arrays.x_fit, arrays.t_fit, arrays.x_val, arrays.t_val, arrays.x_test, arrays.t_test)
    ]
    w = [tf.constant(a, tf.float32) for a in start.weights]
    s1, s2 = ([tf.constant(a, tf.float32) for a in slot] for slot in start.slots)
    step = tf.constant(start.step, tf.int32)
    scalars = (
        tf.constant(learning_rate, tf.float32),
        tf.constant(batch_size, tf.int32),
        tf.constant(momentum, tf.float32),
        tf.constant(l2, tf.float32),
    )
    generator = None
    if dropout or noise:  # a generator for this call, where the start's left off
        generator = keras.random.SeedGenerator(int(start.generator[0]), name="perturbations")
        generator.state.assign(list(start.generator))
    no_rows = [data[0][:0], data[1][:0], *data[2:]]
    none = _perturbations(arch, None, 0, 0.0, 0.0)
    *_, initial, snapshot, _, _ = epoch_fn(
        *no_rows, tf.constant([], tf.int32), w, s1, s2, step, *scalars, *none
    )
    snapshots, history = [snapshot.numpy()], [[a.numpy() for a in w]]
    metrics, grads, updates, elapsed = [], [], [], [time.perf_counter() - started]
    for number, perm in enumerate(permutations, start=start.epoch + 1):
        drawn = _perturbations(arch, generator, len(perm), dropout, noise) if generator else none
        w, s1, s2, step, m, snapshot, g, u = epoch_fn(
            *data, tf.constant(perm, tf.int32), w, s1, s2, step, *scalars, *drawn
        )
        metrics.append(m.numpy())
        snapshots.append(snapshot.numpy())
        history.append([a.numpy() for a in w])
        grads.append(g.numpy())
        updates.append(u.numpy())
        elapsed.append(time.perf_counter() - started)
        if on_epoch is not None:
            on_epoch(number, dict(zip(METRIC_NAMES, (float(v) for v in metrics[-1]))))
    n_epochs = len(permutations)
    slots = tuple(tuple(a.numpy() for a in slot) for slot in (s1, s2))
    return Fit(
        metrics=np.array(metrics, dtype=np.float64).reshape(n_epochs, len(METRIC_NAMES)),
        initial_metrics=initial.numpy().astype(np.float64),
        snapshots=np.stack(snapshots),
        weight_history=history,
        grad_norms=np.array(grads).reshape(n_epochs, arch.n_layers),
        update_norms=np.array(updates).reshape(n_epochs, arch.n_layers),
        elapsed=np.array(elapsed),
        final=State(
            tuple(history[-1]),
            slots,
            int(step.numpy()),
            start.epoch + n_epochs,
            tuple(int(v) for v in generator.state.numpy()) if generator else start.generator,
        ),
    )


def warm(arch: Architecture) -> None:
    """Trace `arch`'s epoch function and run it once, on two rows of zeros, so that the first
    training of that shape waits for neither (a background thread does it for the presets)."""
    x, t = np.zeros((2, arch.sizes[0]), np.float32), np.zeros((2, arch.sizes[-1]), np.float32)
    weights = []
    for a, b in zip(arch.sizes[:-1], arch.sizes[1:]):
        weights += [np.zeros((a, b), np.float32), np.zeros(b, np.float32)]
    fit(arch, Arrays(x, t, x, t, x, t), initial_state(arch, weights), np.array([[0, 1]]), 0.01, 1)
