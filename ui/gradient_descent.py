"""Streamlit glue of the gradient-descent page: value pickers and cached experiments."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import experiments, surface
from lib.datasets import Dataset
from lib.settings import SETTINGS
from ui import state
from ui.classroom import page_control


def values_picker(key: str, place=st) -> list[str]:
    """The values of the page control `key` (a `Values` setting of `lib.settings`): offered ones
    plus any typed in, in canonical spelling; a bad entry gets a warning saying what to type instead."""
    kind = SETTINGS[state.SETTING_OF[key]].kind
    chosen = page_control(
        place.multiselect,
        key,
        f"Values of the {experiments.VARIABLES[kind.vary]} to compare",
        list(kind.offered),
        accept_new_options=True,
        max_selections=kind.most,
        help="Pick from the list, or type another value and press Enter.",
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


def compared(dataset: Dataset, experiment: experiments.Experiment, values: list[str]) -> pd.DataFrame | None:
    """One cached run per value; None after saying on the page why a run cannot be made."""
    try:
        with st.spinner(f"Training {len(values)} runs…"):
            return pd.concat(
                [_curves(dataset.fingerprint, experiment, v, dataset) for v in values], ignore_index=True
            )
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
