"""Streamlit glue for shared links: the address seeds the session, and follows its settings.

`SETTINGS` is every setting a link carries: the data set and the network's (`lib.settings`), and
each page's own, declared beside its glue in `ui/`. A link is read once, on the session's first
run (opening or reloading an address starts a new session): it sets the data set, the network
and the pages' controls, and the user's later changes win. Later runs never read the address
again: a rerun can carry an address from before the last write, and reading it would undo the
user's change. Every page writes its current settings back into the address, so the address bar
is always the link to what is on screen.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from lib.datasets import DATASET_NAMES, DatasetError
from lib.links import config_from_values, fit_to_data, parse_query, to_query, values_from_config
from lib.presets import default_config_for
from lib.settings import TRAIN, TRAIN_SETTINGS, on_the_grids, registry
from lib.training import DEEPER_LESSON, fit_rows
from ui import compare, gradient_descent, inside, lesson, runs, state
from ui import data as data_glue
from ui.classroom import in_classroom
from ui.data import DATA, load_builtin
from ui.train_controls import keep_values, put_config

PAGE_SETTINGS = (
    *lesson.SETTINGS,
    *runs.SETTINGS,
    *compare.SETTINGS,
    *gradient_descent.SETTINGS,
    *inside.SETTINGS,
)
SETTINGS = registry(DATA, *data_glue.SETTINGS, *TRAIN_SETTINGS, *PAGE_SETTINGS)
CONTROL_KEYS = SETTINGS["lock"].kind.options  # every setting a classroom link can lock or hide
PAGE_KEYS = tuple(s.key for s in (*data_glue.SETTINGS, *PAGE_SETTINGS))  # kept by a page's control


def _address_query() -> dict[str, str]:
    return {key: value for key, value in st.query_params.to_dict().items() if key in SETTINGS}


def apply_link() -> None:
    """On the session's first run, seed it from the link in the address (before any widget)."""
    if state.LINK_READ in st.session_state:
        return
    query = _address_query()
    if query:
        _apply(query)
    st.session_state[state.LINK_READ] = True


def resend_settings() -> None:
    """Mark every setting's value in the session as set in this run, so that its control shows it.

    Why: the width probe (ui.layout) asks for a rerun as soon as the browser draws it, which cuts a
    session's first run short. A value that run set (from the link, or a default) whose control is
    first drawn in the next run is then no longer new to Streamlit, which sends the control without
    it: the browser shows the control's own default and sends that back with the next move (a
    link to the lesson's step 5 fell back to step 1). Called when the probe tells its width."""
    keep_values(SETTINGS.values())


def _apply(query: dict[str, str]) -> None:
    parsed = parse_query(query, SETTINGS)
    values, notices = parsed.values, list(parsed.notices)
    st.session_state[DATA.key] = values[DATA.key]
    try:
        dataset = load_builtin(values[DATA.key])
    except DatasetError:
        dataset = None  # the page says why it cannot load the data
    given = {key: values[key] for key in TRAIN if key in query}
    config = config_from_values(given, default_config_for(dataset) if dataset is not None else DEEPER_LESSON)
    if dataset is not None:
        asked, config = config, on_the_grids(config, fit_rows(len(dataset.y), config))
        for key in given:
            field = TRAIN[key].field
            if getattr(asked, field) != getattr(config, field):  # a value between a grid's
                notices.append(
                    f"The link's {TRAIN[key].label} {getattr(asked, field):g} is not one "
                    f"of the slider's values; using {getattr(config, field):g} instead."
                )
        fitted = fit_to_data(
            values, [key for key in query if key in PAGE_KEYS], dataset.feature_names, SETTINGS
        )
        values, notices = fitted.values, notices + list(fitted.notices)
    put_config(config, dataset.fingerprint if dataset is not None else None)
    for key in PAGE_KEYS:
        if key in query and values[key] is not None:
            st.session_state[key] = list(values[key]) if isinstance(values[key], tuple) else values[key]
    st.session_state[state.LINK_LOCK] = values["lock"]
    st.session_state[state.LINK_HIDE] = values["hide"]
    st.session_state[state.LINK_NOTICES] = tuple(notices)


def current_query(lock=None, hide=None) -> dict[str, str]:
    """The session's settings as query parameters (what a link to them carries)."""
    values = {}
    if st.session_state.get(DATA.key, DATA.default) in DATASET_NAMES:
        values[DATA.key] = st.session_state.get(DATA.key, DATA.default)
    if state.CONFIG in st.session_state:
        values.update(values_from_config(st.session_state[state.CONFIG]))
    values.update({key: st.session_state[key] for key in PAGE_KEYS if key in st.session_state})
    values["lock"] = st.session_state.get(state.LINK_LOCK, ()) if lock is None else lock
    values["hide"] = st.session_state.get(state.LINK_HIDE, ()) if hide is None else hide
    return {key: text for key, text in to_query(values, SETTINGS).items() if text or key in TRAIN}


def link_url(query: dict[str, str]) -> str:
    """This page's full address with `query` (commas kept readable)."""
    return f"{st.context.url or ''}?{urlencode(query, safe=',')}"


def share_link(place=st) -> None:
    """Write the settings into the address and offer the link; call after the page's controls.

    What the link that opened the session could not use is listed (in `place`, a container
    made before the controls, if given) until the settings change.
    """
    query = current_query()
    written = st.session_state.get(state.LINK_WRITTEN, query)
    if any(written[key] != text for key, text in query.items() if key in written):
        # the settings moved on from the link's (a page's controls coming and going do not count)
        st.session_state.pop(state.LINK_NOTICES, None)
    st.session_state[state.LINK_WRITTEN] = query
    for notice in st.session_state.get(state.LINK_NOTICES, ()):
        place.warning(notice, icon=":material/link_off:")
    if _address_query() != query:
        st.query_params.from_dict(query)
    with st.sidebar.popover("Copy link to these settings", icon=":material/link:", width="stretch"):
        st.markdown(
            "Anyone opening this address sees this page with the same data set and settings. "
            "Copy it with the button at the code's top right."
        )
        st.code(link_url(query), language=None, wrap_lines=True)
        if st.session_state.get(DATA.key) not in DATASET_NAMES:
            st.caption("An uploaded file cannot travel in a link: the link opens the banknote data.")


def classroom_link_maker() -> None:
    """For teachers: a link that locks or hides chosen controls, so a class starts alike.

    Not offered in a classroom link: a teacher makes links from an ordinary one.
    """
    if in_classroom():
        return
    with st.expander("Make a classroom link (for teachers)", icon=":material/school:"):
        st.markdown(
            "Choose the controls the class may not change. **Locked** controls stay visible "
            "but greyed out; **hidden** ones are not shown at all. Everything else starts "
            "from the settings on screen now."
        )
        left, right = st.columns(2)
        lock = left.multiselect("Lock", CONTROL_KEYS, format_func=_label, key=state.CLASSROOM_LOCK)
        hide = right.multiselect("Hide", CONTROL_KEYS, format_func=_label, key=state.CLASSROOM_HIDE)
        st.code(link_url(current_query(tuple(lock), tuple(hide))), language=None, wrap_lines=True)


def _label(key: str) -> str:
    return SETTINGS[key].label.capitalize()
