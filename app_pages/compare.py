"""The comparison page: the network's bottleneck as a 2-D map, beside PCA, t-SNE, LDA and more."""

import streamlit as st

from lib.charts import compare as compare_charts
from lib.diagnostics import diagnose
from lib.exports import csv_bytes, projections_frame
from lib.metrics import FOLDS
from lib.neighbours import most_neighbours
from lib.presets import default_config_for
from lib.projections import METHODS, TSNE_ROW_LIMIT, comparison_rows, drawing_order
from lib.training import network_name
from ui.advice import explained
from ui.charts import chart, layout_slots
from ui.classroom import draw
from ui.compare import (
    ALL_ROWS,
    FIND_ROW,
    ITERATIONS,
    KEPT_COLOURS,
    NEIGHBOURS_K,
    PERPLEXITY,
    SHOWN,
    computed_before,
    projection,
    projection_neighbourhoods,
    projection_scores,
)
from ui.data import current_dataset
from ui.links import share_link
from ui.runs import trained
from ui.train_controls import current_config

st.title("Compare reductions")
st.markdown(
    "The network's 2-node bottleneck draws a **2-D map** of data with more dimensions. "
    "Other reductions draw such maps too: here they stand side by side, same rows, same colours."
)
dataset = current_dataset()
if dataset is None:
    st.stop()
config = current_config()
run = trained(dataset, config)
if run is None:
    st.stop()
shape = network_name(run.layer_sizes)
source = "the lesson's defaults" if config == default_config_for(dataset) else "your settings"
st.caption(
    f"The network: {shape}, {config.activation}, {config.epochs} epochs, from {source} "
    f"(change it in the sidebar: the bottleneck map and its scores follow); "
    f"test accuracy {run.test_accuracy:.1%}."
)
problems = diagnose(run)
for problem in problems:  # the inner-layer page's words: what is wrong with the network, what to try
    (st.error if problem.blocking else st.warning)(explained(problem), icon=":material/warning:")
diverged = any(p.kind == "diverged" for p in problems)

methods = draw(SHOWN)
left, right = st.columns([1, 2])
all_rows = draw(ALL_ROWS, left)
slider, rules = right.columns([1, 1])
perplexity = draw(PERPLEXITY, slider)
iterations = draw(ITERATIONS, slider)
rules.caption(
    "**Reading a t-SNE map** ([Distill](https://distill.pub/2016/misread-tsne/)): the sizes of its "
    "clusters and the distances between them mean little; each perplexity draws another picture; "
    "one run can mislead, so try a few."
)
notices = st.container()  # the link's notices (share_link, once every control is drawn)
if diverged and "bottleneck" in methods:  # no map of non-numbers; the other maps do not need the network
    methods = [m for m in methods if m != "bottleneck"]
    st.info(
        "The bottleneck map is left out until the network trains; the other maps follow.",
        icon=":material/info:",
    )
if not methods:
    share_link(notices)
    st.info("Choose at least one method to draw.", icon=":material/info:")
    st.stop()

rows = comparison_rows(len(dataset.y), run.test_index, all_rows)
# The autoencoder mirrors the data set's preset network, not the sidebar's: one map per data set for
# the whole class (a new shape would train it again, a second or more, at every move of Nodes).
params = {
    "tsne": dict(perplexity=perplexity, max_iter=iterations),
    "autoencoder": dict(hidden=default_config_for(dataset).hidden),
}
progress = st.empty()
slots = layout_slots("compare_maps")  # one per layout (lib.charts.layouts), filled as the maps are ready
# Under the maps, drawn before them: how to pick a row, k, the colours and the row to find (so a
# phone sees the first map within a screen); the scores below use the same k.
tools = st.empty()
with tools.container():
    how = st.empty()
    pick_k, colours, pick_row = st.columns(3)
    chosen_k = draw(NEIGHBOURS_K, pick_k)
    kept_colours = draw(KEPT_COLOURS, colours)
    row = draw(FIND_ROW, pick_row, placeholder="a row number")
