"""The engine: hand-written backpropagation equals TensorFlow's automatic gradients, its NumPy
forward pass equals the traced one; and Keras' own `model.fit` against it, in one fresh process: the
engine's trainings, exact while another thread clears Keras' session and equal to another process's;
the check (lib.keras_check) against a direct Keras run, on every bundled data set and an upload, with
L2 weight decay, in a thread of its own, leaving Keras' and the random generators' global state alone;
the engine's training itself, equal to Keras' to float32 rounding and, with dropout or input noise, in
distribution; and as accurate as Keras' own fit of the same network."""

import json
from dataclasses import replace

import numpy as np
import pytest
import tensorflow as tf

from lib import engine
from lib.datasets import DATASET_NAMES, load_dataset
from lib.initializers import initial_weights
from lib.keras_check import DRIFT, KerasCheck, estimated_seconds, minibatch_steps, weights_gap
from lib.optimizers import OPTIMIZERS
from lib.presets import default_config_for
from lib.training import DEEPER_LESSON, TrainConfig, engine_arrays, fit_network, split, train
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


def test_a_trace_is_reused_across_runs_and_widths_of_one_kind_of_network():
    """A student who changes a layer's nodes (or the data set's features) waits for no new trace;
    another depth, activation or optimizer is another trace."""
    arch = engine.Architecture(
        sizes=(4, 3, 2, 1), activation="relu", output="sigmoid", bottleneck_layer=1, optimizer="adam"
    )
    assert engine.compiled(arch) is engine.compiled(arch)
    assert engine.compiled(arch) is engine.compiled(replace(arch, sizes=(13, 8, 2, 1)))
    for other in (dict(sizes=(4, 3, 3, 2, 1)), dict(activation="tanh"), dict(optimizer="sgd")):
        assert engine.compiled(replace(arch, **other)) is not engine.compiled(arch)


def test_a_warmed_shape_is_not_traced_again():
    """`engine.warm` (run in the background for the presets) leaves the trace its training uses."""
    arch = engine.Architecture(
        sizes=(5, 4, 2, 3), activation="tanh", output="softmax", bottleneck_layer=1, optimizer="adagrad"
    )
    engine.warm(arch)
    misses = engine._compiled.cache_info().misses
    engine.compiled(arch)
    assert engine._compiled.cache_info().misses == misses


# --- Trainings in a fresh process: determinism while Keras' session is cleared, Keras' own fit ----

# Streamlit called keras.backend.clear_session() after every script run of every session (the app
# turns that off: ui.startup), so a training in one session must not notice another session's run
# ending. In a fresh process: a clear is process-wide. Each run as exact numbers: the history's
# columns, index and values, and the snapshots. The first run, before any clear, is also the lesson's
# network trained in another process than the tests' (test_deterministic_across_processes).
WHILE_CLEARED = """
import concurrent.futures, json, threading
from lib.datasets import load_dataset
from lib.training import DEEPER_LESSON, train
import keras
banknotes = load_dataset("banknotes")
alone = train(banknotes, DEEPER_LESSON)
done = threading.Event()

def clear_until_done():  # some twenty clears during the three runs
    # A clear empties TensorFlow's kernel cache, which the next epoch fills again: a clear every
    # millisecond made these runs take 3 s of CPU instead of 0.4 s, and told nothing more.
    while not done.wait(0.05):
        keras.backend.clear_session(free_memory=False)

clearer = threading.Thread(target=clear_until_done)
clearer.start()
try:
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        runs = [f.result() for f in [pool.submit(train, banknotes, DEEPER_LESSON) for _ in range(3)]]
finally:
    done.set()
    clearer.join()
trainings = {"while cleared": [
    [list(r.history.columns), r.history.index.tolist(), r.history.to_numpy().tolist(), r.snapshots.tolist()]
    for r in [alone, *runs]
]}
"""


