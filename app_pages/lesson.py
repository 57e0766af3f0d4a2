"""The lesson, step by step: the course's path from the data to the comparison, one step at a time,
each with a predict-then-reveal question; `?step=3` opens a step."""

from dataclasses import replace

import streamlit as st

from lib import lesson
from lib.charts import compare as compare_charts
from lib.charts import inner_layer as rc
from lib.charts import plane
from lib.charts.data import pairplot
from lib.charts.gallery import accuracy_summary, align_runs, gallery_parts
from lib.datasets import DatasetError
from lib.projections import comparison_rows
from lib.training import DEEPER_LESSON, LESSON, WINE_EXERCISE, network_name
from ui.charts import cached_chart, chart_spec, draw_reflowed, responsive_chart
from ui.classroom import draw
from ui.compare import projection, projection_scores
from ui.data import current_dataset, load_builtin
from ui.exports import run_stem
from ui.inside import bending_text, followers, node_text
from ui.lesson import PLANE_SIZE, STEP, answers, ask, logistic_accuracy, separability
from ui.links import share_link
from ui.player import epoch_player
from ui.runs import trained
from ui.train_controls import current_config

st.title("The lesson, step by step")
st.markdown(
    "The course's path through *visualizing the activations of the inner layers*: in each step, "
    "**predict**, then the live view **reveals** the answer."
)


def go(by: int) -> None:
    """One step on or back from the step shown (a click on a button drawn for an earlier step too)."""
    numbers = lesson.STEP_NUMBERS
    at = numbers.index(st.session_state[STEP.key]) + by
    st.session_state[STEP.key] = numbers[min(max(at, 0), len(numbers) - 1)]


number = draw(  # a menu, not a row of options: a phone shows the step's view sooner
    STEP, options=lesson.STEP_NUMBERS, format_func=lambda n: f"{n} · {lesson.step(n).title}"
)
step = lesson.step(number)
if not step.sets_network:  # a step that opens the network's controls writes the link after them
    share_link()
st.progress(number / len(lesson.STEPS), text=lesson.progress_line(number, answers()))


def banknotes():
    try:
        return load_builtin("banknotes")
    except DatasetError as err:
        st.error(str(err), icon=":material/error:")
        st.stop()


def plane_chart(run, dataset, epoch: int, place=st) -> None:
    key = (dataset.fingerprint, run.config)
    cached_chart(
        ("plane", key, epoch),
        lambda: rc.representation_parts(run, dataset, epoch, plane.plane_extent(run.snapshots), PLANE_SIZE),
        f"{run_stem(run, dataset)}_plane_epoch{epoch}",
        place,
        width="content",
    )


def player_with(run, dataset, views=()) -> None:
    """The epoch player of `run` (slider and Play in the browser) with `views` below the plane
    (of ui.inside.VIEWS), each following its epoch, then how to read them."""
    key = (dataset.fingerprint, run.config)
    extent = plane.plane_extent(run.snapshots)
    epoch_player(
        key,
        run,
        dataset,
        extent,
        f"{run_stem(run, dataset)}_player",
        more=views,
        views=lambda: followers(run, dataset, views),
    )
    if "nodes" in views:
        node_text(run, dataset)
    if "bending" in views:
        bending_text()


def data_view(held_back: bool) -> None:
    """How far logistic regression gets on the four features, and every pair of them."""
    data = banknotes()
    if not held_back:
        accuracy = logistic_accuracy(data.fingerprint, DEEPER_LESSON, data)
        st.metric("Logistic regression on the four features: test accuracy", f"{accuracy:.1%}")
        st.caption(
            f"Fit on the {DEEPER_LESSON.test_size:.0%}-held-out split of the lesson (960 training rows, "
            "standardized), scored on its 412 test rows."
        )
        st.markdown(
            "Every pair of features, coloured by class: no single pair separates the classes "
            "cleanly, yet one flat cut through all four nearly does."
        )
        features = list(data.feature_names)
        responsive_chart(
            "pairplot",
            (data.fingerprint, tuple(features)),
            lambda layout: pairplot(data, features, layout),
            "lesson_step1_pairplot",
        )


