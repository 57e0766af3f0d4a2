"""Every setting a person can change, each one object: its key, kind, default, names and help.

A `Setting`'s key is at once its query key in a link, its control's key and its session-state
key. Its kind parses and clamps what a link carries (`lib.links`) and gives its control its
range or options; its title and help are what the control says. `TRAIN_SETTINGS` are the rows
whose values build a `TrainConfig` (each names its field), grouped under the headings they are
shown under. The data set's choice and each view's own settings are declared beside their glue
in `ui/`, and `registry` joins them all into the one table the link parser reads. The grids some
numbers live on (the learning rates, the batch sizes for a number of fitting rows) and the
snapping onto them are here too.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from lib.initializers import INITIALIZERS
from lib.optimizers import OPTIMIZERS
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
    """The batch-size grid for `n_fit` fitting rows: powers of two below it, then the full batch."""
    return tuple(2**k for k in range(int(np.log2(n_fit)) + 1) if 2**k < n_fit) + (n_fit,)


def nearest(options, value, log: bool = True):
    """The option closest to `value` (on a log scale unless `log=False`)."""
    if log:
        return min(options, key=lambda option: abs(np.log(option) - np.log(value)))
    return min(options, key=lambda option: abs(option - value))


def on_the_grids(config: TrainConfig, n_fit: int) -> TrainConfig:
    """`config` with every value that lives on a grid moved onto it (`n_fit` fitting rows)."""
    return replace(
        config,
        **{
            s.field: s.kind.snap(getattr(config, s.field), n_fit)
            for s in TRAIN_SETTINGS
            if getattr(s.kind, "grid", None) is not None
        },
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


class Kind(Protocol):
    """How a setting's value is read from a link and written into one.

    `parse` returns (value, adjusted): adjusted when the value was clamped or trimmed, which
    the notice words as "The link's {label} {adjusted}"; a value of None means the setting's
    default (an empty list). A value that cannot be used raises `Unusable`.
    """

    adjusted: str

    def parse(self, text: str) -> tuple[object, bool]: ...

    def format(self, value) -> str: ...


@dataclass(frozen=True)
class Number:
    """A number in [low, high], whole unless `integer=False`; `step`: what one step up adds, if fixed.

    `grid`: the values offered, if only some are (a tuple, or a function of the number of fitting
    rows); a link may still carry any value in the range, and is moved onto the grid where the
    data is known.
    """

    low: float
    high: float
    integer: bool = True
    step: float | None = None
    grid: tuple | Callable[[int], tuple] | None = None
    adjusted = "was out of range"

    @property
    def bounds(self) -> tuple:
        return self.low, self.high

    def offered(self, n_fit: int) -> tuple:
        """The grid for `n_fit` fitting rows."""
        return self.grid(n_fit) if callable(self.grid) else self.grid

    def snap(self, value, n_fit: int):
        """`value` moved to the nearest value of the grid (on a log scale where the grid has no 0)."""
        options = self.offered(n_fit)
        return nearest(options, value, log=min(options) > 0)

    def parse(self, text: str):
        value = _number(text)
        if self.integer:
            if value != int(value):
                raise Unusable(f"{quoted(text)} is not a whole number")
            value = int(value)
        clamped = min(max(value, self.low), self.high)
        return (int(clamped) if self.integer else clamped), clamped != value

    def format(self, value) -> str:
        if value is None:  # a number not chosen (a row to find): no value in a link
            return ""
        return str(int(value)) if self.integer else f"{value:g}"


@dataclass(frozen=True)
class Choice:
    """One of `options`; `names` gives each a readable name (the option itself where missing)."""

    options: tuple[str, ...]
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)
    adjusted = "was out of range"

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
    """One of a few numbers; a value between them moves to the nearest. `names`: readable names."""

    options: tuple[int, ...]
    names: Mapping[int, str] = dataclasses.field(default_factory=dict)
    adjusted = "was not one of its values"

    def name(self, option: int) -> str:
        return self.names.get(option, str(option))

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
    adjusted = "was out of range"

    def parse(self, text: str):
        if text.lower() not in self.WORDS:
            raise Unusable(f"{quoted(text)} is neither true nor false")
        return self.WORDS[text.lower()], False

    def format(self, value) -> str:
        return "true" if value else "false"


@dataclass(frozen=True)
class Text:
    """A short name whose options depend on the data (a feature); checked where the data is known."""

    adjusted = "was out of range"

    def parse(self, text: str):
        return text, False

    def format(self, value) -> str:
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Names:
    """Up to `most` comma-separated names whose options depend on the data (features); checked there.

    An empty list is the default.
    """

    most: int
    adjusted = "was out of range"

    def parse(self, text: str):
        asked = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
        if not asked:
            return None, False
        return asked[: self.most], len(asked) > self.most

    def format(self, value) -> str:
        return "" if value is None else ",".join(value)


@dataclass(frozen=True)
class Layers:
    """Hidden layer widths as "8,5"; an empty value means no hidden layer."""

    low: int = 1
    high: int = MAX_NODES
    most: int = MAX_LAYERS
    adjusted = "was out of range"

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
    """A comma-separated subset of known options (unknown ones are dropped); an empty list is the
    default. `names` gives each option a readable name."""

    options: tuple[str, ...]
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)
    adjusted = "named unknown ones"

    def name(self, option: str) -> str:
        return self.names.get(option, option)

    def parse(self, text: str):
        asked = [p.strip() for p in text.split(",") if p.strip()]
        if not asked:
            return None, False
        known = tuple(dict.fromkeys(p for p in asked if p in self.options))
        if not known:
            which = ", ".join(self.options) if len(self.options) <= 8 else "the known ones"
            raise Unusable(f"{quoted(text)} names none of {which}")
        return known, len(known) != len(asked)

    def format(self, value) -> str:
        return ",".join(value)


@dataclass(frozen=True)
class Setting:
    """One value a person sets and a link carries (see the module docstring)."""

    key: str  # the query key, the control's key, the session-state key
    kind: Kind
    default: object
    label: str  # its name in a sentence ("The link's {label} ...")
    title: str = ""  # its name beside its control (the label, capitalised, if empty)
    help: str | None = None
    control: str = ""  # how it is set, where not the usual way for its kind (ui.classroom.draw)
    field: str = ""  # the TrainConfig field it sets
    group: str = ""  # the heading it is shown under, among the TrainConfig's settings

    @property
    def name(self) -> str:
        return self.title or self.label.capitalize()


INITIALIZER_HELP = (
    "How the starting weights are drawn. Glorot and LeCun scale them to each layer's number "
    "of inputs (and outputs), He for ReLU; zeros make every node of a layer learn the same."
)

# The network and its training: each row sets the TrainConfig field it names. Rows of one group
# are shown in this order under its heading, the number fields side by side at its end.
TRAIN_SETTINGS = (
    Setting(
        "hidden",
        Layers(),
        DEEPER_LESSON.hidden,
        "hidden layers",
        "Hidden layers before the bottleneck",
        "0 gives the lesson's first model, 4 → 2 → 1.",
        field="hidden",
        group="The network",
    ),
    Setting(
        "epochs",
        Number(1, MAX_EPOCHS),
        DEEPER_LESSON.epochs,
        "epochs",
        help="One epoch = one pass through all training rows.",
        field="epochs",
        group="Training",
    ),
    Setting(
        "activation",
        Choice(ACTIVATIONS),
        DEEPER_LESSON.activation,
        "activation",
        help="The function every hidden and bottleneck node applies.",
        field="activation",
        group="The network",
    ),
    Setting(
        "optimizer",
        Choice(OPTIMIZERS, OPTIMIZER_NAMES),
        DEEPER_LESSON.optimizer,
        "optimizer",
        field="optimizer",
        group="Training",
    ),
    Setting(
        "lr",
        Number(1e-4, 1.0, integer=False, grid=LEARNING_RATES),
        DEEPER_LESSON.learning_rate,
        "learning rate",
        "Learning rate (log scale)",
        "How big each step is. Too big and training diverges or kills the bottleneck; too small and "
        "nothing moves.",
        field="learning_rate",
        group="Training",
    ),
    Setting(
        "batch",
        Number(1, 100_000, grid=batch_sizes),
        DEEPER_LESSON.batch_size,
        "batch size",
        help="Rows per weight update; {n_fit} is every training row at once.",
        field="batch_size",
        group="Training",
    ),
    Setting(
        "split_seed",
        Number(0, 9999),
        DEEPER_LESSON.split_seed,
        "split seed",
        help="Which rows become test rows (random_state of train_test_split).",
        control="number_input",
        field="split_seed",
        group="Randomness",
    ),
    Setting(
        "seed",
        Number(0, 99_999),
        DEEPER_LESSON.seed,
        "weights seed",
        help="The random starting weights and the shuffling of batches.",
        control="number_input",
        field="seed",
        group="Randomness",
    ),
    Setting(
        "init",
        Choice(tuple(INITIALIZERS), INITIALIZER_NAMES),
        DEEPER_LESSON.initializer,
        "initializer",
        "Initializer (starting weights)",
        INITIALIZER_HELP,
        field="initializer",
        group="Randomness",
    ),
    Setting(
        "l2",
        Number(0.0, 1.0, integer=False, grid=(0.0, 0.0001, 0.001, 0.01, 0.1)),
        DEEPER_LESSON.l2,
        "L2 weight decay",
        help="Adds λ × the sum of the hidden layers' squared weights to the loss (Keras' "
        "kernel_regularizer=L2(λ)): a larger λ keeps the weights small. 0: none.",
        field="l2",
        group="Training",
    ),
    Setting(
        "dropout",
        Number(0.0, 0.5, integer=False, grid=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5)),
        DEEPER_LESSON.dropout,
        "dropout before the bottleneck",
        "Dropout before the bottleneck",
        "In training only: this share of the 2-node layer's inputs is set to 0, at random for each "
        "row of each minibatch, and the others are scaled by 1/(1 − rate) (Keras' Dropout layer). "
        "0: none.",
        field="dropout",
        group="Training",
    ),
    Setting(
        "noise",
        Number(0.0, 1.0, integer=False, grid=(0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)),
        DEEPER_LESSON.noise,
        "input noise",
        "Gaussian input noise (σ)",
        "In training only: random noise of standard deviation σ is added to every standardized "
        "feature, anew for each row of each minibatch (Keras' GaussianNoise layer). 0: none.",
        field="noise",
        group="Training",
    ),
)
TRAIN = {s.key: s for s in TRAIN_SETTINGS}


def registry(*settings: Setting) -> dict[str, Setting]:
    """The settings by key, then a classroom link's `lock` and `hide`, each a list of those keys."""
    table = {s.key: s for s in settings}
    if len(table) != len(settings):
        raise ValueError("two settings share a key")
    keys = tuple(table)
    table["lock"] = Setting("lock", Several(keys), (), "locked controls")
    table["hide"] = Setting("hide", Several(keys), (), "hidden controls")
    return table