# Keras' own fit of a small network, for each of five seeds: its test accuracy (run last, with the
# imports and data of the scripts before it). It fits the rows the engine fits, the training rows but the
# validation ones, as validation_split=0.3 would on all training rows, without scoring the validation
# rows after every epoch (which changes no weight). One model compiled once (Keras traces its step once,
# a second a model) starts each seed from that seed's initial weights and a new optimizer's state.
COMPARED_SEEDS = range(5)
KERAS_FIT = f"""
from lib.keras_model import build_model
from lib.training import TrainConfig, split
theirs = []
model, _ = build_model(TrainConfig(hidden=(3,)), 4, 2)
steps = -(-len(split(banknotes, TrainConfig()).x_fit) // 16)  # an epoch's minibatches in one traced call
model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="binary_crossentropy", metrics=["accuracy"],
              steps_per_execution=steps)
model.optimizer.build(model.trainable_variables)
new_optimizer = [variable.numpy() for variable in model.optimizer.variables]
for seed in {COMPARED_SEEDS!r}:
    config = TrainConfig(hidden=(3,), epochs=15, seed=seed)
    parts = split(banknotes, config)
    model.set_weights(build_model(config, 4, 2)[0].get_weights())
    for variable, value in zip(model.optimizer.variables, new_optimizer):
        variable.assign(value)
    model.fit(parts.x_fit, parts.y_fit, batch_size=16, epochs=15, verbose=0)
    theirs.append(model.evaluate(parts.x_test, parts.y_test, verbose=0)[1])
trainings["keras fit"] = theirs
"""


# --- Keras' own model.fit against the engine, in a fresh process -----------------------------------

