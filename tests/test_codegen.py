"""The generated Keras script runs and reproduces the page's split, model and bottleneck."""

import ast
import dataclasses
import json
import re
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest
from packaging.requirements import Requirement

from lib.codegen import OPTIMIZER_CODE, keras_script
from lib.datasets import BANKNOTES_FILE, load_dataset
from lib.optimizers import OPTIMIZERS
from lib.training import DEEPER_LESSON, LESSON, TrainConfig, split

# Runs the generated scripts in a fresh Python (testkit.fresh), one after the other, each in a folder of
# its own as a student would: its unseeded model.fit must not disturb this process's Keras random state.
# Nothing is stubbed: a script draws its map with what the app installs, and what it computed is
# written out, in its folder, for the tests to check.
STUDENTS = ("banknotes", "wine")  # the folders
RUNNER = f"""
import json, os, runpy
from pathlib import Path
import numpy as np
for student in {STUDENTS!r}:
    os.chdir(student)
    ns = runpy.run_path("script.py", run_name="__main__")
    np.savez("arrays.npz", bottleneck=ns["bottleneck"], X_test=ns["X_test"], t_train=ns["t_train"])
    model = ns["model"]
    with open("summary.json", "w") as out:
        json.dump({{"params": model.count_params(), "layers": [layer.name for layer in model.layers[1:]],
                   "epochs": ns["history"].params["epochs"],
                   "classes": ns["points"]["class"].value_counts().to_dict(),
                   "map": Path("bottleneck_map.png").read_bytes()[:8].hex(),
                   "output": model.get_layer("output").activation.__name__}}, out)
    os.chdir("..")
"""
PNG = b"\x89PNG\r\n\x1a\n".hex()
REQUIREMENTS = Path(__file__).resolve().parents[1] / "requirements.txt"
BANKNOTE_CONFIG = dataclasses.replace(DEEPER_LESSON, epochs=1, batch_size=64)
# wine's script, with dropout and input noise: a multiclass script and the app's extra layers, one run
WINE_CONFIG = TrainConfig(hidden=(5,), epochs=1, optimizer="adam", dropout=0.3, noise=0.5)


def results(fresh, student: str) -> tuple[dict, dict]:
    """A student's script's arrays and a summary of its model."""
    folder = fresh.folder / student
    return dict(np.load(folder / "arrays.npz")), json.loads((folder / "summary.json").read_text())


# Each student's folder: the generated script, and for banknotes the course's file where a student saves it.
SCRIPTS = {
    "files": {
        "banknotes/script.py": keras_script(BANKNOTE_CONFIG, load_dataset("banknotes")),
        "banknotes/banknotes.csv": BANKNOTES_FILE.read_bytes(),
        "wine/script.py": keras_script(WINE_CONFIG, load_dataset("wine")),
    }
}


@pytest.mark.fresh_process(RUNNER, **SCRIPTS)
def test_the_banknote_script_runs_and_gives_a_two_column_bottleneck(banknotes, fresh):
    arrays, summary = results(fresh, "banknotes")
    parts = split(banknotes, BANKNOTE_CONFIG)
    assert arrays["bottleneck"].shape == (len(parts.y_test), 2) == (412, 2)
    np.testing.assert_allclose(arrays["X_test"], parts.x_test, atol=1e-5)  # the page's split and scaling
    assert summary["params"] == 26
    assert summary["layers"] == ["hidden_1", "bottleneck", "output"]
    assert summary["epochs"] == 1
    assert sum(summary["classes"].values()) == 412
    assert len(summary["classes"]) == 2 and summary["map"] == PNG  # the map, saved as a picture


@pytest.mark.fresh_process(RUNNER, **SCRIPTS)
def test_a_multiclass_script_uses_softmax_and_one_hot_targets(fresh):
    arrays, summary = results(fresh, "wine")
    assert arrays["bottleneck"].shape == (54, 2)
    assert arrays["t_train"].shape[1] == 3
    assert summary["output"] == "softmax" and len(summary["classes"]) == 3 and summary["map"] == PNG


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_with_the_app() -> set[str]:
    """The distributions requirements.txt installs on this machine: its own and all they need."""
    lines = (line.split("#")[0].strip() for line in REQUIREMENTS.read_text().splitlines())
    todo = [(Requirement(line), "") for line in lines if line]
    found = set()
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        if _normal(requirement.name) in found:
            continue
        try:
            requires = metadata.distribution(requirement.name).requires or []
        except metadata.PackageNotFoundError:
            continue
        found.add(_normal(requirement.name))
        for extra_of in ("", *requirement.extras):
            todo += [(Requirement(text), extra_of) for text in requires]
    return found


