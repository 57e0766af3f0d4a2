"""Controls a classroom link locks (shown, disabled) or hides (its value stands, unseen)."""

from __future__ import annotations

import streamlit as st

LOCK_KEY, HIDE_KEY = "link_lock", "link_hide"  # link setting names, set from a link (ui/links.py)


def locked(name: str) -> bool:
    return name in st.session_state.get(LOCK_KEY, ())


def hidden(name: str) -> bool:
    return name in st.session_state.get(HIDE_KEY, ())


def control(widget, name: str, *args, key: str, **kwargs):
    """`widget(...)` disabled when the link locks setting `name`; its stored value when it hides it.

    A hidden widget's key must already be in the session (the pages seed their widgets first).
    """
    if hidden(name):
        return st.session_state[key]
    return widget(*args, key=key, disabled=locked(name), **kwargs)
