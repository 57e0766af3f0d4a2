"""Download buttons for what a run produced; costly files are made only when clicked."""

from __future__ import annotations

import streamlit as st

from lib.codegen import keras_script
from lib.datasets import Dataset
from lib.exports import bottleneck_frame, csv_bytes, keras_bytes
from lib.training import Run


def run_stem(run: Run, dataset: Dataset) -> str:
    """The start of every file name saved from a run."""
    return f"bottleneck_{dataset.name}_seed{run.config.seed}"


def run_downloads(run: Run, dataset: Dataset) -> None:
    """The bottleneck activations, the history, the model and the script, side by side."""
    stem = run_stem(run, dataset)
    columns = st.columns(4)
    columns[0].download_button(
        "Bottleneck activations (CSV)",
        lambda: csv_bytes(bottleneck_frame(run, dataset)),
        file_name=f"{stem}_activations.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
        help="Every test row: its features, class, two bottleneck values, prediction.",
    )
    columns[1].download_button(
        "Learning curves (CSV)",
        lambda: csv_bytes(run.history, index=True),
        file_name=f"{stem}_history.csv",
        mime="text/csv",
        icon=":material/show_chart:",
        on_click="ignore",
        help="Loss and accuracy per epoch on training, validation and test rows.",
    )
    columns[2].download_button(
        "Trained model (.keras)",
        lambda: keras_bytes(run),
        file_name=f"{stem}.keras",
        mime="application/zip",
        icon=":material/model_training:",
        on_click="ignore",
        help="Open it with keras.saving.load_model(...).",
    )
    try:
        script = keras_script(run.config, dataset)
    except ValueError:  # an uploaded file: the script can only load the bundled data sets
        columns[3].caption("No script for an uploaded file: it loads the bundled data sets only.")
        return
    columns[3].download_button(
        "Python script (.py)",
        script,
        file_name=f"{stem}.py",
        mime="text/x-python",
        icon=":material/code:",
        on_click="ignore",
        help="The code shown above, as a file.",
    )
