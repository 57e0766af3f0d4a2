"""Any setting's control, drawn from its row; a classroom link locks it (shown, disabled) or hides
it (its value stands, unseen)."""

from __future__ import annotations

import streamlit as st

from lib.settings import Choice, Flag, Levels, Names, Number, Setting, Several, Text
from ui import state

LOCKED_HELP = "Locked: set by your teacher's link."
# how each kind of setting is usually set (a Number on a grid: a select_slider); a row's
# `control` names another Streamlit widget
USUAL = {
    Number: "slider",
    Choice: "selectbox",
    Levels: "select_slider",
    Flag: "toggle",
    Text: "selectbox",
    Several: "multiselect",
    Names: "multiselect",
}
ALWAYS = {"radio": {"horizontal": True}, "segmented_control": {"required": True}}  # as every page has them


def locked(key: str) -> bool:
    return key in st.session_state.get(state.LINK_LOCK, ())


def hidden(key: str) -> bool:
    return key in st.session_state.get(state.LINK_HIDE, ())


def in_classroom() -> bool:
    """Whether the session was opened from a classroom link (one that locks or hides controls)."""
    return bool(st.session_state.get(state.LINK_LOCK) or st.session_state.get(state.LINK_HIDE))


def control(widget, key: str, *args, setting: str | None = None, **kwargs):
    """`widget(*args, key=key, ...)`, disabled when the link locks `setting` (the key's own by
    default), or the key's stored value, undrawn, when the link hides it. A locked widget's help
    says so first."""
    setting = setting or key
    if hidden(setting):
        return st.session_state[key]
    if locked(setting):
        kwargs["help"] = " ".join(text for text in (LOCKED_HELP, kwargs.get("help")) if text)
    return widget(*args, key=key, disabled=locked(setting), **kwargs)


def draw(setting: Setting, place=st, *, default=None, **kwargs):
    """The control of `setting` in `place` (st, st.sidebar or a column), from its row: its key,
    name, help, and its range or options; `options=` gives options that depend on the data,
    `default=` a default that does, and any other keyword goes to the widget. Returns its value.

    A value already in the session (from a link, or the control itself) is kept; else the
    default is stored first."""
    value = setting.default if default is None else default
    st.session_state.setdefault(setting.key, list(value) if isinstance(value, tuple) else value)
    kind = setting.kind
    on_grid = getattr(kind, "grid", None) is not None
    widget = setting.control or ("select_slider" if on_grid else USUAL[type(kind)])
    if widget in ("slider", "number_input"):
        args = (kind.low, kind.high)
        if kind.step is not None:
            kwargs.setdefault("step", kind.step)
    elif widget == "toggle":
        args = ()
    else:
        args = (kwargs.pop("options") if "options" in kwargs else kind.options,)
        if hasattr(kind, "name") or isinstance(kind, Number):  # a number on a grid: as a link writes it
            kwargs.setdefault("format_func", getattr(kind, "name", kind.format))
    kwargs = {"help": setting.help, **ALWAYS.get(widget, {}), **kwargs}
    return control(getattr(place, widget), setting.key, kwargs.pop("title", setting.name), *args, **kwargs)
