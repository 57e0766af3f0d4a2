"""The sidebar controls that make a `TrainConfig`; the config is kept for the other pages.

Widget state is forgotten when a page is left, so every widget is seeded from the
stored config first: coming back to the page shows the network last trained. The config
belongs to one data set: choosing another preloads that data set's network
(`lib.presets.default_config_for`), unless a link has just set the config for it.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from lib.datasets import Dataset
from lib.presets import default_config_for
from lib.settings import (
    LEARNING_RATES,
    SETTINGS,
    TRAIN_FIELDS,
    batch_sizes,
    bounds,
    names,
    nearest,
    on_the_grids,
    options,
)
from lib.training import TrainConfig, fit_rows
from ui import state
from ui.classroom import LOCKED_HELP, control, locked
from ui.classroom import hidden as link_hides

NEW_LAYER_NODES = 4
WIDGET_KEYS = (state.N_HIDDEN, *state.NODES, state.WIDTHS, *state.CONFIG_WIDGETS)
INITIALIZER_HELP = (
    "How the starting weights are drawn. Glorot and LeCun scale them to each layer's number "
    "of inputs (and outputs), He for ReLU; zeros make every node of a layer learn the same."
)


def follow_page(page: str) -> None:
    """Call before the page runs: on another page the controls are new widgets, seeded from the config.

    Streamlit gives a widget on each page its own identity; the one left on the last page would
    otherwise hand the same key its own value and the new one would start at its default.
    """
    if st.session_state.get(state.CONTROLS_PAGE) != page:
        for key in (state.N_HIDDEN, *state.NODES, *state.CONFIG_WIDGETS):
            st.session_state.pop(key, None)
    st.session_state[state.CONTROLS_PAGE] = page


def adopt_config(config: TrainConfig, fingerprint: str | None) -> None:
    """Make `config` the stored one for the data set `fingerprint`; the widgets re-seed from it."""
    _store(config, fingerprint)
    for key in WIDGET_KEYS:
        st.session_state.pop(key, None)


def _store(config: TrainConfig, fingerprint: str | None) -> None:
    st.session_state[state.CONFIG] = config
    st.session_state[state.CONFIG_DATA] = (fingerprint, config)


def current_config(dataset: Dataset) -> TrainConfig:
    """The stored config if it was made for `dataset`, else the data set's preset network.

    A config set from outside (a link, a test, another page) is kept, and the controls show it;
    so are controls changed in the same rerun as the data set, and every setting a classroom
    link locks or hides: only the others follow the new data set's preset.
    """
    stored = st.session_state.get(state.CONFIG)
    made_for, ours = st.session_state.get(state.CONFIG_DATA, (None, stored))
    if stored is None or (made_for not in (None, dataset.fingerprint) and stored == ours):
        changed = {
            field: st.session_state[key]
            for key, field in state.CONFIG_WIDGETS.items()
            if key != state.BATCH_SIZE  # its options belong to the data set
            and stored is not None
            and key in st.session_state
            and st.session_state[key] != getattr(stored, field)
        }
        kept = {} if stored is None else {field: getattr(stored, field) for field in _fixed_by_link()}
        config = dataclasses.replace(default_config_for(dataset), **{**changed, **kept})
        adopt_config(on_the_grids(config, fit_rows(len(dataset.y), config)), dataset.fingerprint)
    elif stored != ours:  # set from outside: the controls re-seed from it
        adopt_config(stored, dataset.fingerprint)
    else:
        _store(stored, dataset.fingerprint)
    return st.session_state[state.CONFIG]


def _fixed_by_link() -> list[str]:
    """The TrainConfig fields a classroom link locks or hides: they keep the teacher's value."""
    return [field for key, field in TRAIN_FIELDS.items() if locked(key) or link_hides(key)]


def _seed_widgets(config: TrainConfig, n_fit: int) -> None:
    """Fill widgets missing from the session from `config`; snap values onto the options."""
    defaults = {key: getattr(config, field) for key, field in state.CONFIG_WIDGETS.items()}
    defaults[state.LEARNING_RATE] = nearest(LEARNING_RATES, config.learning_rate)
    defaults[state.N_HIDDEN] = len(config.hidden)
    defaults.update(zip(state.NODES, config.hidden))
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    st.session_state[state.BATCH_SIZE] = nearest(batch_sizes(n_fit), st.session_state[state.BATCH_SIZE])


