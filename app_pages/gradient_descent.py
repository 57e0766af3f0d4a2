"""The gradient-descent page: compare training choices, watch weights descend a loss
surface, and see how much gradient backpropagation delivers to each layer."""

from dataclasses import replace

import streamlit as st

from lib.charts import gradient_descent as charts
from lib.experiments import (
    VARIABLES,
    Experiment,
    coincidence_note,
    deep_nets,
    logistic_base,
    optimizer_and_momentum,
    vanishing_reading,
)
from lib.surface import Descent, Plane
from lib.training import network_name
from ui import gradient_descent as settings
from ui.charts import chart
from ui.classroom import draw
from ui.data import current_dataset, escape_markdown
from ui.gradient_descent import compared, descents, values_picker
from ui.links import share_link
from ui.runs import trained
from ui.train_controls import current_config

NOTICE = {
    "learning_rate": "A small learning rate creeps down the loss; a larger one gets there in fewer "
    "epochs, until it is so large that the loss jumps about instead of falling.",
    "batch_size": "A smaller batch means more, noisier steps per epoch: with the same learning rate "
    "it learns more per epoch; a large batch takes few, smooth steps. The learning rate is held at "
    "0.5 here, not 0.01: at 0.01 no batch size reaches 95% in 20 epochs and the curves show "
    "nothing but slowness; at 0.5 all get there, batch 16 (42 steps an epoch) first and batch 128 "
    "(6 steps an epoch) last.",
    "optimizer": "Plain SGD at 0.01 is slow; momentum builds up speed along a consistent slope; Adam, "
    "RMSprop and Adagrad scale each weight's step by its own gradient history.",
    "initializer": "With one node, even all-zero weights can learn; the starting weights mainly set "
    "where the curves begin. In a deeper net, zeros keep every node identical.",
}

st.title("Gradient descent")
st.markdown(
    "A network learns by **gradient descent**: it moves every weight a small step downhill on the "
    "loss. This page makes each choice in that descent visible."
)
dataset = current_dataset()
if dataset is None:
    st.stop()
notices = st.container()  # what a link could not use; the link is written after every control
current = current_config()

st.header("1 · Compare runs", divider="gray")
st.markdown(
    "Train the same model several times, changing **one** choice and keeping everything else "
    "fixed, as the course does."
)
with st.expander("What is compared, on which model"):
    st.markdown(
        "The network computes how the loss changes with each weight (the *gradient*, found by "
        "*backpropagation*) and moves every weight a small step against it. How big the steps are, "
        "how many rows each step sees and how the steps are combined decide how fast, and whether, "
        "the loss goes down.\n\n"
        "The **logistic regression** is a single sigmoid node on the standardized features (SGD, "
        "learning rate 0.01, batch 16; learning rate 0.5 when the batch sizes are compared); the "
        "**current network** is the one set on the inner-layer page."
    )
vary = draw(settings.VARY)
left, middle, right = st.columns([3, 3, 2])
model = draw(settings.MODEL, left)
epochs = draw(settings.EPOCHS, middle)
seed_of_runs = draw(settings.SEED, right)
values = values_picker(settings.COMPARED[vary])
base = logistic_base(vary) if model == "logistic" else current
experiment = Experiment(vary, model, replace(base, epochs=int(epochs), seed=int(seed_of_runs)))
held = experiment.base
if not values:
    st.info("Choose or type at least one value to compare.", icon=":material/info:")
else:
    comparison = compared(dataset, experiment, values)
    if comparison is not None:
        table, same, read = comparison
        title = VARIABLES[vary].capitalize()
        name = f"compare_{vary}_{dataset.name}"
        chart(charts.comparison_layouts, table, title, list(same), name=name, layouts="comparison")
        st.info(read, icon=":material/insights:")
        st.caption(
            f"Held fixed: optimizer **{held.optimizer}**, learning rate **{held.learning_rate:g}**, batch "
            f"**{held.batch_size}**, initializer **{held.initializer}**"
            + (
                f", network {network_name(held.layer_sizes(dataset.n_features, dataset.n_classes))}"
                f" with **{held.activation}**"
                if model == "mlp"
                else ""
            )
            + f"; {held.epochs} epochs, seed {held.seed}. Whatever is being varied replaces its fixed value."
        )
        st.caption(
            "Solid lines: the training rows the model learns from; dashed lines: the held-out "
            "validation rows, which show whether it generalizes. " + NOTICE[vary]
        )
        if same:
            st.caption(coincidence_note(same, VARIABLES[vary], charts.COINCIDE))

st.header("2 · Gradient descent on a loss surface", divider="gray")
st.markdown(
    "A model with only **two weights** lets us draw its whole loss landscape: one sigmoid node on "
    "two standardized features, *p = sigmoid(w1·x1 + w2·x2)*, with the bias fixed at 0. Each point "
    "of the map is a choice of (w1, w2), coloured by the training loss there (darker is lower). "
    "Every path starts at the black ring and takes one gradient step at a time towards the red "
    "diamond, the lowest point."
)
features = list(dataset.feature_names)
pair = ("skewness", "kurtosis") if {"skewness", "kurtosis"} <= set(features) else tuple(features[:2])
for setting in (settings.FEATURE1, settings.FEATURE2):
    if st.session_state.get(setting.key) not in features:  # a link's unknown feature, or another data set's
        st.session_state.pop(setting.key, None)
