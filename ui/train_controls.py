"""The sidebar controls that make a `TrainConfig`; the config is kept for the other pages.

Widget state is forgotten when a page is left, so every widget is seeded from the
stored config first: coming back to the page shows the network last trained. The config
belongs to one data set: choosing another preloads that data set's network
(`lib.presets.default_config_for`), unless a link has just set the config for it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from lib.datasets import Dataset
from lib.optimizers import OPTIMIZERS
from lib.presets import default_config_for
from lib.training import ACTIVATIONS, TrainConfig, split
from ui.classroom import control, locked
from ui.classroom import hidden as link_hides

CONFIG_KEY = "train_config"
CONFIG_DATA_KEY = "train_config_data"  # (data fingerprint, config) as last stored here
SCALAR_WIDGETS = {
    "epochs": "epochs",
    "activation": "activation",
    "optimizer": "optimizer",
    "learning_rate": "learning_rate",
    "split_seed": "split_seed",
    "init_seed": "seed",
}
WIDTHS_KEY = "hidden_widths"  # every layer's nodes, also of layers switched off for now
MAX_LAYERS, MAX_NODES, MAX_EPOCHS = 3, 32, 200
NEW_LAYER_NODES = 4
LEARNING_RATES = tuple(float(f"{m}e{e}") for e in range(-4, 0) for m in (1, 2, 5)) + (1.0,)
OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "momentum": "SGD + momentum",
    "nesterov": "Nesterov momentum",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adagrad": "Adagrad",
}


WIDGET_KEYS = (
    "n_hidden",
    "nodes_1",
    "nodes_2",
    "nodes_3",
    WIDTHS_KEY,
    "epochs",
    "activation",
    "optimizer",
    "learning_rate",
    "batch_size",
    "split_seed",
    "init_seed",
)


def adopt_config(config: TrainConfig, fingerprint: str | None) -> None:
    """Make `config` the stored one for the data set `fingerprint`; the widgets re-seed from it."""
    _store(config, fingerprint)
    for key in WIDGET_KEYS:
        st.session_state.pop(key, None)


def _store(config: TrainConfig, fingerprint: str | None) -> None:
    st.session_state[CONFIG_KEY] = config
    st.session_state[CONFIG_DATA_KEY] = (fingerprint, config)


def current_config(dataset: Dataset) -> TrainConfig:
    """The stored config if it was made for `dataset`, else the data set's preset network.

    A config set from outside (a link, a test, another page) is kept; so are controls
    changed in the same rerun as the data set.
    """
    stored = st.session_state.get(CONFIG_KEY)
    made_for, ours = st.session_state.get(CONFIG_DATA_KEY, (None, stored))
    if stored is None or (made_for not in (None, dataset.fingerprint) and stored == ours):
        changed = {
            field: st.session_state[key]
            for key, field in SCALAR_WIDGETS.items()
            if stored is not None
            and key in st.session_state
            and st.session_state[key] != getattr(stored, field)
        }
        adopt_config(dataclasses.replace(default_config_for(dataset), **changed), dataset.fingerprint)
    else:
        _store(stored, dataset.fingerprint)
    return st.session_state[CONFIG_KEY]


def batch_sizes(n_fit: int) -> list[int]:
    """Powers of two below the number of training rows, then the full batch."""
    return [2**k for k in range(int(np.log2(n_fit)) + 1) if 2**k < n_fit] + [n_fit]


def nearest(options, value):
    return min(options, key=lambda option: abs(np.log(option) - np.log(value)))


def on_the_controls(config: TrainConfig, dataset: Dataset) -> TrainConfig:
    """`config` with its learning rate and batch size moved onto the sliders' nearest options."""
    return dataclasses.replace(
        config,
        learning_rate=nearest(LEARNING_RATES, config.learning_rate),
        batch_size=nearest(batch_sizes(len(split(dataset, config).y_fit)), config.batch_size),
    )


