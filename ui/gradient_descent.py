"""Streamlit glue of the gradient-descent page: its settings, value pickers and cached experiments."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib import experiments
from lib.charts.gradient_descent import COINCIDE
from lib.datasets import Dataset
from lib.lazy import LazyModule
from lib.settings import MAX_COMPARED, Choice, Flag, Levels, Number, Setting, Text, Unusable, quoted
from ui.classroom import draw

surface = LazyModule("lib.surface")  # scipy: the link parser reads this module's settings, not the surface


@dataclass(frozen=True)
class Values:
    """Up to `most` values of one training choice (`lib.experiments.VARIABLES`), in canonical spelling;
    an empty list is the default.

    `offered` are the values proposed; any other valid value may be typed in. Values that
    `experiments.parse_value` refuses are dropped.
    """

    vary: str
    offered: tuple[str, ...]
    most: int = MAX_COMPARED
    adjusted = "named values that cannot be compared"

    def parse(self, text: str):
        asked = [p.strip() for p in text.split(",") if p.strip()]
        if not asked:
            return None, False
        known = []
        for part in asked:
            try:
                value = experiments.parse_value(self.vary, part)
            except ValueError:
                continue
            if value not in known:
                known.append(value)
        if not known:
            raise Unusable(f"{quoted(text)} names nothing that can be compared")
        return tuple(known[: self.most]), len(known[: self.most]) != len(asked)

    def format(self, value) -> str:
        return ",".join(value)


def _values(key: str, vary: str, offered: tuple[str, ...], default: tuple[str, ...], label: str) -> Setting:
    title = f"Values of the {experiments.VARIABLES[vary]} to compare"
    help = "Pick from the list, or type another value and press Enter."
    return Setting(key, Values(vary, offered), default, label, title, help, control="multiselect")


def _compared(key: str, vary: str) -> Setting:
    """The values of `vary` the first section compares: the course's, unless others are chosen."""
    course = experiments.COURSE_VALUES[vary]
    return _values(key, vary, course, course, f"{experiments.VARIABLES[vary]}s compared")


SURFACE_RATES = ("0.3", "1", "4", "9")
SURFACE_OPTIMIZERS = ("sgd", "momentum 0.9", "nesterov 0.9", "adam", "rmsprop", "adagrad")
# 1 · Compare runs
VARY = Setting(
    "vary",
    Choice(tuple(experiments.VARIABLES), experiments.VARIABLES),
    "learning_rate",
    "choice varied",
    "What to vary",
    control="segmented_control",
)
MODEL = Setting(
    "model",
    Choice(tuple(experiments.MODELS), experiments.MODELS),
    "logistic",
    "model compared",
    "Model",
    control="radio",
)
EPOCHS = Setting("gd_epochs", Number(1, 100), 20, "epochs of the compared runs", "Epochs")
SEED = Setting(
    "gd_seed",
    Number(0, 9999),
    0,
    "seed of the compared runs",
    "Seed",
    "Sets the starting weights and the order of the rows; the same seed gives the same curves.",
    control="number_input",
)
COMPARED = {  # the values compared, by the training choice varied
    s.kind.vary: s
    for s in (
        _compared("gd_rates", "learning_rate"),
        _compared("gd_batches", "batch_size"),
        _compared("gd_optimizers", "optimizer"),
        _compared("gd_inits", "initializer"),
    )
}
# 2 · Gradient descent on a loss surface
FEATURE1 = Setting("feature1", Text(), None, "feature for w1", "Feature for w1")
FEATURE2 = Setting("feature2", Text(), None, "feature for w2", "Feature for w2")
START_W1 = Setting(
    "start_w1",
    Number(-10.0, 10.0, integer=False, step=0.5),
    3.0,
    "start of w1",
    "Start w1",
    control="number_input",
)
START_W2 = Setting(
    "start_w2",
    Number(-10.0, 10.0, integer=False, step=0.5),
    3.0,
    "start of w2",
    "Start w2",
    control="number_input",
)
PATHS = Setting(
    "paths",
    Choice(("learning rates", "optimizers")),
    "learning rates",
    "paths compared",
    "Compare",
    control="segmented_control",
)
STEPS = Setting("steps", Number(5, 100), 30, "number of steps", "Steps")
ROWS_PER_STEP = Setting(
    "rows_per_step",
    Levels((0, 16), {0: "all (full batch)", 16: "16 (minibatch)"}),
    0,
    "rows per step",
    "Rows per step",
    control="radio",
)
RATES = _values("surface_rates", "learning_rate", SURFACE_RATES, SURFACE_RATES, "surface's rates")
SURFACE_LR = Setting(
    "surface_lr",
    Number(0.001, 10.0, integer=False),
    0.5,
    "surface's learning rate",
    "Learning rate",
    control="number_input",
)
PATH_OPTIMIZERS = _values(
    "surface_optimizers",
    "optimizer",
    SURFACE_OPTIMIZERS,
    ("sgd", "momentum 0.9", "adam"),
    "surface's optimizers",
)
# 3 · The gradient reaching each layer of a deep net
DEPTH = Setting(
    "depth",
    Number(1, 6),
    3,
    "depth of the deep nets",
    "Hidden layers of 8 nodes (before the 2-node bottleneck)",
)
ADAPTIVE = Setting(
    "adaptive",
    Flag(),
    False,
    "optimizer of the deep nets",
    help="Off: plain SGD at learning rate 0.1, which shows the problem best.",
)
SETTINGS = (
    VARY,
    MODEL,
    EPOCHS,
    SEED,
    *COMPARED.values(),
    FEATURE1,
    FEATURE2,
    START_W1,
    START_W2,
    PATHS,
    STEPS,
    ROWS_PER_STEP,
    RATES,
    SURFACE_LR,
    PATH_OPTIMIZERS,
    DEPTH,
    ADAPTIVE,
)


