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


def set_config(at, config) -> None:
    """Give the network's settings the values of the TrainConfig `config` before the next run, as a
    student moving every control at once would."""
    from ui.train_controls import session_values

    for key, value in session_values(config).items():
        at.session_state[key] = value


def chart_specs(at, widest: bool = False) -> list[dict]:
    """The Vega-Lite specs of every Altair chart on the page (`widest`: see `widest_charts`)."""
    return [
        json.loads(element.proto.spec)
        for element in (widest_charts(at) if widest else at.get("vega_lite_chart"))
    ]


def widest_charts(at) -> list:
    """The page's chart elements, a responsive chart (lib.layouts) in its widest layout only: each
    chart once, as a wide screen shows it."""
    from lib.layouts import LAYOUTS
    from ui.layout import layout_key

    narrower = {
        layout_key(chart, layout.name) for chart, layouts in LAYOUTS.items() for layout in layouts[1:]
    }

    def charts(node) -> list:
        if getattr(node, "type", None) == "vega_lite_chart":
            return [node]
        block_id = getattr(getattr(node, "proto", None), "id", "") if hasattr(node, "children") else ""
        if block_id and block_id.rsplit("-", 1)[-1] in narrower:
            return []
        return [chart for child in getattr(node, "children", {}).values() for chart in charts(child)]

    return charts(at.main)


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
