"""Settings to and from a page's address, so a teacher can share a link.

Every value a link can carry is described once here (`SETTINGS`): its query
parameter, its type, its range or choices and its default. A link with a missing,
malformed or out-of-range value opens with that value clamped or defaulted and a
notice saying which, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from lib.datasets import DATASET_NAMES
from lib.initializers import INITIALIZERS
from lib.optimizers import OPTIMIZERS
from lib.projections import DEFAULT_METHODS, METHODS
from lib.training import ACTIVATIONS, DEEPER_LESSON, TrainConfig

MAX_TEXT = 200  # longer values are refused before parsing: a link is not a data channel
MAX_LAYERS = 3


@dataclass(frozen=True)
class Number:
    low: float
    high: float
    integer: bool = True

    def parse(self, text: str):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        if self.integer:
            if value != int(value):
                raise ValueError("not a whole number")
            value = int(value)
        clamped = min(max(value, self.low), self.high)
        return (int(clamped) if self.integer else clamped), clamped != value

    def format(self, value) -> str:
        return str(int(value)) if self.integer else f"{value:g}"


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]

    def parse(self, text: str):
        if text not in self.options:
            raise ValueError(f"not one of {', '.join(self.options)}")
        return text, False

    def format(self, value) -> str:
        return str(value)


@dataclass(frozen=True)
class Layers:
    """Hidden layer widths as "8,5"; an empty value means no hidden layer."""

    low: int = 1
    high: int = 32
    most: int = MAX_LAYERS

    def parse(self, text: str):
        parts = [p for p in text.split(",") if p.strip()]
        widths = [int(float(p)) for p in parts]
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
        return known, len(known) != len(asked)

    def format(self, value) -> str:
        return ",".join(value)


@dataclass(frozen=True)
class Setting:
    key: str
    kind: Number | Choice | Layers | Several
    default: object
    label: str


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

SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("data", Choice(DATASET_NAMES), "banknotes", "data set"),
        Setting("hidden", Layers(), DEEPER_LESSON.hidden, "hidden layers"),
        Setting("epochs", Number(1, 200), DEEPER_LESSON.epochs, "epochs"),
        Setting("activation", Choice(ACTIVATIONS), DEEPER_LESSON.activation, "activation"),
        Setting("optimizer", Choice(OPTIMIZERS), DEEPER_LESSON.optimizer, "optimizer"),
        Setting("lr", Number(1e-4, 1.0, integer=False), DEEPER_LESSON.learning_rate, "learning rate"),
        Setting("batch", Number(1, 100_000), DEEPER_LESSON.batch_size, "batch size"),
        Setting("split_seed", Number(0, 9999), DEEPER_LESSON.split_seed, "split seed"),  # the page's ranges
        Setting("seed", Number(0, 99_999), DEEPER_LESSON.seed, "initialisation seed"),
        Setting("init", Choice(tuple(INITIALIZERS)), DEEPER_LESSON.initializer, "initializer"),
        Setting("perplexity", Number(5, 50), 30, "t-SNE perplexity"),
        Setting("methods", Several(tuple(METHODS)), tuple(DEFAULT_METHODS), "methods shown"),
    )
}
CONTROL_KEYS = tuple(SETTINGS)
SETTINGS["lock"] = Setting("lock", Several(CONTROL_KEYS), (), "locked controls")
SETTINGS["hide"] = Setting("hide", Several(CONTROL_KEYS), (), "hidden controls")


@dataclass(frozen=True)
class Parsed:
    values: dict
    notices: tuple[str, ...]


def _first(raw) -> str:
    return raw[0] if isinstance(raw, list | tuple) else str(raw)


def parse_query(params: Mapping[str, object], settings: Mapping[str, Setting] = SETTINGS) -> Parsed:
    """Values for every setting: from the link where it is valid, else clamped or defaulted."""
    values, notices = {}, []
    for key, setting in settings.items():
        if key not in params:
            values[key] = setting.default
            continue
        text = _first(params[key]).strip()
        try:
            if len(text) > MAX_TEXT:
                raise ValueError("too long")
            value, adjusted = setting.kind.parse(text)
        except (ValueError, OverflowError) as err:
            values[key] = setting.default
            notices.append(
                f"The link's {setting.label} ({text[:40]!r}) could not be used ({err}); "
                f"using {setting.kind.format(setting.default) or 'none'} instead."
            )
            continue
        values[key] = value
        if adjusted:
            problem = "named unknown ones" if isinstance(setting.kind, Several) else "was out of range"
            notices.append(
                f"The link's {setting.label} {problem}; using {setting.kind.format(value) or 'none'} instead."
            )
    return Parsed(values, tuple(notices))


def to_query(values: Mapping[str, object], settings: Mapping[str, Setting] = SETTINGS) -> dict[str, str]:
    """Query parameters for the given values, in the same format `parse_query` reads."""
    return {key: settings[key].kind.format(value) for key, value in values.items() if key in settings}


def config_from_values(values: Mapping[str, object], base: TrainConfig = DEEPER_LESSON) -> TrainConfig:
    """The TrainConfig a link describes (fields the link does not set come from `base`)."""
    return replace(base, **{field: values[key] for key, field in TRAIN_FIELDS.items() if key in values})


def values_from_config(config: TrainConfig) -> dict:
    return {key: getattr(config, field) for key, field in TRAIN_FIELDS.items()}
