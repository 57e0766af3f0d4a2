"""The inner-layer page's check against Keras' own `model.fit` (lib.keras_check): a button that says
what it costs, its result for the network on screen, cached per (data, config).

It runs in the session's own thread, by its button alone: the button is greyed out while it runs and
once the current network is checked. One check at a time runs on the server (a class pressing it on
different networks takes turns instead of slowing each other and everyone's training); a class
pressing it on the teacher's network computes it once (st.cache_data holds one computation per key).
"""

from __future__ import annotations

import streamlit as st

from lib.datasets import Dataset
from lib.keras_check import ONE_AT_A_TIME, KerasCheck, check_against_keras, estimated_seconds, minibatch_steps
from lib.readable import readable
from lib.training import Run, TrainConfig
from ui import state

LONGEST = 60  # seconds: a network that would take longer is not checked here (see `keras_check`)


@st.cache_data(max_entries=64, max_size="1MB", show_spinner=False)  # a few kB a check
def _checked(fingerprint: str, config: TrainConfig, _dataset: Dataset, _run: Run) -> KerasCheck:
    # The bar is made inside the cached function: a cache hit replays nothing visible (ui/runs.py).
    waiting = ONE_AT_A_TIME.locked()  # another session's check is in flight: this one waits for it
    bar = st.progress(
        0.0, text="Waiting for another check on this server to end…" if waiting else "Training in Keras…"
    )

    def report(epoch: int) -> None:
        bar.progress(epoch / config.epochs, text=f"Training in Keras… epoch {epoch} of {config.epochs}")

    try:
        return check_against_keras(_dataset, _run, on_epoch=report)
    finally:
        bar.empty()


def keras_check(run: Run, dataset: Dataset) -> None:
    """The section: what the check does, its button with its cost, and the last result for this network."""
    config, n_rows = run.config, len(dataset.y)
    extras = [
        name
        for on, name in [
            (config.l2, "L2 weight decay"),
            (config.dropout, "dropout"),
            (config.noise, "input noise"),
        ]
        if on
    ]
    st.header("8 · Checked against Keras", divider="gray")
    st.markdown(
        "This app trains its networks with an engine of its own, quicker than Keras for these small "
        "networks. Does it train them **exactly as Keras does**? Check it: the button builds the same "
        "network in Keras, gives it the same starting weights, feeds it the same minibatches in the same "
        "order and trains it with Keras' own `model.fit`, optimizer and loss"
        + (f" (and {', '.join(extras)})" if extras else "")
        + ". Then it compares the two trainings."
    )
    seconds = estimated_seconds(n_rows, config)
    key = (dataset.fingerprint, config)
    found = st.session_state.get(state.KERAS_CHECK)
    check = found[1] if found and found[0] == key else None
    slot = st.empty()
    if check is None and seconds > LONGEST:
        slot.button("Check against Keras' own model.fit", disabled=True)
        st.caption(
            f"This network would take about {readable(seconds)} s to train again in Keras "
            f"({minibatch_steps(n_rows, config):,} minibatch updates): too long to check here. Fewer "
            "epochs or a larger batch make it shorter."
        )
        return
    if check is None:
        label = f"Check against Keras' own model.fit (about {max(1, round(seconds))} s)"
        pressed = slot.button(
            label,
            icon=":material/fact_check:",
            key=state.KERAS_CHECK_BUTTON,
            help=f"Trains this network again in Keras: {minibatch_steps(n_rows, config):,} minibatch "
            f"updates, about {readable(seconds)} s on a quiet server (longer while many students train).",
        )
        if not pressed:
            return
        slot.button(f"Checking… (about {max(1, round(seconds))} s)", disabled=True)
        check = _checked(dataset.fingerprint, config, dataset, run)
        st.session_state[state.KERAS_CHECK] = (key, check)
    slot.button("Checked against Keras' own model.fit", icon=":material/check:", disabled=True)
    result(check, config)


def result(check: KerasCheck, config: TrainConfig) -> None:
    """How to read the check, then its numbers."""
    rounding = (
        "A computer keeps about 7 significant digits of each number (float32), and the two programs "
        "add the same numbers in different orders, so they round differently, in about the 7th digit."
    )
    if not check.exact:
        st.markdown(
            "**Not the same training, and not meant to be:** dropout and input noise draw new random "
            "numbers for every minibatch, and Keras' layers draw other ones than the engine. So the two "
            "networks part from the first minibatch, and their weights are not compared. Their accuracies "
            "are: over many weights seeds the two trainings reach the same accuracies and losses on "
            "average (the app's tests check it on 30 seeds), though one seed's two runs may differ."
        )
    elif check.drift_epoch is None:
        st.markdown(
            f"**The same training, to float32 rounding:** after {config.epochs} epochs no weight of the two "
            f"networks differs by more than {readable(check.weight_gap)}. {rounding}"
        )
    else:
        st.markdown(
            f"**The same training, to float32 rounding, at first:** after epoch 1 the weights differ by at "
            f"most {readable(check.weight_gaps[0])}. {rounding} This training amplifies such tiny "
            f"differences epoch after epoch: from epoch {check.drift_epoch} they exceed 10⁻⁴, and after "
            f"epoch {config.epochs} they reach {readable(check.weight_gap)}. The engine drifts from itself "
            "the same way when its starting weights change in their 7th digit: compare the accuracies, "
            "not the weights."
        )
    columns = st.columns(4 if check.exact else 2)
    if check.exact:
        columns[0].metric(
            "Largest weight difference",
            readable(check.weight_gap),
            help=f"The largest difference between any weight of the two networks after epoch "
            f"{config.epochs}; after epoch 1 it was {readable(check.weight_gaps[0])}.",
        )
        columns[1].metric(
            "Largest bottleneck difference",
            readable(check.bottleneck_gap),
            help="The largest difference between the two networks' bottleneck activations of any test "
            f"row after the last epoch; those activations reach {readable(check.bottleneck_size)}.",
        )
    columns[-2].metric(
        "Test accuracy, engine / Keras", f"{check.engine_accuracy:.1%} / {check.keras_accuracy:.1%}"
    )
    columns[-1].metric(
        "Training time, engine / Keras",
        f"{check.engine_seconds:.1f} s / {check.keras_seconds:.1f} s",
        help="Keras' time is its model.fit, its first tracing included (as a first fit in a notebook).",
    )
