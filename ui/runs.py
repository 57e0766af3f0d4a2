"""Training from a page: cached per (data, config), with a progress bar while it runs; and how many
runs of one network the re-initializations page trains."""

from __future__ import annotations

import streamlit as st

from lib.datasets import Dataset
from lib.settings import Number, Setting
from lib.training import Run, TrainConfig, train

RUNS = Setting(  # the re-initializations page's
    "runs",
    Number(2, 12),
    6,
    "number of seeds",
    "Number of seeds",
    "Each seed is one training run; runs seen before come from the cache.",
)
SETTINGS = (RUNS,)


@st.cache_data(max_entries=256, max_size="128MB", show_spinner=False)  # ~100 kB a run
def _trained(fingerprint: str, config: TrainConfig, _dataset: Dataset) -> Run:
    # The bar is made inside the cached function so that a cache hit replays
    # nothing visible (Streamlit replays elements a cached function created).
    bar = st.progress(0.0, text="Training…")
    every = max(1, config.epochs // 25)

    def report(epoch: int, logs: dict) -> None:
        if epoch % every == 0 or epoch == config.epochs:
            bar.progress(epoch / config.epochs, text=f"Training… epoch {epoch} of {config.epochs}")

    try:
        return train(_dataset, config, on_epoch=report)
    finally:
        bar.empty()


def trained(dataset: Dataset, config: TrainConfig) -> Run | None:
    """The run of `config` on `dataset`, or None after saying on the page why not."""
    try:
        return _trained(dataset.fingerprint, config, dataset)
    except ValueError as err:
        st.error(str(err), icon=":material/error:")
        return None