L2_CONFIG = replace(DEEPER_LESSON, optimizer="adam", l2=0.01)
PERTURBED_CONFIG = replace(DEEPER_LESSON, dropout=0.3, noise=0.5)
# One fresh process, in the background (testkit.fresh): Keras' model.fit there leaves this one's Keras
# state alone. Each case: the check of the engine's run, and the same run by a direct Keras loop (one
# model.fit per epoch on the fitting rows in the engine's order, cut into batches: a tf.data.Dataset per
# epoch, which Keras does not make again from arrays on every call), with the optimizer the page's Keras
# script writes (lib.codegen).
CHECKS = f"""
import json, random, threading
from dataclasses import asdict
import numpy as np
from lib import engine  # first, as in the app: lib sets TensorFlow's environment before its import
import keras
import tensorflow as tf
from lib.codegen import OPTIMIZER_CODE
from lib.csv_reader import read_csv
from lib.datasets import DATASET_NAMES, load_dataset
from lib.initializers import initial_weights
from lib.keras_check import check_against_keras, gap, keras_optimizer, weights_gap
from lib.keras_model import build_model
from lib.presets import default_config_for
from lib.training import TrainConfig, shuffles, split, targets, train
from testkit.workloads import fruit_csv

first_name = keras.layers.Dense(1).name


def direct(dataset, config, run):
    parts = split(dataset, config)
    arch = config.architecture(dataset.n_features, dataset.n_classes)
    model, features = build_model(config, dataset.n_features, dataset.n_classes)
    model.set_weights(initial_weights(arch.sizes, config.initializer, config.seed))
    code = OPTIMIZER_CODE[config.optimizer].format(lr=config.learning_rate, momentum=config.momentum)
    optimizer = eval(code)
    steps = -(-len(parts.x_fit) // config.batch_size)  # an epoch's minibatches in one traced call
    model.compile(optimizer=optimizer, loss=engine.OUTPUTS[arch.output].keras_loss, metrics=["accuracy"],
                  steps_per_execution=steps)
    t_fit = targets(parts.y_fit, dataset.n_classes)
    for order in shuffles(config.seed, config.epochs, len(parts.x_fit)):
        epoch = tf.data.Dataset.from_tensor_slices((parts.x_fit[order], t_fit[order]))
        model.fit(epoch.batch(config.batch_size), shuffle=False, verbose=0)
    _, accuracy = model.evaluate(parts.x_test, targets(parts.y_test, dataset.n_classes), verbose=0)
    return dict(
        weight_gap=weights_gap(run.weights, model.get_weights()),
        bottleneck_gap=gap(run.snapshots[-1], features.predict(parts.x_test, verbose=0)),
        keras_accuracy=float(accuracy),
    )


found, epochs_heard, states_kept = {{}}, [], []


def global_states():
    return np.random.get_state()[1].copy(), random.getstate()


def case(label, dataset, config, compare=False):
    run = train(dataset, config)
    (numpy_state, python_state) = global_states()
    check = check_against_keras(dataset, run, on_epoch=epochs_heard.append if label == "banknotes" else None)
    states_kept.append(bool((global_states()[0] == numpy_state).all()) and global_states()[1] == python_state)
    found[label] = dict(check=asdict(check), n_test=len(run.y_test), epochs=config.epochs)
    if compare:
        found[label]["direct"] = direct(dataset, config, run)


for name in DATASET_NAMES:
    dataset = load_dataset(name)
    case(name, dataset, default_config_for(dataset), compare=name == "banknotes")
upload = read_csv(fruit_csv(), name="fruit.csv")
case("upload", upload, default_config_for(upload), compare=True)
case("l2", load_dataset("banknotes"), {L2_CONFIG!r}, compare=True)
thread = threading.Thread(target=case, args=("thread", load_dataset("banknotes"), {L2_CONFIG!r}))
thread.start()
thread.join()
case("perturbed", load_dataset("banknotes"), {PERTURBED_CONFIG!r})


def held():  # what TensorFlow keeps for the life of the process: gradient functions, traced graphs
    import gc
    from tensorflow.python.framework import ops
    from tensorflow.python.framework.func_graph import FuncGraph

    gc.collect()
    return len(ops._gradient_registry._registry), sum(isinstance(o, FuncGraph) for o in gc.get_objects())


banknotes = load_dataset("banknotes")
run = train(banknotes, TrainConfig(hidden=(5,), epochs=3))
memory = [held()]
for seed in range(3):  # each check a new model, so new traces
    check_against_keras(banknotes, run)
    memory.append(held())
train(banknotes, TrainConfig(hidden=(6, 4), epochs=2))  # a shape the engine never traced here
memory.append(held())
optimizers_agree = {{}}
for name in OPTIMIZER_CODE:
    config = TrainConfig(optimizer=name, learning_rate=0.05, momentum=0.8)
    code = OPTIMIZER_CODE[name].format(lr=config.learning_rate, momentum=config.momentum)
    ours, theirs = keras_optimizer(config).get_config(), eval(code).get_config()
    optimizers_agree[name] = type(keras_optimizer(config)) is type(eval(code)) and all(
        ours[key] == theirs[key] for key in ours if key != "name"  # Keras numbers its optimizers' names
    )
print("checks:", json.dumps(dict(
    memory=memory,
    optimizers_agree=optimizers_agree,
    found=found,
    epochs_heard=epochs_heard,
    names=[first_name, keras.layers.Dense(1).name],
    states_kept=states_kept,
)))
"""
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
ENGINE_CASES = [  # (optimizer, output, hidden activation, L2 weight decay)
    *[(opt, out, act, 0.0) for opt in OPTIMIZERS for out, act in OUTPUT_ACTIVATIONS],
    *[("rmsprop", out, act, 0.0) for out, act in OTHER_ACTIVATIONS],
    *[(opt, out, act, 0.01) for opt in L2_OPTIMIZERS for out, act in OUTPUT_ACTIVATIONS],
]
# The same initial weights and minibatch order for engine.fit and for Keras' model.fit with Keras'
# own optimizer and loss (and kernel_regularizer=L2(λ) on the hidden layers); per case, how far the
# weights moved, the largest gap between the two end weights, and both epochs' losses. Keras runs its
# training step eagerly (the same operations, untraced): for 8 minibatches a case, tracing each case's
# new model cost more than the steps (the traced model.fit is lib.keras_check's, tests/test_keras_check.py);
# one model.fit a case takes every epoch's minibatches in the engine's order (lib.keras_check.minibatches).
EXACT = f"""
import json
import keras
import numpy as np
import tensorflow as tf
from lib.initializers import initial_weights
from lib.keras_check import minibatches
from lib.keras_model import build_model
from lib.training import TrainConfig, fit_network
from testkit.workloads import small_sets

small = small_sets()
found = {{}}
for optimizer, output, activation, l2 in {ENGINE_CASES!r}:
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
    history = model.fit(minibatches(data.x_fit, data.t_fit, config), epochs=config.epochs,
                        steps_per_epoch=-(-len(data.x_fit) // config.batch_size), shuffle=False, verbose=0)
    keras_loss = history.history["loss"]
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
    model.compile(optimizer=keras.optimizers.SGD(config.learning_rate), loss="binary_crossentropy",
                  steps_per_execution=steps)  # an epoch's minibatches in one traced call
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
# Every Keras training of this file in one fresh process (one Keras import): the clears first, where
# nothing else ran yet; then the check's cases, which count Keras' layer names from a process that made
# no layer since (a clear starts them again); the comparisons; Keras' own fit last.
KERAS_COMPARISON = EXACT + IN_DISTRIBUTION + 'print("engine:", json.dumps(found))\n'
KERAS_RUNS = (
    WHILE_CLEARED + CHECKS + KERAS_COMPARISON + KERAS_FIT + 'print("trainings:", json.dumps(trainings))\n'
)


@pytest.mark.fresh_process(KERAS_RUNS)
def test_deterministic_while_the_keras_session_is_cleared(fresh):
    alone, *runs = printed(fresh, "trainings")["while cleared"]
    assert len(runs) == 3 and np.shape(alone[3]) == (26, 412, 2)
    for run in runs:
        assert run[:3] == alone[:3]  # the history: columns, epochs, every number
        np.testing.assert_array_equal(run[3], alone[3])


@pytest.mark.fresh_process(KERAS_RUNS)
def test_deterministic_across_processes(banknotes, fresh):
    _, _, history, snapshots = printed(fresh, "trainings")["while cleared"][0]  # its first training
    last = snapshots[-1]
    here = train(banknotes, DEEPER_LESSON)
    np.testing.assert_array_equal(np.array(history), here.history.to_numpy())
    np.testing.assert_array_equal(np.array(last, dtype=np.float32), here.snapshots[-1])


@pytest.mark.fresh_process(KERAS_RUNS)
def test_comparable_to_plain_model_fit(banknotes, fresh):
    """train() and Keras' own fit on the same config reach comparable test accuracy (Keras' fit,
    unseeded, runs in a fresh process: it leaves this one's Keras state alone)."""
    configs = [TrainConfig(hidden=(3,), epochs=15, seed=seed) for seed in COMPARED_SEEDS]
    ours = [train(banknotes, config).test_accuracy for config in configs]
    theirs = printed(fresh, "trainings")["keras fit"]
    # Medians: a 2-node ReLU bottleneck dies now and then, in Keras' own runs too.
    assert abs(np.median(ours) - np.median(theirs)) < 0.03, (ours, theirs)
    assert np.median(ours) > 0.95


