"""The network and its training: their settings' controls in the sidebar, and the TrainConfig
their values build.

`network` runs in the entrypoint on every run, for every page, before the page: the controls
are drawn there (Streamlit's way for widgets shared by pages), on the pages that show a network,
so a widget keeps its value from page to page; on the other pages the values are kept all the
same. The values belong to one data set: choosing another gives its preset network
(`lib.presets.default_config_for`), except the settings a classroom link locks or hides and
those changed in the same run.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from lib.datasets import Dataset
from lib.presets import default_config_for
from lib.settings import TRAIN, TRAIN_SETTINGS, Layers, Setting, on_the_grids
from lib.training import TrainConfig, fit_rows
from ui import state
from ui.classroom import LOCKED_HELP, control, draw, hidden, locked

NEW_LAYER_NODES = 4  # a hidden layer switched on for the first time
SEED = TRAIN["seed"]


def setting_keys(setting: Setting) -> tuple[str, ...]:
    """The session keys of a setting's values: its own, or for the layers their number and widths."""
    if isinstance(setting.kind, Layers):
        return (state.N_HIDDEN, *(state.nodes(i) for i in range(1, setting.kind.most + 1)))
    return (setting.key,)


def keep_values(settings) -> None:
    """Set each of `settings`' values in the session again, as set in this run: Streamlit keeps a
    value set in the run that draws its control (or a run before) and sends the control with it."""
    for setting in settings:
        for key in setting_keys(setting):
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]


def session_values(config: TrainConfig) -> dict:
    """Session key → value of the settings `config` sets (the layers: their number and widths)."""
    values = {}
    for setting in TRAIN_SETTINGS:
        value = getattr(config, setting.field)
        if isinstance(setting.kind, Layers):
            values[state.N_HIDDEN] = len(value)
            values.update({state.nodes(i): nodes for i, nodes in enumerate(value, 1)})
        else:
            values[setting.key] = value
    return values


def put_config(config: TrainConfig, fingerprint: str | None) -> None:
    """Make `config` the settings' values, for the data set `fingerprint`."""
    st.session_state.update(session_values(config))
    st.session_state[state.CONFIG] = config
    st.session_state[state.CONFIG_DATA] = fingerprint


def _values() -> dict:
    """TrainConfig field → value, of the settings with a value in the session."""
    values = {}
    for setting in TRAIN_SETTINGS:
        if isinstance(setting.kind, Layers) and state.N_HIDDEN in st.session_state:
            layers = range(1, st.session_state[state.N_HIDDEN] + 1)
            values[setting.field] = tuple(st.session_state[state.nodes(i)] for i in layers)
        elif setting.key in st.session_state:
            values[setting.field] = st.session_state[setting.key]
    return values


def _follow(preset: TrainConfig, fingerprint: str, n_fit: int) -> None:
    """Another data set: its preset network, but for a value a link locks or hides, one changed in
    this same run (it differs from the last config built), and any set before the first run."""
    last = st.session_state.get(state.CONFIG)
    values = _values()
    kept = {
        s.field: values[s.field]
        for s in TRAIN_SETTINGS
        if s.field in values
        and (
            last is None
            or locked(s.key)
            or hidden(s.key)
            or (not callable(getattr(s.kind, "grid", None)) and values[s.field] != getattr(last, s.field))
        )  # a grid that depends on the data: its value follows the data set
    }
    put_config(on_the_grids(dataclasses.replace(preset, **kept), n_fit), fingerprint)


def network(dataset: Dataset, show: bool) -> TrainConfig:
    """Call in the entrypoint on every run, before the page: the settings' values for `dataset`,
    their controls in the sidebar if `show`; stores and returns the config they build."""
    keep_values(TRAIN_SETTINGS)  # a widget not drawn in a run forgets its value, unless it is set
    for i in range(1, TRAIN["hidden"].kind.most + 1):
        st.session_state.setdefault(state.nodes(i), NEW_LAYER_NODES)
    preset = default_config_for(dataset)
    n_fit = fit_rows(len(dataset.y), preset)
    if st.session_state.get(state.CONFIG_DATA) != dataset.fingerprint:
        _follow(preset, dataset.fingerprint, n_fit)
    for setting in TRAIN_SETTINGS:
        if getattr(setting.kind, "grid", None) is not None:
            st.session_state[setting.key] = setting.kind.snap(st.session_state[setting.key], n_fit)
    if show:
        _controls(n_fit)
    config = dataclasses.replace(preset, **_values())
    st.session_state[state.CONFIG] = config
    return config


def current_config() -> TrainConfig:
    """The config the settings build (`network` stored it before the page ran)."""
    return st.session_state[state.CONFIG]


def _controls(n_fit: int) -> None:
    """The controls, group by group, each group's number fields side by side at its end."""
    bar = st.sidebar
    for group in dict.fromkeys(s.group for s in TRAIN_SETTINGS):
        bar.subheader(group)
        if group == TRAIN_SETTINGS[0].group and st.session_state.get(state.LINK_LOCK):
            bar.caption(":material/lock: Greyed-out controls are set by your teacher's link.")
        rows = [s for s in TRAIN_SETTINGS if s.group == group]
        fields = [s for s in rows if s.control == "number_input"]
        for setting in rows:
            if setting not in fields:
                _control(setting, bar, n_fit)
        for setting, column in zip(fields, bar.columns(len(fields)) if fields else ()):
            _control(setting, column, n_fit)
    if not hidden(SEED.key):
        bar.button(
            "Re-initialize",
            icon=":material/casino:",
            on_click=_reinitialize,
            width="stretch",
            disabled=locked(SEED.key),
            help=LOCKED_HELP
            if locked(SEED.key)
            else "Train again from new random starting weights (the next seed).",
        )


def _control(setting: Setting, place, n_fit: int) -> None:
    if isinstance(setting.kind, Layers):
        _layers(setting, place)
        return
    shown = {"help": setting.help and setting.help.format(n_fit=n_fit)}
    grid = getattr(setting.kind, "grid", None)
    if grid is not None:
        shown["options"] = setting.kind.offered(n_fit)
    if callable(grid):  # a grid of the fitting rows ends with all of them: the full batch
        shown["format_func"] = lambda v: f"{v} (full batch)" if v == n_fit else setting.kind.format(v)
    draw(setting, place, **shown)


def _layers(setting: Setting, place) -> None:
    """How many hidden layers, then each one's nodes: one slider per layer switched on."""
    layers = setting.kind
    count = control(
        place.slider, state.N_HIDDEN, setting.name, 0, layers.most, setting=setting.key, help=setting.help
    )
    for i in range(1, count + 1):
        control(
            place.slider,
            state.nodes(i),
            f"Nodes in hidden layer {i}",
            layers.low,
            layers.high,
            setting=setting.key,
        )
    place.caption("Then the **bottleneck: 2 nodes**, the layer we plot, and the output layer.")


def _reinitialize() -> None:
    low, high = SEED.kind.bounds
    st.session_state[SEED.key] = low + (st.session_state[SEED.key] + 1 - low) % (high - low + 1)