share_link(notices)
k = min(chosen_k, most_neighbours(len(rows.show)))
if k < chosen_k:
    pick_k.caption(
        f"With {len(rows.show):,} rows shown, a row's neighbours are counted up to k = {k} "
        "(k must stay under half the rows for continuity and trustworthiness)."
    )
if row is not None and row not in rows.show:
    why = (
        f"the data has {len(dataset.y):,} rows, numbered from 0"
        if row >= len(dataset.y)
        else "it is a training row: turn on *Show all rows* to see it"
        if not all_rows and row not in run.test_index
        else f"it is not in the sample of {len(rows.show):,} rows shown"
    )
    pick_row.caption(f"Row {row} is not on the maps: {why}.")
    row = None
how.caption(
    f"**Click or tap a dot** (or find a row by its number below): its {k} nearest rows in the data "
    "(all features, standardized) are ringed in every panel, and each panel says how many of them "
    f"stay among the dot's {k} nearest on its map. **Drag a box** in any panel to highlight those "
    "rows in every panel (double-click clears both); **hover** over a dot to see its row, class and "
    "original features."
    + (
        f" **Colours:** each dot's share of its {k} nearest rows in the data that stay among its {k} "
        "nearest on that map: red where the map tears the row's neighbourhood apart, blue where it "
        "keeps it."
        if kept_colours
        else ""
    )
)
results = {}
groups = drawing_order(methods)  # the cheap maps first, t-SNE last
for number, group in enumerate(groups, 1):
    busy = [m for m in group if METHODS[m].cost]
    if busy:
        progress.caption(
            " ".join(f"{METHODS[m].label}: computing…" for m in busy)
            + (" (the other maps are ready)" if results else ""),
        )
    for method in group:
        results[method] = projection(dataset, run, method, all_rows, **params.get(method, {}))
    drawn = [m for m in methods if m in results and not isinstance(results[m], str)]
    later = [m for g in groups[number:] for m in g]
    waiting = not all(computed_before(dataset, run, m, all_rows, **params.get(m, {})) for m in later)
    if drawn and (waiting or number == len(groups)):  # drawn as they come, or once when all are ready
        chart(
            compare_charts.linked_maps,
            dataset,
            rows.show,
            [results[m] for m in drawn],
            [projection_neighbourhoods(dataset, run, m, all_rows, **params.get(m, {})) for m in drawn],
            k,
            kept_colours,
            row,
            name=f"maps_{dataset.name}",
            layouts="compare_maps",
            place=slots,
        )
progress.empty()
for method in methods:
    if isinstance(results[method], str):
        st.warning(
            f"**{METHODS[method].label}** cannot be drawn: {results[method]}", icon=":material/warning:"
        )
embeddings = [results[m] for m in methods if not isinstance(results[m], str)]
if not embeddings:
    tools.empty()
    st.stop()
which = "all rows" if all_rows else "the test rows (rows the network never trained on)"
st.markdown(
    f"**Each dot is one of {len(rows.show):,} rows: {which}.** Every method except t-SNE was fit "
    f"on the {len(rows.fit):,} training rows and then applied to these rows, as the network was. "
    "t-SNE cannot place a new point: it is refit on exactly the rows it shows."
)
if rows.sampled_from > len(rows.show):
    st.caption(
        f"t-SNE slows down with many rows: every panel shows the same seeded random "
        f"sample of {TSNE_ROW_LIMIT:,} of the {rows.sampled_from:,} rows."
    )
st.download_button(
    "Download every map's coordinates (CSV)",
    csv_bytes(projections_frame(dataset, rows.show, embeddings)),
    file_name=f"maps_{dataset.name}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    help="One row per dot: row id, class, and two columns per method.",
)

st.markdown(
    "**What to notice.** Select one tight cluster in the t-SNE panel and see where its rows land "
    "elsewhere. The bottleneck and LDA were trained with the labels: they pull the classes apart, "
    "even if that folds distant rows together. PCA and the autoencoder never saw a label: they "
    "keep the broad shape of the data, classes and all."
)
st.markdown(
    "\n".join(
        f"- **{METHODS[e.method].label}:** {METHODS[e.method].summary}. " + " ".join(e.notes)
        for e in embeddings
    )
)