def test_the_script_imports_only_what_the_app_installs(banknotes):
    """A student runs the script where the app runs: every module it imports comes with requirements.txt."""
    installed, owners = installed_with_the_app(), metadata.packages_distributions()
    assert {"keras", "altair", "vl-convert-python"} <= installed
    for dataset in (banknotes, load_dataset("wine")):
        tree = ast.parse(keras_script(DEEPER_LESSON, dataset))
        modules = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
        }
        modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        for module in {name.split(".")[0] for name in modules} - set(sys.stdlib_module_names):
            assert {_normal(d) for d in owners.get(module, [])} & installed, (
                f"{module} is not installed by the app"
            )


def test_the_script_says_what_k_function_became(banknotes):
    text = keras_script(DEEPER_LESSON, banknotes)
    assert (
        "K.function([model.input], [layer.output])" in text
        and "keras.Model(model.inputs, layer.output)" in text
    )


def test_the_script_states_every_setting(banknotes):
    config = TrainConfig(
        hidden=(8, 4),
        activation="tanh",
        optimizer="nesterov",
        learning_rate=0.002,
        batch_size=32,
        epochs=40,
        split_seed=7,
        seed=3,
    )
    text = keras_script(config, banknotes)
    for fragment in [
        "random_state=7",
        'activation="tanh"',
        'name="hidden_2"',
        'name="bottleneck"',
        "SGD(learning_rate=0.002, momentum=0.9, nesterov=True)",
        "batch_size=32",
        "epochs=40",
        "validation_split=0.3",
        "GlorotUniform(seed=3)",
        "4 → 8 → 4 → 2 → 1",
        'model.get_layer("bottleneck").output',
    ]:
        assert fragment in text, fragment
    assert 'name="hidden' not in keras_script(LESSON, banknotes)


def test_l2_weight_decay_becomes_a_kernel_regularizer_of_the_hidden_layers(banknotes):
    text = keras_script(TrainConfig(hidden=(8, 4), l2=0.001), banknotes)
    assert (
        text.count("kernel_regularizer=keras.regularizers.L2(0.001)") == 3
    )  # hidden_1, hidden_2, bottleneck
    assert "kernel_regularizer" not in keras_script(TrainConfig(hidden=(8, 4)), banknotes)


@pytest.mark.fresh_process(RUNNER, **SCRIPTS)
def test_a_script_with_dropout_and_input_noise_runs_with_the_apps_layers(fresh):
    """Input noise on the inputs, dropout just before the bottleneck: the script runs, its layers are
    those of the app's Keras model (lib.keras_model), and they add no weights."""
    from lib.keras_model import build_model

    arrays, summary = results(fresh, "wine")
    assert arrays["bottleneck"].shape == (54, 2) and summary["map"] == PNG
    model, _ = build_model(WINE_CONFIG, 13, 3)
    assert summary["layers"] == [layer.name for layer in model.layers[1:]]
    assert summary["layers"] == ["input_noise", "hidden_1", "dropout", "bottleneck", "output"]
    assert summary["params"] == model.count_params() == (13 + 1) * 5 + (5 + 1) * 2 + (2 + 1) * 3


def test_dropout_and_input_noise_become_keras_layers_in_training_only(banknotes):
    text = keras_script(TrainConfig(hidden=(8, 4), dropout=0.2, noise=0.3, seed=5), banknotes)
    noise = 'x = keras.layers.GaussianNoise(0.3, seed=1005, name="input_noise")(x)  # in training only'
    dropout = 'x = keras.layers.Dropout(0.2, seed=1006, name="dropout")(x)  # in training only'
    assert text.index("x = inputs") < text.index(noise) < text.index('name="hidden_1"')
    assert text.index('name="hidden_2"') < text.index(dropout) < text.index('name="bottleneck"')
    plain = keras_script(TrainConfig(hidden=(8, 4)), banknotes)
    assert "GaussianNoise" not in plain and "Dropout" not in plain


def test_every_optimizer_becomes_a_keras_optimizer():
    import keras

    for name in OPTIMIZERS:
        optimizer = eval(OPTIMIZER_CODE[name].format(lr=0.05, momentum=0.9), {"keras": keras})
        assert float(optimizer.learning_rate) == pytest.approx(0.05)


def test_a_data_set_without_loading_code_is_refused(banknotes):
    other = dataclasses.replace(banknotes, name="mystery")
    with pytest.raises(ValueError, match="mystery"):
        keras_script(LESSON, other)
