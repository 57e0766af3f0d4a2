"""Re-initializations: one network trained from several random starts, each map aligned to the first."""

from dataclasses import replace

import streamlit as st

from lib.charts.gallery import ONE_FEATURE_TEXT, accuracy_summary, align_runs, gallery_parts
from lib.charts.plane import panel_rows
from lib.images import images_for
from lib.training import network_name
from ui.advice import remedies_in_words
from ui.charts import chart
from ui.classroom import draw
from ui.data import current_dataset
from ui.links import share_link
from ui.runs import RUNS, trained
from ui.train_controls import current_config

st.title("Re-initializations")
st.markdown(
    "Training starts from random weights: the network set in the sidebar, trained again from "
    "another **seed**, lands elsewhere. A different picture, or the same one turned around? "
    "Each seed's final bottleneck, side by side."
)
dataset = current_dataset()
if dataset is None:
    st.stop()
config = current_config()
n_runs = draw(RUNS)
share_link()
shape = network_name(config.layer_sizes(dataset.n_features, dataset.n_classes))
st.caption(
    f"Network {shape} · {config.activation} · {config.optimizer} · {config.epochs} epochs · "
    f"seeds {config.seed} to {config.seed + n_runs - 1} (change the network in the sidebar)."
)

runs = [trained(dataset, replace(config, seed=seed)) for seed in range(config.seed, config.seed + n_runs)]
if any(run is None for run in runs):
    st.stop()
panels = align_runs(runs)
mean, spread, low, high = accuracy_summary(panels)
st.metric(
    "Test accuracy over the seeds",
    f"{mean:.1%} ± {spread:.1%}",
    help="Mean ± standard deviation of the runs' test accuracy.",
)
st.markdown(
    f"From **{low:.1%}** (worst seed) to **{high:.1%}** (best seed), on the same "
    f"{len(runs[0].y_test)} test rows."
)
broken = [p for p in panels if p.points is None]
if broken:
    st.warning(
        f"{len(broken)} of {n_runs} runs have no map to draw (marked in red): a **dead** "
        "bottleneck outputs 0 for every row, a **diverged** run's numbers overflowed. "
        + remedies_in_words(("lr", "activation")),
        icon=":material/warning:",
    )
one_feature = [p for p in panels if p.status in ONE_FEATURE_TEXT]
if one_feature:
    st.warning(
        f"{len(one_feature)} of {n_runs} runs learned one feature instead of two (marked in their "
        "titles): a **dead** node outputs 0 for every row, a **collapsed** bottleneck's two nodes say the "
        "same thing, so the points lie on one line. " + remedies_in_words(("seed", "lr", "activation")),
        icon=":material/warning:",
    )

with st.expander("How to read it: aligned maps and their disparity"):
    st.markdown(
        "Every map is moved onto the first one by the best **rotation, reflection, "
        "shift and uniform scaling** (an orthogonal Procrustes fit), because those moves change nothing "
        "the output layer cares about. The **disparity** in each title is what is left after the move: "
        "0 means the same picture, 1 nothing in common. Dots are test rows, coloured by true class."
    )
if (shown := len(panel_rows(len(runs[0].y_test)))) < len(runs[0].y_test):
    st.caption(f"Each map shows the same random {shown:,} of the {len(runs[0].y_test):,} test rows.")
images = images_for(dataset, runs[0].test_index)
chart(  # 3 columns, 2 on a tablet, 1 on a phone
    gallery_parts,
    panels,
    runs[0].y_test,
    dataset.class_names,
    images,
    name=f"reinitializations_{dataset.name}",
    layouts="gallery_maps",
)
st.markdown(
    "**What to notice.** The accuracies are close even where the pictures are not: the network "
    "only needs the classes on two sides of a line, and there are many ways to put them there. "
    'Some seeds stretch the classes along one axis, some squash a node flat ("one node dead") '
    'or onto one line ("collapsed").'
)