@pytest.mark.fresh_process(KERAS_RUNS)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("output, activation", OUTPUT_ACTIVATIONS)
def test_engine_fit_equals_keras_model_fit(fresh, optimizer, output, activation):
    """Same initial weights, same minibatch order: engine.fit and Keras' model.fit, with Keras'
    own optimizer and loss, end 2 epochs (4 minibatches each, the last one short) on the same
    weights to float32 rounding."""
    assert_fit_equals_keras(fresh, optimizer, output, activation)


@pytest.mark.fresh_process(KERAS_RUNS)
@pytest.mark.parametrize("output, activation", OTHER_ACTIVATIONS)
def test_engine_fit_equals_keras_model_fit_for_every_hidden_activation(fresh, output, activation):
    """The same claim for the hidden activations the optimizers' test does not use (with RMSprop)."""
    assert_fit_equals_keras(fresh, "rmsprop", output, activation)


@pytest.mark.fresh_process(KERAS_RUNS)
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


@pytest.mark.fresh_process(KERAS_RUNS)
@pytest.mark.parametrize("setting", list(PERTURBATIONS))
def test_dropout_and_noise_train_as_keras_does_in_distribution(fresh, setting):
    """Over 30 seeds, the engine's runs and Keras' model.fit runs (dropout 0.5 before the bottleneck,
    or input noise σ = 1) end with the same loss and test accuracy, in distribution: the mean of the
    per-seed differences lies within 4 standard errors of 0 (a generous level: p < 0.001 for each),
    and a two-sample Kolmogorov-Smirnov test does not tell the two sets of runs apart at the 1 %
    level. The engine at a neighbouring setting (dropout 0.3, σ = 0.7) lies far outside those 4 standard
    errors: the comparison would see a wrong rate or σ."""
    from scipy import stats

    runs = printed(fresh, "engine")["in distribution"][setting]
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
    case = printed(fresh, "engine")[repr((optimizer, output, activation, l2))]
    assert case["moved"] > 0.05, "the weights hardly moved: the comparison would prove nothing"
    gap = case["gap"]
    assert gap <= 1e-5, f"{optimizer}: the weights differ by up to {gap:.2e} after 2 epochs"
    np.testing.assert_allclose(case["ours"], case["keras"], rtol=1e-5)  # the epoch's mean batch loss


