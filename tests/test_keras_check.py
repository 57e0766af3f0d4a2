"""The check against Keras' own `model.fit` (lib.keras_check), against a direct Keras run: on every
bundled data set and an upload, with L2 weight decay, in a thread of its own, leaving Keras' and the
random generators' global state alone."""

import json
from dataclasses import replace

import numpy as np
import pytest

from lib import engine
from lib.datasets import DATASET_NAMES, load_dataset
from lib.keras_check import DRIFT, KerasCheck, estimated_seconds, minibatch_steps, weights_gap
from lib.optimizers import OPTIMIZERS
from lib.presets import default_config_for
from lib.training import DEEPER_LESSON, engine_arrays, fit_network, split

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
    model.compile(optimizer=optimizer, loss=engine.OUTPUTS[arch.output].keras_loss, metrics=["accuracy"])
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
print(json.dumps(dict(
    memory=memory,
    optimizers_agree=optimizers_agree,
    found=found,
    epochs_heard=epochs_heard,
    names=[first_name, keras.layers.Dense(1).name],
    states_kept=states_kept,
)))
"""
CASES = [*DATASET_NAMES, "upload", "l2"]
COMPARED = ["banknotes", "upload", "l2"]


def found(fresh) -> dict:
    return json.loads(fresh.last_line)["found"]


def check_of(fresh, case: str) -> KerasCheck:
    return KerasCheck(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in found(fresh)[case]["check"].items()}
    )


@pytest.mark.fresh_process(CHECKS)
@pytest.mark.parametrize("case", CASES)
def test_the_first_epoch_is_keras_own_to_float32_rounding(fresh, case):
    """On every bundled data set's opening network, an upload's and one with L2 weight decay: after
    epoch 1 no weight differs from Keras' by more than float32 rounding; both runs are timed."""
    check = check_of(fresh, case)
    assert len(check.weight_gaps) == found(fresh)[case]["epochs"]
    assert check.weight_gaps[0] <= 1e-6, check.weight_gaps[:3]
    assert check.keras_seconds > 0 and check.engine_seconds > 0


@pytest.mark.fresh_process(CHECKS)
@pytest.mark.parametrize("case", ["banknotes", "iris", "breast_cancer", "upload", "l2"])
def test_trainings_that_do_not_amplify_rounding_end_on_keras_weights(fresh, case):
    """Where rounding differences hardly grow, the two networks end within 10⁻⁴ of each other (weights,
    and the test rows' bottleneck activations relative to their size), and agree on every test row but
    at most one."""
    check = check_of(fresh, case)
    assert check.drift_epoch is None and check.weight_gap <= DRIFT
    assert check.bottleneck_gap <= DRIFT * max(1.0, check.bottleneck_size)
    assert abs(check.engine_accuracy - check.keras_accuracy) <= 1 / found(fresh)[case]["n_test"] + 1e-9


@pytest.mark.fresh_process(CHECKS)
@pytest.mark.parametrize("case", ["wine", "digits"])
def test_trainings_that_amplify_rounding_drift_late_and_keep_their_accuracy(fresh, case):
    """wine's and digits' opening networks amplify rounding: the check names the epoch their weights
    first differ by more than 10⁻⁴, well after the first; the two accuracies stay within 5 points."""
    check = check_of(fresh, case)
    assert check.drift_epoch is not None and check.drift_epoch >= 5
    assert all(gap <= DRIFT for gap in check.weight_gaps[: check.drift_epoch - 1])
    assert abs(check.engine_accuracy - check.keras_accuracy) <= 0.05


@pytest.mark.fresh_process(CHECKS)
@pytest.mark.parametrize("case", COMPARED)
def test_the_check_reports_what_a_direct_keras_loop_gives(fresh, case):
    """One model.fit over the engine's minibatches (the check) and one model.fit per epoch on the rows
    in the engine's order, with the optimizer the page's script writes: the same distances from the
    engine's run and the same test accuracy."""
    check, theirs = found(fresh)[case]["check"], found(fresh)[case]["direct"]
    assert check["keras_accuracy"] == theirs["keras_accuracy"]
    assert check["weight_gaps"][-1] == pytest.approx(theirs["weight_gap"], rel=1e-3, abs=1e-6)
    assert check["bottleneck_gap"] == pytest.approx(theirs["bottleneck_gap"], rel=1e-3, abs=1e-6)


@pytest.mark.fresh_process(CHECKS)
def test_a_check_in_a_thread_of_its_own_equals_one_in_the_main_thread(fresh):
    """As a Streamlit session runs it: Keras keeps its state per thread, and the check is the same."""
    assert found(fresh)["thread"]["check"]["weight_gaps"] == found(fresh)["l2"]["check"]["weight_gaps"]
    assert found(fresh)["thread"]["check"]["keras_accuracy"] == found(fresh)["l2"]["check"]["keras_accuracy"]


@pytest.mark.fresh_process(CHECKS)
def test_the_check_leaves_keras_and_the_random_generators_alone(fresh):
    """No clear_session (Keras' layer names go on counting), no global seed (NumPy's and Python's
    generators are where they were); the progress callback hears every epoch in order."""
    printed = json.loads(fresh.last_line)
    assert printed["names"] == ["dense", "dense_1"]
    assert printed["states_kept"] == [True] * (len(CASES) + 2)  # the thread's and the perturbed run's too
    assert printed["epochs_heard"] == list(range(1, default_config_for(load_dataset("banknotes")).epochs + 1))


@pytest.mark.fresh_process(CHECKS)
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


@pytest.mark.fresh_process(CHECKS)
def test_checks_leave_memory_flat(fresh):
    """Keras' model.fit leaves each train graph it traces in TensorFlow's gradient registry, about 4 MB
    for the life of the process; after a check neither that registry nor the traced graphs held have
    grown (and the engine, tracing a new shape, adds nothing to the registry)."""
    memory = json.loads(fresh.last_line)["memory"]
    assert len(memory) == 5 and all(entry == memory[0] for entry in memory[1:4])
    assert memory[4][0] == memory[0][0]


@pytest.mark.fresh_process(CHECKS)
def test_the_check_trains_with_the_optimizer_the_pages_script_writes(fresh):
    """For every update rule, Keras' optimizer in the check is configured as the one in lib.codegen's
    script (class, learning rate, momentum, Keras' defaults)."""
    agree = json.loads(fresh.last_line)["optimizers_agree"]
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