def _reinitialize() -> None:
    low, high = bounds("seed")
    st.session_state[state.INIT_SEED] = low + (st.session_state[state.INIT_SEED] + 1 - low) % (high - low + 1)


def training_controls(dataset: Dataset) -> TrainConfig:
    """Draw the controls in the sidebar, store and return the config they describe."""
    base = current_config(dataset)
    n_fit = fit_rows(len(dataset.y), base)
    _seed_widgets(base, n_fit)
    bar = st.sidebar
    bar.subheader("The network")
    if st.session_state.get(state.LINK_LOCK):
        bar.caption(":material/lock: Greyed-out controls are set by your teacher's link.")
    layers = SETTINGS["hidden"].kind
    n_hidden = control(
        bar.slider,
        "hidden",
        "Hidden layers before the bottleneck",
        0,
        layers.most,
        key=state.N_HIDDEN,
        help="0 gives the lesson's first model, 4 → 2 → 1.",
    )
    widths = list(st.session_state.get(state.WIDTHS, base.hidden))
    widths += [NEW_LAYER_NODES] * (layers.most - len(widths))
    hidden = []
    for i in range(n_hidden):
        st.session_state.setdefault(state.NODES[i], widths[i])
        hidden.append(
            control(
                bar.slider,
                "hidden",
                f"Nodes in hidden layer {i + 1}",
                layers.low,
                layers.high,
                key=state.NODES[i],
            )
        )
    st.session_state[state.WIDTHS] = tuple(hidden) + tuple(widths[n_hidden:])
    bar.caption("Then the **bottleneck: 2 nodes**, the layer we plot, and the output layer.")
    activation = control(
        bar.selectbox,
        "activation",
        "Activation",
        options("activation"),
        key=state.ACTIVATION,
        help="The function every hidden and bottleneck node applies.",
    )
    bar.subheader("Training")
    epochs = control(
        bar.slider,
        "epochs",
        "Epochs",
        *bounds("epochs"),
        key=state.EPOCHS,
        help="One epoch = one pass through all training rows.",
    )
    optimizer = control(
        bar.selectbox,
        "optimizer",
        "Optimizer",
        options("optimizer"),
        key=state.OPTIMIZER,
        format_func=names("optimizer"),
    )
    learning_rate = control(
        bar.select_slider,
        "lr",
        "Learning rate (log scale)",
        LEARNING_RATES,
        key=state.LEARNING_RATE,
        format_func=lambda v: f"{v:g}",
        help="How big each step is. Too big and training diverges "
        "or kills the bottleneck; too small and nothing moves.",
    )
    batch_size = control(
        bar.select_slider,
        "batch",
        "Batch size",
        batch_sizes(n_fit),
        key=state.BATCH_SIZE,
        format_func=lambda v: f"{v} (full batch)" if v == n_fit else str(v),
        help=f"Rows per weight update; {n_fit} is every training row at once.",
    )
    bar.subheader("Randomness")
    initializer = control(
        bar.selectbox,
        "init",
        "Initializer (starting weights)",
        options("init"),
        key=state.INITIALIZER,
        format_func=names("init"),
        help=INITIALIZER_HELP,
    )
    left, right = bar.columns(2)
    split_seed = control(
        left.number_input,
        "split_seed",
        "Split seed",
        *bounds("split_seed"),
        key=state.SPLIT_SEED,
        help="Which rows become test rows (random_state of train_test_split).",
    )
    seed = control(
        right.number_input,
        "seed",
        "Weights seed",
        *bounds("seed"),
        key=state.INIT_SEED,
        help="The random starting weights and the shuffling of batches.",
    )
    if not link_hides("seed"):
        bar.button(
            "Re-initialize",
            icon=":material/casino:",
            on_click=_reinitialize,
            width="stretch",
            disabled=locked("seed"),
            help=LOCKED_HELP
            if locked("seed")
            else "Train again from new random starting weights (the next seed).",
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
        initializer=initializer,
    )
    _store(config, dataset.fingerprint)
    return config
