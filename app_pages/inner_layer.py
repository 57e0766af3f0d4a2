"""The lesson's page: train a network with a 2-node bottleneck and watch its representation form."""

import streamlit as st

from lib.charts import inner_layer as rc
from lib.charts import plane, player
from lib.charts.inside import epoch_player
from lib.codegen import keras_script
from lib.diagnostics import diagnose
from lib.training import network_name
from ui.advice import explained
from ui.charts import chart
from ui.data import current_dataset, escape_markdown
from ui.exports import run_downloads, run_stem
from ui.inside import BENDING_GRID, NODE_PICTURES, bending_text, node_text, view_on_request
from ui.keras_check import keras_check
from ui.links import classroom_link_maker, share_link
from ui.runs import trained
from ui.train_controls import current_config

st.title("The free lab: inner layers")
dataset = current_dataset()
if dataset is None:
    st.stop()
config = current_config()
share_link()
run = trained(dataset, config)
if run is None:
    st.stop()
stem = run_stem(run, dataset)

sizes = network_name(run.layer_sizes)
st.caption(
    f"Network {sizes} · {config.activation} · {config.epochs} epochs · final test accuracy "
    f"**{run.test_accuracy:.1%}** on {len(run.y_test)} test rows · trained in {run.seconds:.1f} s"
)
problems = diagnose(run)
diverged = any(p.kind == "diverged" for p in problems)
extent = plane.plane_extent(run.snapshots)

st.header("1 · The learned representation", divider="gray")
binary = dataset.n_classes == 2
if (shown := len(player.frame_rows(len(run.y_test), len(run.snapshots)))) < len(run.y_test):
    st.caption(
        f"So that the page stays quick, the plane shows the same random {shown:,} of the "
        f"{len(run.y_test):,} test rows at every epoch; the accuracies count them all."
    )
if diverged:
    st.error(explained(problems[0]), icon=":material/error:")
else:
    for problem in problems:  # about the last epoch, which the player opens at
        (st.error if problem.blocking else st.warning)(explained(problem), icon=":material/warning:")
    if not any(p.blocking for p in problems):
        chart(epoch_player, run, dataset, name=f"{stem}_plane", layouts="player")
    if binary:
        shading = (
            f"The background is the probability the output layer gives to "
            f"*{escape_markdown(dataset.class_names[1])}* "
            "at each spot; the **dashed line** is its decision boundary, where w₁·h₁ + w₂·h₂ + b = 0 "
            "(h₁, h₂: the two activations; w₁, w₂, b: the output node's weights and bias)."
        )
    else:
        shading = (
            "The background is the class the output layer (one softmax node per class) predicts at "
            "each spot; its borders are straight lines too."
        )
    st.markdown(
        "Each dot is a **test row** (never used for training), placed at the two numbers the "
        "bottleneck outputs for it and coloured by its **true class**; a cross marks a row the network "
        "gets wrong. "
        "The axes are the bottleneck nodes' **activations**, features the network invented, not any of "
        f"the original measurements. {shading} Hover a dot for its original values. In the "
        "**confusion matrix** the diagonal (green) counts right answers, the other cells (red) the "
        "mistakes."
    )
    st.markdown(
        "**Why a straight line?** The output layer only adds up its two inputs with weights and "
        "a bias, so it can only cut the plane with a straight line. The layers before it must "
        "move the classes to different sides of a line: make them **linearly separable** here."
    )

st.markdown(
    "A neural network rewrites its inputs layer by layer. Here one hidden layer has only **two "
    "nodes**, the **bottleneck**: everything the network knows about a row must squeeze through "
    "those two numbers, so each row becomes a point in a plane that we can draw. Drag the "
    "**Epoch** slider above the plane, or tick **Play** to watch training as a film; tick **Show "
    "where each row came from** to draw each row's path from epoch 0 to the epoch shown (at most "
    "200 rows, the same ones each time), so the film shows how the rows move, not only where they "
    "end up. Change the network or its training in the sidebar and it retrains by itself."
)

if not diverged:  # each view has its own epoch slider and Play, so the player's stay by its plane
    st.header("2 · Inside every node", divider="gray")
    node_text(run, dataset)
    view_on_request(NODE_PICTURES, run, dataset, "nodes", f"{stem}_nodes")
    st.header("3 · The input space bending", divider="gray")
    bending_text()
    view_on_request(BENDING_GRID, run, dataset, "bending", f"{stem}_bending")

st.header("4 · How the representation forms", divider="gray")
if diverged:
    st.info("Nothing to draw: the activations became NaN (see above).", icon=":material/info:")
