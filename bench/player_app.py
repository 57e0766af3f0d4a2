"""The app bench/bench_player.py measures: the lesson's player, a multi-class one, or a bare
player (the baseline: the same timer and title, nothing else to draw).

    streamlit run bench/player_app.py  ->  /?view=player, /?view=wine or /?view=bare
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from lib.charts import player  # noqa: E402
from lib.charts.inside import epoch_player  # noqa: E402
from lib.charts.layouts import widest  # noqa: E402
from lib.datasets import load_dataset  # noqa: E402
from lib.training import LESSON, WINE_EXERCISE, train  # noqa: E402


@st.cache_resource
def trained(name: str):
    dataset = load_dataset(name)
    return dataset, train(dataset, WINE_EXERCISE if name == "wine" else LESSON)


view = st.query_params.get("view", "player")
dataset, run = trained("wine" if view == "wine" else "banknotes")
if view == "bare":
    spec = {
        "params": [*player.epoch_params(len(run.snapshots) - 1), player.accuracy_param(run)],
        "data": {"values": [{}]},
        "mark": {"type": "text", "text": {"expr": player.TITLE_EXPR}, "fontSize": 15},
        "width": 420,
        "height": 40,
        "usermeta": {"embedOptions": {"renderer": "canvas"}},
    }
else:
    spec = epoch_player(run, dataset)(widest("player"))  # as the inner-layer page draws it, wide
st.vega_lite_chart(spec, width="content")
