"""Controls a classroom link locks (shown, disabled) or hides (its value stands, unseen)."""

from __future__ import annotations

import streamlit as st

from lib.settings import SETTINGS
from ui import state

LOCKED_HELP = "Locked: set by your teacher's link."


def locked(name: str) -> bool:
    return name in st.session_state.get(state.LINK_LOCK, ())


def hidden(name: str) -> bool:
    return name in st.session_state.get(state.LINK_HIDE, ())


def control(widget, name: str, *args, key: str, **kwargs):
    """`widget(...)` disabled when the link locks setting `name`; its stored value when it hides it.

    A locked widget's help says so first. A hidden widget's key must already be in the session
    (the pages seed their widgets first).
    """
    if hidden(name):
        return st.session_state[key]
    if locked(name):
        kwargs["help"] = " ".join(text for text in (LOCKED_HELP, kwargs.get("help")) if text)
    return widget(*args, key=key, disabled=locked(name), **kwargs)


def in_classroom() -> bool:
    """Whether the session was opened from a classroom link (one that locks or hides controls)."""
    return bool(st.session_state.get(state.LINK_LOCK) or st.session_state.get(state.LINK_HIDE))


def seed(key: str, default=None) -> None:
    """Give the page control `key` (one of `state.LINKED`) its setting's default unless it has a value.

    `default` replaces the setting's default where that depends on the data.
    """
    value = SETTINGS[state.SETTING_OF[key]].default if default is None else default
    st.session_state.setdefault(key, list(value) if isinstance(value, tuple) else value)


def page_control(widget, key: str, *args, **kwargs):
    """The control of a page's own setting (`state.LINKED`): seeded, then locked or hidden like any."""
    seed(key)
    return control(widget, state.SETTING_OF[key], *args, key=key, **kwargs)
