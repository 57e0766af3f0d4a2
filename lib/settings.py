"""Every setting a person can change, described once: its query key, kind, range or options, default, name.

`SETTINGS` is the one table. Links are parsed and clamped with its kinds (`lib.links`),
whatever sets a value takes its range, step and options from it, and the presets stay inside
its limits. The grids some numbers live on (the learning rates, the batch sizes for a
number of training rows) and the snapping onto them are here too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from lib import experiments
from lib.datasets import DATASET_NAMES
from lib.initializers import INITIALIZERS
from lib.lesson import STEPS
from lib.optimizers import OPTIMIZERS
from lib.projections import DEFAULT_METHODS, METHODS
from lib.training import ACTIVATIONS, DEEPER_LESSON, TrainConfig

MAX_TEXT = 200  # longer values are refused before parsing: a link is not a data channel
MAX_LAYERS = 3  # hidden layers before the bottleneck
MAX_NODES = 32  # nodes in one hidden layer
MAX_EPOCHS = 200
MAX_COMPARED = 8  # values compared side by side
LEARNING_RATES = tuple(float(f"{m}e{e}") for e in range(-4, 0) for m in (1, 2, 5)) + (1.0,)

OPTIMIZER_NAMES = {
    "sgd": "SGD",
    "momentum": "SGD + momentum",
    "nesterov": "Nesterov momentum",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adagrad": "Adagrad",
}
INITIALIZER_NAMES = {
    "glorot_uniform": "Glorot uniform (Keras' default)",
    "glorot_normal": "Glorot normal",
    "he_uniform": "He uniform (for ReLU)",
    "he_normal": "He normal (for ReLU)",
    "lecun_uniform": "LeCun uniform",
    "lecun_normal": "LeCun normal",
    "uniform": "Uniform in ±0.05 (Keras 2)",
    "normal": "Normal, sd 0.05 (Keras 2)",
    "zeros": "All zeros",
}


def batch_sizes(n_fit: int) -> tuple[int, ...]:
    """The batch-size grid for `n_fit` training rows: powers of two below it, then the full batch."""
    return tuple(2**k for k in range(int(np.log2(n_fit)) + 1) if 2**k < n_fit) + (n_fit,)


def nearest(options, value, log: bool = True):
    """The option closest to `value` (on a log scale unless `log=False`)."""
    if log:
        return min(options, key=lambda option: abs(np.log(option) - np.log(value)))
    return min(options, key=lambda option: abs(option - value))


def on_the_grids(config: TrainConfig, n_fit: int) -> TrainConfig:
    """`config` with its learning rate and batch size moved onto their grids (`n_fit` training rows)."""
    return replace(
        config,
        learning_rate=nearest(LEARNING_RATES, config.learning_rate),
        batch_size=nearest(batch_sizes(n_fit), config.batch_size),
    )


class Unusable(ValueError):
    """A value a link carries that cannot be used, said in words a person reads ("'abc' is not a number")."""


def quoted(text: str) -> str:
    """`text` as a notice quotes it: in quotes, cut short if long."""
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise Unusable(f"{quoted(text)} is not a number") from None
    if not math.isfinite(value):
        raise Unusable(f"{quoted(text)} is not a finite number")
    return value


@dataclass(frozen=True)
class Number:
    """A number in [low, high], whole unless `integer=False`; `step`: what one step up adds, if fixed."""

    low: float
    high: float
    integer: bool = True
    step: float | None = None

    @property
    def bounds(self) -> tuple:
        return self.low, self.high

    def parse(self, text: str):
        value = _number(text)
        if self.integer:
            if value != int(value):
                raise Unusable(f"{quoted(text)} is not a whole number")
            value = int(value)
        clamped = min(max(value, self.low), self.high)
        return (int(clamped) if self.integer else clamped), clamped != value

    def format(self, value) -> str:
        return str(int(value)) if self.integer else f"{value:g}"


@dataclass(frozen=True)
class Choice:
    """One of `options`; `names` gives each a readable name (the option itself where missing)."""

    options: tuple[str, ...]
    names: Mapping[str, str] = field(default_factory=dict)

    def name(self, option: str) -> str:
        return self.names.get(option, option)

    def parse(self, text: str):
        if text not in self.options:
            raise Unusable(f"{quoted(text)} is not one of {', '.join(self.options)}")
        return text, False

    def format(self, value) -> str:
        return str(value)


@dataclass(frozen=True)
class Levels:
    """One of a few numbers; a value between them moves to the nearest."""

    options: tuple[int, ...]

    def parse(self, text: str):
        value = _number(text)
        chosen = nearest(self.options, value, log=False)
        return chosen, chosen != value

    def format(self, value) -> str:
        return str(value)


@dataclass(frozen=True)
class Flag:
    """On or off."""

    WORDS = {
        "1": True,
        "true": True,
        "yes": True,
        "on": True,
        "0": False,
        "false": False,
        "no": False,
        "off": False,
    }

    def parse(self, text: str):
        if text.lower() not in self.WORDS:
            raise Unusable(f"{quoted(text)} is neither true nor false")
        return self.WORDS[text.lower()], False

    def format(self, value) -> str:
        return "true" if value else "false"


@dataclass(frozen=True)
class Text:
    """A short name whose options depend on the data (a feature); checked where the data is known."""

    def parse(self, text: str):
        return text, False

    def format(self, value) -> str:
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Names:
    """Up to `most` comma-separated names whose options depend on the data (features); checked there."""

    most: int

    def parse(self, text: str):
        asked = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
        return asked[: self.most], len(asked) > self.most

    def format(self, value) -> str:
        return "" if value is None else ",".join(value)


@dataclass(frozen=True)
class Layers:
    """Hidden layer widths as "8,5"; an empty value means no hidden layer."""

    low: int = 1
    high: int = MAX_NODES
    most: int = MAX_LAYERS

    def parse(self, text: str):
        parts = [p for p in text.split(",") if p.strip()]
        try:
            widths = [int(_number(p)) for p in parts]
        except Unusable:
            raise Unusable(f"{quoted(text)} is not a list of node counts such as 8,5") from None
        fixed = [min(max(w, self.low), self.high) for w in widths][: self.most]
        return tuple(fixed), fixed != widths

    def format(self, value) -> str:
        return ",".join(str(w) for w in value)


@dataclass(frozen=True)
class Several:
    """A comma-separated subset of known options (unknown ones are dropped)."""

    options: tuple[str, ...]

    def parse(self, text: str):
        asked = [p.strip() for p in text.split(",") if p.strip()]
        known = tuple(dict.fromkeys(p for p in asked if p in self.options))
        if asked and not known:
            which = ", ".join(self.options) if len(self.options) <= 8 else "the known ones"
            raise Unusable(f"{quoted(text)} names none of {which}")
        return known, len(known) != len(asked)

    def format(self, value) -> str:
        return ",".join(value)


@dataclass(frozen=True)
class Values:
    """Up to `most` values of one training choice (`lib.experiments.VARIABLES`), in canonical spelling.

    `offered` are the values proposed; any other valid value may be typed in. Values that
    `experiments.parse_value` refuses are dropped.
    """

    vary: str
    offered: tuple[str, ...]
    most: int = MAX_COMPARED

    def parse(self, text: str):
        asked = [p.strip() for p in text.split(",") if p.strip()]
        known = []
        for part in asked:
            try:
                value = experiments.parse_value(self.vary, part)
            except ValueError:
                continue
            if value not in known:
                known.append(value)
        if asked and not known:
            raise Unusable(f"{quoted(text)} names nothing that can be compared")
        return tuple(known[: self.most]), len(known[: self.most]) != len(asked)

    def format(self, value) -> str:
        return ",".join(value)


Kind = Number | Choice | Levels | Flag | Text | Names | Layers | Several | Values


@dataclass(frozen=True)
class Setting:
    key: str  # the query parameter
    kind: Kind
    default: object
    label: str  # its name in a sentence ("The link's {label} ...")


def _course(vary: str) -> Values:
    return Values(vary, experiments.COURSE_VALUES[vary])


SURFACE_RATES = ("0.3", "1", "4", "9")
SURFACE_OPTIMIZERS = ("sgd", "momentum 0.9", "nesterov 0.9", "adam", "rmsprop", "adagrad")

TRAIN_FIELDS = {  # query key → TrainConfig field
    "hidden": "hidden",
    "epochs": "epochs",
    "activation": "activation",
    "optimizer": "optimizer",
    "lr": "learning_rate",
    "batch": "batch_size",
    "split_seed": "split_seed",
    "seed": "seed",
    "init": "initializer",
}
# The values each comparison of training choices is made over, by what varies.
COMPARED_KEYS = {
    "learning_rate": "gd_rates",
    "batch_size": "gd_batches",
    "optimizer": "gd_optimizers",
    "initializer": "gd_inits",
}

SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("data", Choice(DATASET_NAMES), "banknotes", "data set"),
        Setting("pairplot", Names(most=6), None, "features plotted"),  # None: the data's clearest
        # the network and its training (a TrainConfig)
        Setting("hidden", Layers(), DEEPER_LESSON.hidden, "hidden layers"),
        Setting("epochs", Number(1, MAX_EPOCHS), DEEPER_LESSON.epochs, "epochs"),
        Setting("activation", Choice(ACTIVATIONS), DEEPER_LESSON.activation, "activation"),
        Setting("optimizer", Choice(OPTIMIZERS, OPTIMIZER_NAMES), DEEPER_LESSON.optimizer, "optimizer"),
        # on the grid LEARNING_RATES; a link may carry any value in the range
        Setting("lr", Number(1e-4, 1.0, integer=False), DEEPER_LESSON.learning_rate, "learning rate"),
        # on the grid batch_sizes(training rows); a link may carry any value in the range
        Setting("batch", Number(1, 100_000), DEEPER_LESSON.batch_size, "batch size"),
        Setting("split_seed", Number(0, 9999), DEEPER_LESSON.split_seed, "split seed"),
        Setting("seed", Number(0, 99_999), DEEPER_LESSON.seed, "weights seed"),
        Setting(
            "init",
            Choice(tuple(INITIALIZERS), INITIALIZER_NAMES),
            DEEPER_LESSON.initializer,
            "initializer",
        ),
        # the lesson, step by step
        Setting("step", Number(1, len(STEPS)), 1, "lesson step"),
        # the re-initializations
        Setting("runs", Number(2, 12), 6, "number of seeds"),
        # the comparison of reductions
        Setting("methods", Several(tuple(METHODS)), tuple(DEFAULT_METHODS), "methods shown"),
        Setting("all_rows", Flag(), False, "choice of all rows"),
        Setting("perplexity", Number(5, 50), 30, "t-SNE perplexity"),
        Setting("iterations", Levels((250, 500, 1000, 2000)), 500, "t-SNE iterations"),
        # comparing training choices
        Setting("vary", Choice(tuple(experiments.VARIABLES)), "learning_rate", "choice varied"),
        Setting("model", Choice(tuple(experiments.MODELS), experiments.MODELS), "logistic", "model compared"),
        Setting("gd_epochs", Number(1, 100), 20, "epochs of the compared runs"),
        Setting("gd_seed", Number(0, 9999), 0, "seed of the compared runs"),
        *(
            Setting(key, _course(vary), experiments.COURSE_VALUES[vary], f"{name}s compared")
            for (vary, key), name in zip(COMPARED_KEYS.items(), experiments.VARIABLES.values())
        ),
        # gradient descent on a two-weight loss surface
        Setting("feature1", Text(), None, "feature for w1"),
        Setting("feature2", Text(), None, "feature for w2"),
        Setting("start_w1", Number(-10.0, 10.0, integer=False, step=0.5), 3.0, "start of w1"),
        Setting("start_w2", Number(-10.0, 10.0, integer=False, step=0.5), 3.0, "start of w2"),
        Setting("paths", Choice(("learning rates", "optimizers")), "learning rates", "paths compared"),
        Setting("steps", Number(5, 100), 30, "number of steps"),
        Setting("rows_per_step", Levels((0, 16)), 0, "rows per step"),
        Setting("surface_rates", Values("learning_rate", SURFACE_RATES), SURFACE_RATES, "surface's rates"),
        Setting("surface_lr", Number(0.001, 10.0, integer=False), 0.5, "surface's learning rate"),
        Setting(
            "surface_optimizers",
            Values("optimizer", SURFACE_OPTIMIZERS),
            ("sgd", "momentum 0.9", "adam"),
            "surface's optimizers",
        ),
        # the gradient reaching each layer of a deep net
        Setting("depth", Number(1, 6), 3, "depth of the deep nets"),
        Setting("adaptive", Flag(), False, "optimizer of the deep nets"),
    )
}
CONTROL_KEYS = tuple(SETTINGS)
SETTINGS["lock"] = Setting("lock", Several(CONTROL_KEYS), (), "locked controls")
SETTINGS["hide"] = Setting("hide", Several(CONTROL_KEYS), (), "hidden controls")


def bounds(key: str) -> tuple:
    """(low, high) of a numeric setting."""
    return SETTINGS[key].kind.bounds


def step(key: str) -> float | None:
    """What one step up adds to a numeric setting (None: whole numbers step by 1)."""
    return SETTINGS[key].kind.step


def options(key: str) -> tuple:
    """The options of a setting with a fixed list of them."""
    return tuple(SETTINGS[key].kind.options)


def names(key: str) -> Callable[[str], str]:
    """Readable name of each option of a choice."""
    return SETTINGS[key].kind.name