else:
    epochs = rc.chosen_epochs(config.epochs)
    step = epochs[1] - epochs[0] if len(epochs) > 1 else 1
    if step == 1:
        which = f"epochs {epochs[0]}–{epochs[-1]}" if len(epochs) > 1 else f"epoch {epochs[0]}"
    else:
        which = f"epochs {epochs[0]}, {epochs[1]}, … {epochs[-1]} (one panel every {step} epochs)"
    st.markdown(
        f"The same plane after {which}, all on the **same axes**, so you see the points "
        "move: training pulls the classes apart until a straight line can separate them (like the "
        "lesson's 5 × 5 grid). Epoch 0, the random starting weights, is on the player's slider above."
    )
    chart(rc.evolution_layouts, run, epochs, extent, name=f"{stem}_evolution", layouts="evolution")
    st.markdown(
        "**Another seed, another picture, still right.** Press **Re-initialize** in the sidebar: new "
        "random starting weights lead to a rotated, flipped, stretched or mirrored plane. The output "
        "layer does not care *where* the classes sit, only that a line separates them, so compare "
        "accuracies, not shapes."
    )
    st.markdown(  # what they did to the banknotes' 4 → 3 → 2 → 1, seeds 1-10, 25 epochs
        "**Dropout before the bottleneck** (sidebar, in training only) zeroes a random share of the "
        "bottleneck's inputs at every step, so neither node can lean on a single hidden node: on the "
        "banknotes, at 0.3, the plane kept its two arms, its size and its test accuracy (about 99 %), and "
        "only the training loss, taken with nodes dropped, rose. **Gaussian input noise** (in training "
        "only) jiggles every training row, so rows close together must land close together: on the "
        "banknotes, at σ = 0.5, the plane shrank to about 60 % of its size, more rows strayed off the arms "
        "towards the border between the classes, and the test accuracy fell about 2 points, to 97–98 %."
    )

st.header("5 · Learning curves", divider="gray")
st.markdown(
    "**Loss** is what training makes smaller; **accuracy** is the share of rows classified right. "
    "*Training* rows make the weight updates; *validation* rows (the last "
    f"{config.validation_split:.0%} of the training rows, Keras' `validation_split`) are held out to "
    "watch for overfitting; *test* rows are the ones plotted above. If the training loss keeps "
    "falling while the validation loss rises, the network is memorising its training rows: overfitting."
)
chart(rc.curves_layouts, run.history, name=f"{stem}_curves", layouts="curves")

st.header("6 · The model", divider="gray")
st.markdown(
    "Each circle is a node, each line a weight. Information flows left to right and must pass the two "
    "yellow bottleneck nodes. Line colour and thickness show the trained weights: blue positive, red "
    "negative, thicker means larger; hover a line for its value."
)
chart(rc.architecture_layouts, run, dataset.feature_names, name=f"{stem}_model", layouts="model")
st.dataframe(rc.layer_table(config, dataset.n_features, dataset.n_classes), hide_index=True, width="stretch")
left, right = st.columns([1, 3], vertical_alignment="center")
left.metric("Trainable parameters", f"{run.n_params:,}")
right.markdown(
    "A dense layer gives each node one weight per input plus a bias, so n inputs into m nodes make "
    "(n + 1) × m parameters. The lesson's first model 4 → 2 → 1 has (4 + 1) × 2 + (2 + 1) × 1 = 13."
)

st.header("7 · The code", divider="gray")
st.markdown(
    "The same network in plain Keras, ready to paste into a notebook. The **feature model** at the "
    "end runs the input through to the bottleneck only: its two outputs per row are the points "
    "plotted above. (Keras picks its own random start, so expect a similar picture, not the same.) "
    "The course's notebook builds it with the Keras backend, `K.function([model.input], "
    "[layer.output])`; in today's Keras that is `keras.Model(model.inputs, layer.output)`."
)
try:
    st.code(keras_script(config, dataset), language="python", line_numbers=True)
except ValueError:  # an uploaded file: the script can only load the bundled data sets
    st.info(
        "The code is written for the bundled data sets. For your own file, choose one of them "
        "in the sidebar to see the script, then replace its data loading with "
        "`pandas.read_csv`.",
        icon=":material/info:",
    )
st.markdown(
    "**Take it with you:** the numbers behind the charts, the trained network and this script. "
    "(To save a chart, use the **Save chart** menu under it.)"
)
run_downloads(run, dataset)
keras_check(run, dataset)
classroom_link_maker()