st.subheader("Scores: which map keeps what?")
scored = [
    (e, projection_scores(dataset, run, e.method, all_rows, k=k, **params.get(e.method, {})))
    for e in embeddings
]
for embedding, score in scored:
    if isinstance(score, str):
        st.warning(f"**{METHODS[embedding.method].label}** has no scores: {score}", icon=":material/warning:")
scored = [(e, score) for e, score in scored if not isinstance(score, str)]
one_d = (
    " (LDA with two classes: from LD1 alone, without the jitter)"
    if any(e.dims == 1 for e in embeddings)
    else ""
)
st.caption(
    f"Computed on the {len(rows.show):,} rows shown, from their 2-D positions only{one_d}; "
    f"the neighbour scores with k = {k} (the *Neighbours k* above). Every score: higher is better. "
    "Hover over a heading for its meaning."
)
st.dataframe(
    compare_charts.scores_table([e for e, _ in scored], [score for _, score in scored]),
    hide_index=True,
    width="stretch",
    column_config={
        "method": "Method",
        "trustworthiness": st.column_config.NumberColumn(
            "Trustworthiness: map → data",
            format="%.3f",
            help=f"No false neighbours? Reads from the map to the data: near 1, each dot's {k} nearest "
            "dots on the map are also among its nearest rows in the data. Higher is better.",
        ),
        "continuity": st.column_config.NumberColumn(
            "Continuity: data → map",
            format="%.3f",
            help=f"Nothing torn apart? Reads from the data to the map: near 1, each row's {k} nearest "
            "rows in the data stay among its nearest dots on the map (Venna & Kaski). Higher is better.",
        ),
        "knn_accuracy": st.column_config.NumberColumn(
            "kNN accuracy",
            format="%.1f%%",
            help=f"Classes apart? {FOLDS}-fold cross-validated accuracy of {k}-nearest-neighbour "
            "voting on the map. Higher is better.",
        ),
        "linear_accuracy": st.column_config.NumberColumn(
            "Linear probe",
            format="%.1f%%",
            help="Classes apart by a straight line? Cross-validated logistic regression on the map. "
            "Higher is better.",
        ),
        "silhouette": st.column_config.NumberColumn(
            "Silhouette",
            format="%.2f",
            help="From −1 to 1: how far apart the classes sit compared with their own spread. Higher "
            "is better.",
        ),
        "uses_labels": st.column_config.CheckboxColumn("Used labels", help="Was it fit with the classes?"),
        "places_new_points": st.column_config.CheckboxColumn(
            "Places new rows", help="Can it map a new row without being refit? (t-SNE cannot.)"
        ),
        "seconds": st.column_config.NumberColumn(
            "Seconds", format="%.2f", help="Compute time; for the network, its training time."
        ),
    },
)
st.markdown(
    "**How to read it.** *Trustworthiness* and *continuity* ask whether the map keeps "
    "neighbours, each one way: trustworthiness near 1, dots close on the map were close in the "
    "data (no false neighbours); continuity near 1, rows close in the data stay close on the map "
    "(nothing torn apart). *kNN* and *linear-probe accuracy* and the "
    "*silhouette* ask whether the classes come apart on the map. No map wins both: t-SNE keeps "
    "neighbours, but the sizes of its clusters and the gaps between them mean little; a "
    "supervised bottleneck separates the classes, but need not keep neighbours. And a method "
    "that used the labels is expected to separate the classes: compare it with LDA, not PCA."
)
autoencoder = [e for e in embeddings if e.loss_curve is not None]
if autoencoder:
    with st.expander("How the autoencoder learned"):
        st.markdown(
            "Its reconstruction error, epoch by epoch: the 2 nodes learn to carry as much "
            "of the input as they can."
        )
        name = f"autoencoder_loss_{dataset.name}"
        chart(compare_charts.loss_curve, autoencoder[0], name=name, width="stretch")
