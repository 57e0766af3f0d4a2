"""An epoch scrubber with a play button that redraws one view, not the whole page.

The view lives in a fragment; while playing, the fragment reruns itself on a
timer and steps the slider. Starting and stopping rerun the whole app, because
a fragment's timer is fixed when the app run creates it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

EPOCH_KEY, PLAYING_KEY, OWNER_KEY = "view_epoch", "view_playing", "view_owner"
TICK_SECONDS = 0.4
MAX_TICKS = 40  # a long run plays in about 16 s by skipping epochs


def epoch_player(owner: Hashable, n_epochs: int, draw: Callable[[int], None]) -> None:
    """Slider over epochs 0..n_epochs (starting at the last) and play/pause; `draw(epoch)`."""
    # A new run, or a return from another page (which drops the slider's state): show the
    # final state, stopped.
    if st.session_state.get(OWNER_KEY) != owner or EPOCH_KEY not in st.session_state:
        st.session_state[OWNER_KEY] = owner
        st.session_state[EPOCH_KEY] = n_epochs
        st.session_state[PLAYING_KEY] = False
    playing = st.session_state[PLAYING_KEY]
    step = max(1, -(-n_epochs // MAX_TICKS))

    @st.fragment(run_every=TICK_SECONDS if playing else None)
    def player() -> None:
        if st.session_state[PLAYING_KEY]:
            if st.session_state[EPOCH_KEY] >= n_epochs:
                st.session_state[PLAYING_KEY] = False
                st.rerun()  # the whole app, to drop the timer
            st.session_state[EPOCH_KEY] = min(n_epochs, st.session_state[EPOCH_KEY] + step)
        button, slider = st.columns([1, 5], vertical_alignment="bottom")
        label, icon = ("Pause", ":material/pause:") if playing else ("Play", ":material/play_arrow:")
        if button.button(
            label,
            icon=icon,
            key="view_play",
            width="stretch",
            help="Watch the representation form, epoch by epoch.",
        ):
            if not playing and st.session_state[EPOCH_KEY] >= n_epochs:
                st.session_state[EPOCH_KEY] = 0
            st.session_state[PLAYING_KEY] = not playing
            st.rerun()
        slider.slider("Show the network after epoch (0 = before training)", 0, n_epochs, key=EPOCH_KEY)
        draw(st.session_state[EPOCH_KEY])

    player()