def first_model_view(held_back: bool) -> None:
    """The first network, its feature model, and its plane before and after training."""
    data = banknotes()
    run = trained(data, LESSON)
    if run is None:
        st.stop()
    st.markdown(
        f"The network {network_name(run.layer_sizes)}: **{run.n_params} parameters**, "
        "(4 inputs + 1 bias) × 2 nodes + (2 inputs + 1 bias) × 1 node = 10 + 3 = 13."
    )
    cached_chart(("model", (data.fingerprint, LESSON)), lambda: rc.architecture_chart(run), "lesson_model")
    st.code(
        "feature_model = keras.Model(model.inputs, model.get_layer('bottleneck').output)\n"
        "points = feature_model.predict(X_test)  # 412 rows × 2 numbers",
        language="python",
    )
    if not held_back:
        before, after = st.columns(2, gap="large")
        before.markdown("**Before training** (epoch 0)")
        plane_chart(run, data, 0, before)
        after.markdown(f"**After {LESSON.epochs} epochs**")
        plane_chart(run, data, LESSON.epochs, after)


def epochs_view(held_back: bool) -> None:
    """The epoch a line first separates the classes, the player and the 5 × 5 grid."""
    data = banknotes()
    run = trained(data, DEEPER_LESSON)
    if run is None:
        st.stop()
    if not held_back:
        table = separability(data.fingerprint, DEEPER_LESSON, run)
        at = lesson.separated_at(table)
        how = (
            f"a straight line counts as separating the classes when a line fit to that epoch's plane "
            f"(a linear probe: logistic regression on the {len(run.y_test)} test rows' points) "
            f"puts at least {lesson.SEPARATED:.0%} of them on their class's side"
        )
        if at is None:
            st.warning(f"This run never got there ({how}).", icon=":material/info:")
        else:
            st.info(
                f"**This run: epoch {at}.** Here {how}; at epoch {at} that line got "
                f"{table['probe'][at]:.1%} right, and the output layer's own line "
                f"{table['output'][at]:.1%} (it catches up as training goes on).",
                icon=":material/flag:",
            )
        st.subheader("The plane and the input space, epoch by epoch")
        player_with(run, data, ("bending",))
        st.subheader("The lesson's 5 × 5 grid")
        epochs = rc.chosen_epochs(DEEPER_LESSON.epochs)
        extent = plane.plane_extent(run.snapshots)
        responsive_chart(
            "evolution",
            (data.fingerprint, DEEPER_LESSON),
            rc.evolution_layouts(run, epochs, extent),
            "lesson_evolution",
        )


def seeds_view(held_back: bool) -> None:
    """Three re-initializations, turned onto the first."""
    data = banknotes()
    if not held_back:
        seeds = range(DEEPER_LESSON.seed, DEEPER_LESSON.seed + lesson.SEEDS_COMPARED)
        runs = [trained(data, replace(DEEPER_LESSON, seed=seed)) for seed in seeds]
        if any(run is None for run in runs):
            st.stop()
        panels = align_runs(runs)
        mean, spread, low, high = accuracy_summary(panels)
        st.metric("Test accuracy over the three seeds", f"{mean:.1%} ± {spread:.1%}")
        st.markdown(
            "Each map is turned, flipped and scaled onto the first (a Procrustes fit, as on the "
            "*Re-initializations* page): what is left is the real difference."
        )
        maps = chart_spec(
            ("lesson_seeds", data.fingerprint, DEEPER_LESSON),
            lambda: gallery_parts(panels, runs[0].y_test, data.class_names),
        )
        draw_reflowed("gallery_maps", maps, "lesson_seeds")


