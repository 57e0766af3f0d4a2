"""Bottleneck Lab: page config, settings from a shared link, the shared data set and network
controls, the navigation."""

import streamlit as st

from ui.data import chosen_dataset, dataset_picker
from ui.layout import responsive_layout
from ui.lesson import sets_network
from ui.links import apply_link, resend_settings
from ui.startup import keep_keras_state, load_in_background
from ui.train_controls import network
from ui.turns import page_run

keep_keras_state()  # before the first run ends
st.set_page_config(page_title="Bottleneck Lab", page_icon=":material/hub:", layout="wide")

LESSON = st.Page("app_pages/lesson.py", title="The guided lesson", icon=":material/school:")
NETWORK_PAGES = [  # the pages that show the network: its controls in the sidebar
    st.Page("app_pages/inner_layer.py", title="The free lab: inner layers", icon=":material/hub:"),
    st.Page("app_pages/gallery.py", title="Re-initializations", icon=":material/grid_view:"),
    st.Page("app_pages/compare.py", title="Compare reductions", icon=":material/compare:"),
]
PAGES = [
    st.Page("app_pages/data.py", title="The data", icon=":material/table_chart:", default=True),
    LESSON,
    *NETWORK_PAGES,
    st.Page("app_pages/gradient_descent.py", title="Gradient descent", icon=":material/trending_down:"),
]

navigation = st.navigation(PAGES)
# After the navigation, which tells the browser the page: the probe's rerun, asked for as soon as the
# browser draws it (on a busy server before this run's navigation arrived), went to the data page.
responsive_layout(on_told=resend_settings)
st.sidebar.markdown("**Bottleneck Lab** · see what a neural network's hidden layer learns")
apply_link()
dataset_picker()
if (dataset := chosen_dataset()) is not None:  # else the page says why, and shows no network
    page = navigation.url_path
    network(
        dataset,
        show=page in {p.url_path for p in NETWORK_PAGES} or (page == LESSON.url_path and sets_network()),
    )
try:
    with page_run():  # a run not computed before waits for its turn (ui.turns)
        navigation.run()
finally:  # after the first page is drawn (or stopped): the data page needs none of the heavy libraries
    load_in_background()
