"""The data set shared by every page: chosen in the sidebar, loaded once, cached.

An uploaded CSV lives only in the uploading user's session (its bytes and what was
read from them, in `st.session_state`); nothing is written to disk, and a bad file
shows its message in that session alone.
"""

from __future__ import annotations

import hashlib
import re

import streamlit as st

from lib.csv_reader import csv_columns, guess_target, read_csv
from lib.datasets import DATASET_NAMES, Dataset, DatasetError, load_dataset
from lib.settings import Choice, Names, Setting
from ui import state
from ui.classroom import draw

UPLOAD = "upload"
CHOICES = (*DATASET_NAMES, UPLOAD)  # the data set's options: a link can name the bundled ones
DATA = Setting(
    "data", Choice(DATASET_NAMES), "banknotes", "data set", "Data set", "Every page works on this data set."
)
PAIRPLOT = Setting("pairplot", Names(most=6), None, "features plotted", "Features to plot")  # None: clearest
SETTINGS = (PAIRPLOT,)  # the data page's own
LABELS = {
    "banknotes": "Banknotes (the lesson)",
    "wine": "Wine (the exercise)",
    "iris": "Iris",
    "breast_cancer": "Breast cancer",
    "digits": "Digits (8×8 images)",
    UPLOAD: "Upload a CSV…",
}
CSV_EXAMPLE = (
    "length,width,colour,class\n5.1,3.5,red,setosa\n7.0,3.2,blue,versicolor\n6.3,3.3,red,virginica\n"
)
CSV_FORMAT = (
    "The file needs a header row naming the columns, one row per example, numeric "
    "feature columns and a class column (named class, target, label, y or species, "
    "or the last column). Commas, semicolons or tabs; at most 50 MB."
)


def escape_markdown(text: str) -> str:
    """Text from a user's file, escaped so that Markdown shows it as written (no links, no styling)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^])", r"\\\1", str(text))


@st.cache_data(max_entries=8, max_size="32MB", show_spinner="Loading the data…")  # 0.05-1 MB
def load_builtin(name: str) -> Dataset:
    return load_dataset(name)


def dataset_picker() -> None:
    """The sidebar choice; its key keeps the choice while moving between pages."""
    if draw(DATA, st.sidebar, options=CHOICES, format_func=LABELS.get) == UPLOAD:
        _upload_controls()


def _upload_controls() -> None:
    st.sidebar.file_uploader(
        "Your CSV file",
        type=["csv", "tsv", "txt"],
        key=state.CSV_UPLOADER,
        on_change=_keep_upload,
        help=CSV_FORMAT,
    )
    stored = st.session_state.get(state.CSV_FILE)
    if stored is None:
        return
    if st.session_state.get(state.CSV_UPLOADER) is None:
        st.sidebar.caption(f"Using {stored[0]}, uploaded earlier. Upload another file to replace it.")
    columns = _read(stored, "columns")
    if isinstance(columns, DatasetError):
        return  # current_dataset() shows the message on the page
    if st.session_state.get(state.CSV_TARGET) not in columns:
        st.session_state[state.CSV_TARGET] = guess_target(columns)
    st.sidebar.selectbox(
        "Class column (the target)",
        columns,
        key=state.CSV_TARGET,
        help="The column the network learns to predict; every other numeric column is a feature.",
    )


def _keep_upload() -> None:
    """Copy a new upload into the session (the widget forgets it when not drawn); None clears it."""
    upload = st.session_state.get(state.CSV_UPLOADER)
    st.session_state.pop(state.CSV_TARGET, None)
    st.session_state.pop(state.CSV_READ, None)
    if upload is None:
        st.session_state.pop(state.CSV_FILE, None)
        return
    data = upload.getvalue()
    st.session_state[state.CSV_FILE] = (upload.name, data, hashlib.sha256(data).hexdigest()[:16])


def _read(stored: tuple, what: str | None):
    """`csv_columns` (what="columns") or `read_csv` with target `what`, once per file and target."""
    name, data, digest = stored
    memo = st.session_state.setdefault(state.CSV_READ, {})
    if (digest, what) not in memo:
        try:
            memo[digest, what] = (
                csv_columns(data, name=name) if what == "columns" else read_csv(data, target=what, name=name)
            )
        except DatasetError as err:
            memo[digest, what] = err
    return memo[digest, what]


def chosen_dataset() -> Dataset | None:
    """The chosen data set, or None while it cannot be loaded; says nothing (`current_dataset` does)."""
    name = st.session_state.get(DATA.key, DATA.default)
    if name == UPLOAD:
        stored = st.session_state.get(state.CSV_FILE)
        result = None if stored is None else _read(stored, st.session_state.get(state.CSV_TARGET))
        return None if isinstance(result, DatasetError) else result
    try:
        return load_builtin(name)
    except DatasetError:
        return None


def _uploaded_dataset() -> Dataset | None:
    stored = st.session_state.get(state.CSV_FILE)
    if stored is None:
        st.info(
            "Upload a CSV file in the sidebar, or choose one of the bundled data sets there. " + CSV_FORMAT,
            icon=":material/upload_file:",
        )
        _show_format()
        return None
    with st.spinner(f"Reading {stored[0]}…"):
        result = _read(stored, st.session_state.get(state.CSV_TARGET))
    if isinstance(result, DatasetError):
        columns_read = not isinstance(_read(stored, "columns"), DatasetError)
        what_next = (
            "The class column can be changed in the sidebar; or fix the file and upload it again."
            if columns_read
            else "Fix the file and upload it again, or choose another data set in the sidebar."
        )
        st.error(f"{escape_markdown(result)} {what_next}", icon=":material/error:")
        _show_format()
        return None
    return result


def _show_format() -> None:
    with st.expander("What a CSV for this app looks like"):
        st.code(CSV_EXAMPLE, language=None)
        st.markdown(
            "The first row names the columns. **class** holds each row's class (text or whole "
            "numbers, at least 5 rows per class); **length** and **width** are features; "
            "**colour** is text, so it is left out. Rows with a gap are left out too."
        )


def current_dataset() -> Dataset | None:
    """The chosen data set, or None after showing on the page why it cannot be loaded."""
    name = st.session_state.get(DATA.key, DATA.default)
    if name == UPLOAD:
        return _uploaded_dataset()
    try:
        return load_builtin(name)
    except DatasetError as err:
        st.error(str(err), icon=":material/error:")
        return None