def your_turn_view(held_back: bool) -> None:
    """The network the student sets in the sidebar, in the player."""
    data = current_dataset()
    if data is None:
        st.stop()
    config = current_config()  # its controls are in the sidebar (streamlit_app.py)
    share_link()
    run = trained(data, config)
    if run is None:
        st.stop()
    st.caption(
        f"Network {network_name(run.layer_sizes)} · {config.activation} · learning rate "
        f"{config.learning_rate:g} · test accuracy **{run.test_accuracy:.1%}** · on the "
        "*Inner layers* page the same settings show everything else."
    )
    player_with(run, data, ("bending", "nodes"))


def wine_view(held_back: bool) -> None:
    """The wine exercise's network in the player."""
    wine = load_builtin("wine")
    run = trained(wine, WINE_EXERCISE)
    if run is None:
        st.stop()
    if not held_back:
        st.metric("Trainable parameters", f"{run.n_params:,}")
        st.markdown(
            f"After {WINE_EXERCISE.epochs} epochs: test accuracy **{run.test_accuracy:.1%}** on "
            f"{len(run.y_test)} test wines. Scrub the epochs: the three varieties move to three "
            "corners of the plane, and each hidden node's picture shows which wines make it fire."
        )
        player_with(run, wine, ("nodes",))


def comparison_view(held_back: bool) -> None:
    """The bottleneck, PCA and t-SNE maps of the test rows, and their scores."""
    data = banknotes()
    run = trained(data, DEEPER_LESSON)
    if run is None:
        st.stop()
    if not held_back:
        maps = []
        with st.spinner("Computing the maps (t-SNE takes a few seconds)…"):
            for method in ("bottleneck", "pca", "tsne"):
                embedding = projection(data, run, method, all_rows=False)
                score = (
                    embedding if isinstance(embedding, str) else projection_scores(data, run, method, False)
                )
                if isinstance(score, str):
                    st.warning(score, icon=":material/warning:")
                else:
                    maps.append((embedding, score))
        if maps:
            embeddings, scores = [m[0] for m in maps], [m[1] for m in maps]
            rows = comparison_rows(len(data.y), run.test_index)
            linked = chart_spec(  # keyed by the maps drawn: one that failed is left out
                ("lesson_maps", data.fingerprint, DEEPER_LESSON, tuple(e.method for e in embeddings)),
                lambda: compare_charts.linked_maps(data, rows.show, embeddings),
            )
            draw_reflowed("compare_maps", linked, "lesson_maps")
            table = compare_charts.scores_table(embeddings, scores)
            st.dataframe(
                table[["method", "trustworthiness", "knn_accuracy", "linear_accuracy"]],
                hide_index=True,
                column_config={
                    "method": "Reduction",
                    "trustworthiness": st.column_config.NumberColumn("Keeps neighbours", format="%.3f"),
                    "knn_accuracy": st.column_config.NumberColumn("Classes apart (kNN)", format="%.1f%%"),
                    "linear_accuracy": st.column_config.NumberColumn(
                        "Classes apart (a line)", format="%.1f%%"
                    ),
                },
            )
            st.markdown(
                "*Keeps neighbours* is the trustworthiness: near 1, the dots closest on the map were "
                "close in the four features. *Classes apart* is the cross-validated accuracy of "
                "nearest-neighbour voting and of a straight line on the map. More on the *Compare "
                "reductions* page."
            )


VIEWS = {  # a step's view name (lib.lesson.Step.view) → what draws it
    "data": data_view,
    "first_model": first_model_view,
    "epochs": epochs_view,
    "seeds": seeds_view,
    "your_turn": your_turn_view,
    "wine": wine_view,
    "comparison": comparison_view,
}

st.header(f"Step {step.number} · {step.title}", divider="gray")
st.markdown(step.text)
chosen = ask(step.number, step.question) if step.question else None
held_back = step.question is not None and chosen is None

VIEWS[step.view](held_back)

left, right = st.columns(2)
if number > lesson.STEP_NUMBERS[0]:
    left.button("Previous step", icon=":material/arrow_back:", on_click=go, args=(-1,))
if number < lesson.STEP_NUMBERS[-1]:
    right.button("Next step", icon=":material/arrow_forward:", on_click=go, args=(1,), type="primary")
