"""The app's one stylesheet (`ui/responsive.css`): grids that reduce their columns on small screens."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

STYLESHEET = Path(__file__).with_name("responsive.css")


def responsive_layout() -> None:
    """Load the stylesheet into the page (Streamlit sends a style-only `st.html` without a gap)."""
    st.html(STYLESHEET)
