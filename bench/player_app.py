"""The app bench/bench_player.py measures: the lesson's player, or a bare player (the baseline).

    streamlit run bench/player_app.py  ->  /?view=player (the page's spec) or /?view=bare
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BANKNOTES_CSV", str(ROOT.parent / "shared" / "data" / "banknotes.csv"))

import streamlit as st  # noqa: E402

from lib.charts import plane, player  # noqa: E402
from lib.datasets import load_dataset  # noqa: E402
from lib.training import LESSON, train  # noqa: E402


@st.cache_resource
def lesson():
    dataset = load_dataset("banknotes")
    return dataset, train(dataset, LESSON)


dataset, run = lesson()
view = st.query_params.get("view", "player")
if view == "bare":  # the same parameters and title, nothing else to draw: what the timer allows
    spec = {
        "params": [*player.epoch_params(len(run.snapshots) - 1), player.accuracy_param(run)],
        "data": {"values": [{}]},
        "mark": {"type": "text", "text": {"expr": player.TITLE_EXPR}, "fontSize": 15},
        "width": 420,
        "height": 40,
        "usermeta": {"embedOptions": {"renderer": "canvas"}},
    }
else:
    spec = player.player_spec(run, dataset, plane.plane_extent(run.snapshots))
    if view == "noregions":
        spec["hconcat"][0]["layer"].pop(0)
    if view == "regionpoints":
        layer = spec["hconcat"][0]["layer"][0]
        layer["mark"] = {"type": "point"}
        layer["encoding"].pop("detail", None)
        layer["encoding"].pop("order", None)
    if view == "nodots":
        spec["hconcat"][0]["layer"].pop(1)
    if view == "noright":
        spec["hconcat"].pop(1)
    if view == "svg":
        spec["usermeta"] = {"embedOptions": {"renderer": "svg"}}
st.vega_lite_chart(spec, width="content")
