"""An epoch scrubber with a play button that redraws one view, not the whole page.

The view lives in a fragment; while playing, the fragment reruns itself on a
timer and steps the slider. Starting and stopping rerun the whole app, because
a fragment's timer is fixed when the app run creates it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import streamlit as st

from ui import state

TICK_SECONDS = 0.4
MAX_TICKS = 40  # a long run plays in about 16 s by skipping epochs


def epoch_player(owner: Hashable, n_epochs: int, draw: Callable[[int], None]) -> None:
    """Slider over epochs 0..n_epochs (starting at the last) and play/pause; `draw(epoch)`."""
    # A new run, or a return from another page (which drops the slider's state): show the
    # final state, stopped.
    if st.session_state.get(state.VIEW_OWNER) != owner or state.VIEW_EPOCH not in st.session_state:
        st.session_state[state.VIEW_OWNER] = owner
        st.session_state[state.VIEW_EPOCH] = n_epochs
        st.session_state[state.VIEW_PLAYING] = False
    playing = st.session_state[state.VIEW_PLAYING]
    step = max(1, -(-n_epochs // MAX_TICKS))

    @st.fragment(run_every=TICK_SECONDS if playing else None)
    def player() -> None:
        if st.session_state[state.VIEW_PLAYING]:
            if st.session_state[state.VIEW_EPOCH] >= n_epochs:
                st.session_state[state.VIEW_PLAYING] = False
                st.rerun()  # the whole app, to drop the timer
            st.session_state[state.VIEW_EPOCH] = min(n_epochs, st.session_state[state.VIEW_EPOCH] + step)
        button, slider = st.columns([1, 5], vertical_alignment="bottom")
        label, icon = ("Pause", ":material/pause:") if playing else ("Play", ":material/play_arrow:")
        if button.button(
            label,
            icon=icon,
            key=state.VIEW_PLAY,
            width="stretch",
            help="Watch the representation form, epoch by epoch.",
        ):
            if not playing and st.session_state[state.VIEW_EPOCH] >= n_epochs:
                st.session_state[state.VIEW_EPOCH] = 0
            st.session_state[state.VIEW_PLAYING] = not playing
            st.rerun()
        slider.slider("Show the network after epoch (0 = before training)", 0, n_epochs, key=state.VIEW_EPOCH)
        draw(st.session_state[state.VIEW_EPOCH])

    player()