# --- The check ---------------------------------------------------------------------------------

CASES = [*DATASET_NAMES, "upload", "l2"]
COMPARED = ["banknotes", "upload", "l2"]


def printed(fresh, label: str) -> dict:
    """What the fresh process printed after `label:`, as JSON."""
    return json.loads(fresh.after(label))


def found(fresh) -> dict:
    return printed(fresh, "checks")["found"]


def check_of(fresh, case: str) -> KerasCheck:
    return KerasCheck(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in found(fresh)[case]["check"].items()}
    )


@pytest.mark.fresh_process(KERAS_RUNS)
@pytest.mark.parametrize("case", CASES)
def test_the_first_epoch_is_keras_own_to_float32_rounding(fresh, case):
    """On every bundled data set's opening network, an upload's and one with L2 weight decay: after
    epoch 1 no weight differs from Keras' by more than float32 rounding; both runs are timed."""
    check = check_of(fresh, case)
    assert len(check.weight_gaps) == found(fresh)[case]["epochs"]
    assert check.weight_gaps[0] <= 1e-6, check.weight_gaps[:3]
    assert check.keras_seconds > 0 and check.engine_seconds > 0


@pytest.mark.fresh_process(KERAS_RUNS)
@pytest.mark.parametrize("case", ["banknotes", "iris", "breast_cancer", "upload", "l2"])
def test_trainings_that_do_not_amplify_rounding_end_on_keras_weights(fresh, case):
    """Where rounding differences hardly grow, the two networks end within 10⁻⁴ of each other (weights,
    and the test rows' bottleneck activations relative to their size), and agree on every test row but
    at most one."""
    check = check_of(fresh, case)
    assert check.drift_epoch is None and check.weight_gap <= DRIFT
    assert check.bottleneck_gap <= DRIFT * max(1.0, check.bottleneck_size)
    assert abs(check.engine_accuracy - check.keras_accuracy) <= 1 / found(fresh)[case]["n_test"] + 1e-9


@pytest.mark.fresh_process(KERAS_RUNS)
@pytest.mark.parametrize("case", ["wine", "digits"])
def test_trainings_that_amplify_rounding_drift_late_and_keep_their_accuracy(fresh, case):
    """wine's and digits' opening networks amplify rounding: the check names the epoch their weights
    first differ by more than 10⁻⁴, well after the first; the two accuracies stay within 5 points."""
    check = check_of(fresh, case)
    assert check.drift_epoch is not None and check.drift_epoch >= 5
    assert all(gap <= DRIFT for gap in check.weight_gaps[: check.drift_epoch - 1])
    assert abs(check.engine_accuracy - check.keras_accuracy) <= 0.05


@pytest.mark.fresh_process(KERAS_RUNS)
@pytest.mark.parametrize("case", COMPARED)
def test_the_check_reports_what_a_direct_keras_loop_gives(fresh, case):
    """One model.fit over the engine's minibatches (the check) and one model.fit per epoch on the rows
    in the engine's order, with the optimizer the page's script writes: the same distances from the
    engine's run and the same test accuracy."""
    check, theirs = found(fresh)[case]["check"], found(fresh)[case]["direct"]
    assert check["keras_accuracy"] == theirs["keras_accuracy"]
    assert check["weight_gaps"][-1] == pytest.approx(theirs["weight_gap"], rel=1e-3, abs=1e-6)
    assert check["bottleneck_gap"] == pytest.approx(theirs["bottleneck_gap"], rel=1e-3, abs=1e-6)


@pytest.mark.fresh_process(KERAS_RUNS)
def test_a_check_in_a_thread_of_its_own_equals_one_in_the_main_thread(fresh):
    """As a Streamlit session runs it: Keras keeps its state per thread, and the check is the same."""
    assert found(fresh)["thread"]["check"]["weight_gaps"] == found(fresh)["l2"]["check"]["weight_gaps"]
    assert found(fresh)["thread"]["check"]["keras_accuracy"] == found(fresh)["l2"]["check"]["keras_accuracy"]


