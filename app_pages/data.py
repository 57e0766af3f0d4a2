"""The data page: what the data set is, its rows, and how its classes sit in feature space."""

import streamlit as st

from lib.charts import data as charts
from lib.data_summary import separating_features
from lib.datasets import BANKNOTES_CITATION
from lib.images import IMAGE_FIELD, thumbnails
from ui.charts import chart
from ui.classroom import draw
from ui.data import PAIRPLOT, current_dataset, escape_markdown
from ui.links import share_link

TABLE_CELLS = 200_000  # cells sent to the table (a 1,000-column upload shows 199 rows)

st.title("The data")
st.page_link(  # the navigation lists every page; a newcomer starts here
    "app_pages/lesson.py",
    label="New here? Start the guided lesson at step 1",
    icon=":material/school:",
    query_params={"step": "1"},
)
dataset = current_dataset()
if dataset is None:
    st.stop()
notices = st.container()  # what a link could not use; the link is written after the controls

st.markdown(escape_markdown(dataset.description))
ABOUT = {
    "banknotes": (
        "Each banknote was photographed and its image passed through a **wavelet transform**; "
        "the four numbers are statistics of the transformed image: **variance** (how much the "
        "coefficients spread), **skewness** (how lopsided they are), **kurtosis** (how heavy "
        "their tails are) and **entropy** (how much information the image carries). "
        "Class 0 is a **genuine** note, class 1 a **forged** one."
    ),
    "wine": (
        "**class_0**, **class_1** and **class_2** are the three grape cultivars the wines come "
        "from; the 13 features are chemical measurements such as alcohol, flavanoids and proline. "
        "The lesson's exercise: can the network 13 → 8 → 5 → 2 → 3 separate the three cultivars "
        "in its 2-node layer? Choosing wine preloads that network on the training pages."
    ),
    "iris": "The three classes are species of iris; the four features are lengths and widths in cm.",
    "breast_cancer": (
        "Each row describes the cell nuclei in one image of a tumour sample: the mean, the "
        "standard error and the worst value of ten measurements such as radius and texture."
    ),
    "digits": (
        "Each row is an 8×8 grey image of a handwritten digit, flattened into 64 pixel values "
        "from 0 (white) to 16 (black): **pixel_r_c** is the pixel in row r, column c. The 10 "
        "classes are the digits 0 to 9. No pair of pixels separates ten digits: the network has "
        "to combine many."
    ),
    "upload": (
        "Each row of your file is one example. The class column is chosen in the sidebar; every "
        "other numeric column is a feature."
    ),
}
with st.expander("What the features and classes are"):
    st.markdown(ABOUT[dataset.name])
for notice in dataset.notices:
    st.info(escape_markdown(notice), icon=":material/info:")

counts = dataset.class_counts()
with st.container(horizontal=True):  # one row on a phone too, where columns would stack
    st.metric("Rows", f"{len(dataset.y):,}")
    st.metric("Features", dataset.n_features)
    st.metric("Classes", dataset.n_classes)
st.caption(
    "Class balance: "
    + " · ".join(
        f"**{escape_markdown(name)}** {n:,} ({n / len(dataset.y):.0%})" for name, n in counts.items()
    )
)

st.subheader("How the classes sit in feature space")
st.markdown(
    "The course's *pairplot*: each feature against each other one, coloured by class; on the "
    "diagonal, each feature's distribution in each class."
)
with st.expander("How to read it"):
    st.markdown(
        "Below the diagonal, each panel plots one feature against another (each pair once). Where "
        "the colours overlap in every panel, no single pair of features separates the classes: "
        "that is what the network's hidden layer will have to learn."
    )
default = separating_features(dataset, 4)
if dataset.n_features > 4:
    st.caption(
        f"This data set has {dataset.n_features} features; preselected are the 4 whose class "
        f"averages differ most (for their spread). Choose up to {PAIRPLOT.kind.most}."
    )
if not set(st.session_state.get(PAIRPLOT.key) or ()) <= set(dataset.feature_names):
    st.session_state.pop(PAIRPLOT.key)  # another data set's features, or a link's unknown ones
features = draw(PAIRPLOT, options=dataset.feature_names, default=default, max_selections=PAIRPLOT.kind.most)
share_link(notices)
if len(features) < 1:
    st.info("Choose at least one feature to plot.")
else:
    if len(dataset.y) > charts.PLOT_LIMIT:
        st.caption(
            f"Showing a random sample of {charts.PLOT_LIMIT:,} of the {len(dataset.y):,} rows "
            "(the same sample every time)."
        )
    chart(charts.pairplot_layouts, dataset, features, name=f"pairplot_{dataset.name}", layouts="pairplot")

st.subheader("The table")
frame = charts.dataset_frame(dataset)
rows = TABLE_CELLS // frame.shape[1]
if len(frame) > rows:
    st.caption(f"The first {rows:,} of {len(frame):,} rows.")
shown, pictures, row_height = frame.head(rows), {}, None
if (images := thumbnails(dataset)) is not None:  # digits: each row beside its picture
    shown = shown.copy()
    shown.insert(0, IMAGE_FIELD, images[: len(shown)])
    pictures = {IMAGE_FIELD: st.column_config.ImageColumn("image", help="The row as the picture it is.")}
    row_height = 44  # the pictures big enough to read
    st.caption("Each row is a picture: the first column shows it, the other columns are its pixels.")
st.dataframe(shown, width="stretch", height=320, column_config=pictures, row_height=row_height)
if dataset.name == "banknotes":  # the licence asks for the attribution (data/README.md), under the data
    st.caption(f"Source: {BANKNOTES_CITATION}")
