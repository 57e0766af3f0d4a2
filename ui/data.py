"""The data set shared by every page: chosen in the sidebar, loaded once, cached."""
from __future__ import annotations

import streamlit as st

from lib.datasets import DATASET_NAMES, Dataset, DatasetError, load_dataset

DATASET_KEY = "dataset_name"
LABELS = {
    "banknotes": "Banknotes (the lesson)",
    "wine": "Wine (the exercise)",
    "iris": "Iris",
    "breast_cancer": "Breast cancer",
    "digits": "Digits (8×8 images)",
}


@st.cache_data(max_entries=8, show_spinner="Loading the data…")
def _load(name: str) -> Dataset:
    return load_dataset(name)


def dataset_picker() -> None:
    """The sidebar choice; its key keeps the choice while moving between pages."""
    st.sidebar.selectbox(
        "Data set", DATASET_NAMES, key=DATASET_KEY, format_func=LABELS.get,
        help="Every page works on this data set.",
    )


def current_dataset() -> Dataset | None:
    """The chosen data set, or None after showing on the page why it cannot be loaded."""
    name = st.session_state.get(DATASET_KEY, DATASET_NAMES[0])
    try:
        return _load(name)
    except DatasetError as err:
        st.error(str(err), icon=":material/error:")
        return None