@pytest.mark.fresh_process(KERAS_RUNS)
def test_the_check_leaves_keras_and_the_random_generators_alone(fresh):
    """No clear_session (Keras' layer names go on counting), no global seed (NumPy's and Python's
    generators are where they were); the progress callback hears every epoch in order."""
    checks = printed(fresh, "checks")
    assert checks["names"] == ["dense", "dense_1"]
    assert checks["states_kept"] == [True] * (len(CASES) + 2)  # the thread's and the perturbed run's too
    assert checks["epochs_heard"] == list(range(1, default_config_for(load_dataset("banknotes")).epochs + 1))


@pytest.mark.fresh_process(KERAS_RUNS)
def test_with_dropout_and_noise_the_check_says_the_trainings_differ_by_design(fresh):
    """Keras' Dropout and GaussianNoise layers draw other random numbers than the engine: the check
    says it cannot be exact (the page then compares no weights), the two networks part at once, and
    their test accuracies stay close. The other checks are exact."""
    check = check_of(fresh, "perturbed")
    assert not check.exact and check.weight_gaps[0] > DRIFT
    assert abs(check.engine_accuracy - check.keras_accuracy) <= 0.05
    assert all(check_of(fresh, case).exact for case in CASES)


def test_the_drift_is_the_trainings_own():
    """What the page says of a drifting check: the engine drifts from itself the same way when its
    starting weights change in their 7th digit (one float32 step of the first weight matrix)."""
    digits = load_dataset("digits")
    config = default_config_for(digits)
    arch = config.architecture(digits.n_features, digits.n_classes)
    data = engine_arrays(split(digits, config), digits.n_classes)
    ours = fit_network(arch, data, config)
    start = list(ours.weight_history[0])
    start[0] = np.nextafter(start[0], np.float32(np.inf))
    nudged = fit_network(arch, data, config, start=engine.initial_state(arch, start))
    gaps = [weights_gap(a, b) for a, b in zip(ours.weight_history[1:], nudged.weight_history[1:])]
    assert gaps[0] <= 1e-6 and max(gaps) > DRIFT


@pytest.mark.fresh_process(KERAS_RUNS)
def test_checks_leave_memory_flat(fresh):
    """Keras' model.fit leaves each train graph it traces in TensorFlow's gradient registry, about 4 MB
    for the life of the process; after a check neither that registry nor the traced graphs held have
    grown (and the engine, tracing a new shape, adds nothing to the registry)."""
    memory = printed(fresh, "checks")["memory"]
    assert len(memory) == 5 and all(entry == memory[0] for entry in memory[1:4])
    assert memory[4][0] == memory[0][0]


@pytest.mark.fresh_process(KERAS_RUNS)
def test_the_check_trains_with_the_optimizer_the_pages_script_writes(fresh):
    """For every update rule, Keras' optimizer in the check is configured as the one in lib.codegen's
    script (class, learning rate, momentum, Keras' defaults)."""
    agree = printed(fresh, "checks")["optimizers_agree"]
    assert agree == {name: True for name in OPTIMIZERS}


def test_drift_epoch_is_the_first_past_the_threshold():
    def check(*gaps):
        return KerasCheck(tuple(gaps), 0.0, 1.0, 0.9, 0.9, 0.1, 1.0)

    assert check(1e-7, 1e-6, 1e-5).drift_epoch is None
    assert check(1e-7, 2e-4, 1e-5, 0.3).drift_epoch == 2
    assert check(1e-7, float("nan")).drift_epoch == 2  # a NaN on one side only is a drift too
    assert check(1e-7, 2e-4).weight_gap == 2e-4


def test_the_cost_grows_with_the_minibatch_updates(banknotes):
    config = default_config_for(banknotes)
    assert minibatch_steps(len(banknotes.y), config) == 25 * 42  # 672 fitting rows in batches of 16
    assert minibatch_steps(len(banknotes.y), replace(config, batch_size=672)) == 25
    assert estimated_seconds(len(banknotes.y), replace(config, epochs=50)) > estimated_seconds(
        len(banknotes.y), config
    )