def _seed_widgets(config: TrainConfig, n_fit: int) -> None:
    """Fill widgets missing from the session from `config`; snap values onto the options."""
    defaults = {
        "n_hidden": len(config.hidden),
        "epochs": config.epochs,
        "activation": config.activation,
        "optimizer": config.optimizer,
        "learning_rate": nearest(LEARNING_RATES, config.learning_rate),
        "batch_size": config.batch_size,
        "split_seed": config.split_seed,
        "init_seed": config.seed,
    }
    defaults.update({f"nodes_{i + 1}": n for i, n in enumerate(config.hidden)})
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    st.session_state["batch_size"] = nearest(batch_sizes(n_fit), st.session_state["batch_size"])


def _reinitialize() -> None:
    st.session_state["init_seed"] = (st.session_state["init_seed"] + 1) % 100_000


def training_controls(dataset: Dataset) -> TrainConfig:
    """Draw the controls in the sidebar, store and return the config they describe."""
    base = current_config(dataset)
    n_fit = len(split(dataset, base).y_fit)
    _seed_widgets(base, n_fit)
    bar = st.sidebar
    bar.subheader("The network")
    n_hidden = control(
        bar.slider,
        "hidden",
        "Hidden layers before the bottleneck",
        0,
        MAX_LAYERS,
        key="n_hidden",
        help="0 gives the lesson's first model, 4 → 2 → 1.",
    )
    widths = list(st.session_state.get(WIDTHS_KEY, base.hidden))
    widths += [NEW_LAYER_NODES] * (MAX_LAYERS - len(widths))
    hidden = []
    for i in range(n_hidden):
        st.session_state.setdefault(f"nodes_{i + 1}", widths[i])
        hidden.append(
            control(
                bar.slider, "hidden", f"Nodes in hidden layer {i + 1}", 1, MAX_NODES, key=f"nodes_{i + 1}"
            )
        )
    st.session_state[WIDTHS_KEY] = tuple(hidden) + tuple(widths[n_hidden:])
    bar.caption("Then the **bottleneck: 2 nodes**, the layer we plot, and the output layer.")
    activation = control(
        bar.selectbox,
        "activation",
        "Activation",
        ACTIVATIONS,
        key="activation",
        help="The function every hidden and bottleneck node applies.",
    )
    bar.subheader("Training")
    epochs = control(
        bar.slider,
        "epochs",
        "Epochs",
        1,
        MAX_EPOCHS,
        key="epochs",
        help="One epoch = one pass through all training rows.",
    )
    optimizer = control(
        bar.selectbox, "optimizer", "Optimizer", OPTIMIZERS, key="optimizer", format_func=OPTIMIZER_LABELS.get
    )
    learning_rate = control(
        bar.select_slider,
        "lr",
        "Learning rate (log scale)",
        LEARNING_RATES,
        key="learning_rate",
        format_func=lambda v: f"{v:g}",
        help="How big each step is. Too big and training diverges "
        "or kills the bottleneck; too small and nothing moves.",
    )
    batch_size = control(
        bar.select_slider,
        "batch",
        "Batch size",
        batch_sizes(n_fit),
        key="batch_size",
        format_func=lambda v: f"{v} (full batch)" if v == n_fit else str(v),
        help=f"Rows per weight update; {n_fit} is every training row at once.",
    )
    bar.subheader("Randomness")
    left, right = bar.columns(2)
    split_seed = control(
        left.number_input,
        "split_seed",
        "Split seed",
        0,
        9999,
        key="split_seed",
        help="Which rows become test rows (random_state of train_test_split).",
    )
    seed = control(
        right.number_input,
        "seed",
        "Weights seed",
        0,
        99_999,
        key="init_seed",
        help="The random starting weights and the shuffling of batches.",
    )
    if not link_hides("seed"):
        bar.button(
            "Re-initialize",
            icon=":material/casino:",
            on_click=_reinitialize,
            width="stretch",
            disabled=locked("seed"),
            help="Train again from new random starting weights (the next seed).",
        )
    config = dataclasses.replace(
        base,
        hidden=tuple(hidden),
        activation=activation,
        epochs=epochs,
        optimizer=optimizer,
        learning_rate=learning_rate,
        batch_size=batch_size,
        split_seed=int(split_seed),
        seed=int(seed),
    )
    _store(config, dataset.fingerprint)
    return config