def values_picker(setting: Setting, place=st) -> list[str]:
    """The values of `setting` (of kind `Values`): offered ones plus any typed in, in canonical
    spelling; a bad entry gets a warning saying what to type instead."""
    kind = setting.kind
    chosen = draw(
        setting, place, options=list(kind.offered), accept_new_options=True, max_selections=kind.most
    )
    values = []
    for text in chosen:
        try:
            value = experiments.parse_value(kind.vary, text)
        except ValueError as err:
            st.warning(str(err), icon=":material/warning:")
            continue
        if value not in values:
            values.append(value)
    return values


@st.cache_data(max_entries=512, max_size="32MB", show_spinner=False)
def _curves(
    fingerprint: str, experiment: experiments.Experiment, value: str, _dataset: Dataset
) -> pd.DataFrame:
    return experiments.curves(_dataset, experiment, value)


@st.cache_data(max_entries=128, max_size="8MB", show_spinner=False)  # a table of 100-300 rows
def _comparison(
    fingerprint: str, experiment: experiments.Experiment, values: tuple[str, ...], _dataset: Dataset
) -> tuple[pd.DataFrame, dict[str, str], str]:
    table = pd.concat([_curves(fingerprint, experiment, v, _dataset) for v in values], ignore_index=True)
    same = experiments.coinciding(table, COINCIDE)
    return table, same, experiments.reading(table, experiment.vary)


def compared(
    dataset: Dataset, experiment: experiments.Experiment, values: list[str]
) -> tuple[pd.DataFrame, dict[str, str], str] | None:
    """One cached run per value, and what the page says of them (the values whose curves coincide
    with an earlier value's, one sentence on the curves), read once; None after saying on the page
    why a run cannot be made."""
    try:
        with st.spinner(f"Training {len(values)} runs…"):
            return _comparison(dataset.fingerprint, experiment, tuple(values), dataset)
    except ValueError as err:
        st.error(str(err), icon=":material/error:")
        return None


@st.cache_data(max_entries=64, max_size="32MB", show_spinner=False)
def _descents(
    fingerprint: str, plane: surface.Plane, descents: tuple[surface.Descent, ...], _dataset: Dataset
):
    data = surface.problem(_dataset, plane)
    paths = pd.concat([surface.path(data, d) for d in descents], ignore_index=True)
    best = surface.optimum(data)
    return surface.grid(data, surface.window(data, paths, best)), paths, best


def descents(dataset: Dataset, plane: surface.Plane, paths: tuple[surface.Descent, ...]):
    """(loss grid, paths, lowest point), cached; None after showing why they cannot be drawn."""
    try:
        return _descents(dataset.fingerprint, plane, paths, dataset)
    except ValueError as err:
        st.error(str(err), icon=":material/error:")
        return None