cols = st.columns(4)
first = draw(settings.FEATURE1, cols[0], options=features, default=pair[0])
second = draw(settings.FEATURE2, cols[1], options=features, default=pair[1])
start = (draw(settings.START_W1, cols[2]), draw(settings.START_W2, cols[3]))
cols = st.columns(4)
mode = draw(settings.PATHS, cols[0])
steps = draw(settings.STEPS, cols[1])
batch = draw(settings.ROWS_PER_STEP, cols[2])
if mode == "learning rates":
    rates = values_picker(settings.RATES)
    paths = tuple(Descent("sgd", float(r), 0.0, steps, batch, start) for r in rates)
else:
    rate = draw(settings.SURFACE_LR, cols[3], format="%g")
    paths = tuple(
        Descent(name, rate, momentum or 0.0, steps, batch, start)
        for name, momentum in map(optimizer_and_momentum, values_picker(settings.PATH_OPTIMIZERS))
    )
if first == second:
    st.warning("Choose two different features for the two weights.", icon=":material/warning:")
elif not paths:
    st.info("Choose or type at least one value to draw a path.", icon=":material/info:")
elif (drawn := descents(dataset, Plane((first, second)), paths)) is not None:
    grid, steps_taken, best = drawn
    left, right = st.columns([3, 2])
    chart(
        charts.surface_layouts,
        grid,
        steps_taken,
        best,
        (first, second),
        name="loss_surface",
        layouts="surface",
        place=left,
    )
    chart(charts.loss_by_step_layouts, steps_taken, name="loss_by_step", layouts="loss_by_step", place=right)
    right.markdown(
        "**What to notice.** The gradient points straight downhill, across the bands. A small "
        "learning rate takes short, safe steps and is still far away after many of them; a larger "
        "one arrives sooner; a **too-large** one overshoots the valley floor and zig-zags from side "
        "to side (its loss curve jumps). **Momentum** keeps part of the previous step, so it gains "
        "speed, curves past the valley floor and swings back. Adam and RMSprop take steps of about "
        "the learning rate in each weight, whatever the slope."
    )
    if batch:
        right.caption(
            "Each step sees 16 rows only, so its direction is a noisy estimate of the "
            "downhill direction: the path wobbles."
        )
    if dataset.n_classes > 2:
        right.caption(f"The node tells class {escape_markdown(dataset.class_names[1])} from all the others.")

st.header("3 · Backpropagation: how much gradient reaches each layer", divider="gray")
st.markdown(
    "Backpropagation computes the gradient layer by layer, from the output back to the input. Below, "
    "for each layer and each epoch: the size of the gradient that reached its weights, and the size "
    "of the step the optimizer took with them (both averaged over the epoch's steps, log scale)."
)
run = trained(dataset, current)
if run is not None:
    sizes = network_name(run.layer_sizes)
    st.caption(
        f"The current network: {sizes}, {current.activation}, {current.optimizer} at "
        f"{current.learning_rate:g}, {current.epochs} epochs (change it on the inner-layer page)."
    )
    chart(
        charts.layer_norms_layouts,
        {"current": run},
        "what",
        "Size (log scale)",
        name="gradient_and_update_by_layer",
        layouts="layer_norms",
    )
    st.caption(
        "The gradient is what backpropagation delivers to a layer; the update is what the "
        "optimizer does with it (learning rate × gradient for SGD; RMSprop, Adam and Adagrad "
        "rescale it, so small gradients can still give sizeable steps)."
    )
st.subheader("Vanishing gradients: a deep sigmoid net next to the same net with ReLU")
st.markdown(
    "Two nets identical but for their hidden activation, trained from the same starting weights. "
    "Each line is one epoch, from light (first) to dark (last); the input side is on the left."
)
left, right = st.columns(2)
depth = draw(settings.DEPTH, left)
adaptive = draw(
    settings.ADAPTIVE,
    right,
    title=f"Train with {current.optimizer} at {current.learning_rate:g} (the current network's optimizer)",
)
plain = current if adaptive else replace(current, optimizer="sgd", learning_rate=0.1)
right.caption(
    f"Both nets train with {plain.optimizer} at learning rate {plain.learning_rate:g}, "
    f"{plain.epochs} epochs, seed {plain.seed}."
)
nets = {name: trained(dataset, config) for name, config in deep_nets(plain, depth).items()}
if all(nets.values()):
    chart(charts.gradient_by_layer_layouts, nets, name="vanishing_gradients", layouts="gradient_by_layer")
    st.info(vanishing_reading(nets), icon=":material/insights:")
    st.markdown(
        "**Why.** On its way back, the gradient is multiplied at every layer by the slope of that "
        "layer's activation; a sigmoid's slope is at most 0.25, so each sigmoid layer shrinks it at "
        "least fourfold and the first layers, far from the output, barely learn. ReLU's slope is "
        "exactly 1 wherever a node is active, so the gradient reaches the first layers at full size. "
        "(Adaptive optimizers such as RMSprop and Adam rescale each weight's step by its own "
        "gradient history, which is one way round the problem: try the switch above.)"
    )
share_link(notices)
