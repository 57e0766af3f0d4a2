"""The data page: what the data set is, its rows, and how its classes sit in feature space."""
import streamlit as st

from lib import charts
from lib.data_summary import separating_features
from ui.data import current_dataset, plain

PLOT_LIMIT = 2000  # points per pairplot panel
TABLE_LIMIT = 1000  # rows sent to the table

st.title("The data")
dataset = current_dataset()
if dataset is None:
    st.stop()

st.markdown(plain(dataset.description))
if dataset.name == "banknotes":
    st.markdown(
        "Each banknote was photographed and its image passed through a **wavelet transform**; "
        "the four numbers are statistics of the transformed image: **variance** (how much the "
        "coefficients spread), **skewness** (how lopsided they are), **kurtosis** (how heavy "
        "their tails are) and **entropy** (how much information the image carries). "
        "Class 0 is a **genuine** note, class 1 a **forged** one."
    )
for notice in dataset.notices:
    st.info(plain(notice), icon=":material/info:")

counts = dataset.class_counts()
cols = st.columns(3)
cols[0].metric("Rows", f"{len(dataset.y):,}")
cols[1].metric("Features", dataset.n_features)
cols[2].metric("Classes", dataset.n_classes)
st.caption("Class balance: " + " · ".join(
    f"**{plain(name)}** {n:,} ({n / len(dataset.y):.0%})" for name, n in counts.items()))

st.subheader("How the classes sit in feature space")
st.markdown(
    "Each panel plots one feature against another, coloured by class (the course's *pairplot*). "
    "Where the colours overlap in every panel, no single pair of features separates the "
    "classes: that is what the network's hidden layer will have to learn."
)
default = separating_features(dataset, 4)
if dataset.n_features > 4:
    st.caption(f"This data set has {dataset.n_features} features; preselected are the 4 whose class "
               "averages differ most (for their spread). Choose up to 6.")
features = st.multiselect("Features to plot", dataset.feature_names, default=default,
                          max_selections=6, key=f"pairplot_features_{dataset.fingerprint}")
if len(features) < 1:
    st.info("Choose at least one feature to plot.")
else:
    if len(dataset.y) > PLOT_LIMIT:
        st.caption(f"Showing a random sample of {PLOT_LIMIT:,} of the {len(dataset.y):,} rows "
                   "(the same sample every time).")
    st.altair_chart(charts.scatter_matrix(dataset, features, limit=PLOT_LIMIT), width="content")

st.subheader("The table")
frame = charts.dataset_frame(dataset)
if len(frame) > TABLE_LIMIT:
    st.caption(f"The first {TABLE_LIMIT:,} of {len(frame):,} rows.")
st.dataframe(frame.head(TABLE_LIMIT), width="stretch", height=320)
