"""Settings to and from the query parameters of a link, so a teacher can share one.

The settings themselves (key, kind, range or options, default) are `lib.settings.Setting`s; the
app joins them into one table (`lib.settings.registry`) and passes it here. A link with a
missing, malformed or out-of-range value opens with that value clamped or defaulted and a notice
saying which, never an exception; an empty list opens the default list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from lib.settings import MAX_TEXT, TRAIN_SETTINGS, Names, Setting, Text, Unusable, quoted
from lib.training import DEEPER_LESSON, TrainConfig


@dataclass(frozen=True)
class Parsed:
    values: dict
    notices: tuple[str, ...]


def _first(raw) -> str:
    return raw[0] if isinstance(raw, list | tuple) else str(raw)


def _shown(setting: Setting, value) -> str:
    return setting.kind.format(value) or "none"


def parse_query(params: Mapping[str, object], settings: Mapping[str, Setting]) -> Parsed:
    """Values for every setting: from the link where it is valid, else clamped or defaulted."""
    values, notices = {}, []
    for key, setting in settings.items():
        if key not in params:
            values[key] = setting.default
            continue
        text = _first(params[key]).strip()
        try:
            if len(text) > MAX_TEXT:
                raise Unusable(f"the value is too long (over {MAX_TEXT} characters)")
            value, adjusted = setting.kind.parse(text)
        except (ValueError, OverflowError) as err:  # a kind's own error text is not for people
            reason = str(err) if isinstance(err, Unusable) else f"{quoted(text)} cannot be read"
            values[key] = setting.default
            notices.append(
                f"The link's {setting.label}: {reason}; using {_shown(setting, setting.default)} instead."
            )
            continue
        values[key] = setting.default if value is None else value
        if adjusted:
            notices.append(
                f"The link's {setting.label} {setting.kind.adjusted}; using {_shown(setting, value)} instead."
            )
    return Parsed(values, tuple(notices))


def fit_to_data(
    values: Mapping[str, object], given, feature_names, settings: Mapping[str, Setting]
) -> Parsed:
    """`values` with the settings that name features (`Text`, `Names`) checked against the data's.

    Only settings in `given` (those a link carried) are checked: an unknown feature is dropped,
    and a setting left without any is defaulted, each with a notice.
    """
    fixed, notices = dict(values), []
    for key in given:
        setting, value = settings[key], values[key]
        if isinstance(setting.kind, Text) and value not in feature_names:
            fixed[key] = setting.default
            notices.append(f"The link's {setting.label} is not a feature of this data; using the usual one.")
        elif isinstance(setting.kind, Names) and value is not None and not set(value) <= set(feature_names):
            known = tuple(name for name in value if name in feature_names)
            fixed[key] = known or setting.default
            shown = setting.kind.format(known) if known else "the usual ones"
            notices.append(f"The link's {setting.label} named unknown ones; using {shown} instead.")
    return Parsed(fixed, tuple(notices))


def to_query(values: Mapping[str, object], settings: Mapping[str, Setting]) -> dict[str, str]:
    """Query parameters for the given values, in the same format `parse_query` reads."""
    return {key: settings[key].kind.format(value) for key, value in values.items() if key in settings}


def config_from_values(values: Mapping[str, object], base: TrainConfig = DEEPER_LESSON) -> TrainConfig:
    """The TrainConfig a link describes (fields the link does not set come from `base`)."""
    return replace(base, **{s.field: values[s.key] for s in TRAIN_SETTINGS if s.key in values})


def values_from_config(config: TrainConfig) -> dict:
    """The link's values of `config`, by key."""
    return {s.key: getattr(config, s.field) for s in TRAIN_SETTINGS}
