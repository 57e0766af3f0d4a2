"""Settings to and from the query parameters of a link, so a teacher can share one.

The settings themselves (query key, kind, range or options, default) are the table
`lib.settings.SETTINGS`. A link with a missing, malformed or out-of-range value opens
with that value clamped or defaulted and a notice saying which, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from lib.settings import (
    MAX_TEXT,
    SETTINGS,
    TRAIN_FIELDS,
    Levels,
    Setting,
    Several,
    Values,
)
from lib.training import DEEPER_LESSON, TrainConfig

PROBLEMS = {
    Several: "named unknown ones",
    Values: "named values that cannot be compared",
    Levels: "was not one of its values",
}


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
            problem = PROBLEMS.get(type(setting.kind), "was out of range")
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
