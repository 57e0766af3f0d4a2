"""The whole app in Streamlit's AppTest, its charts' specs, and scripts in a fresh Python process."""

from __future__ import annotations

import json
import subprocess
import sys

from testkit import ROOT


def app_test(page: str | None = None, query: dict | None = None):
    """The whole app in AppTest, switched to `page` (a path under app_pages/), after one run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def chart_specs(at) -> list[dict]:
    """The Vega-Lite specs of every Altair chart on the page."""
    return [json.loads(element.proto.spec) for element in at.get("vega_lite_chart")]


def assert_no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def clear_caches() -> None:
    """Forget every `st.cache_data` result, so that no test sees what an earlier one computed."""
    import streamlit as st

    st.cache_data.clear()


def last_line_printed(script: str, timeout: float = 300) -> str:
    """Run `script` in a fresh Python process (nothing other tests left behind counts)."""
    prelude = f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
    out = subprocess.run(
        [sys.executable, "-c", prelude + script], capture_output=True, text=True, check=True, timeout=timeout
    ).stdout
    return out.strip().splitlines()[-1]
