"""The guided lesson: the course's path from the data to the comparison, one step at a time, each
with a predict-then-reveal question, and a closing recap; `?step=3` opens a step."""

from dataclasses import replace

import streamlit as st

from lib import lesson
from lib.charts import compare as compare_charts
from lib.charts import inner_layer as rc
from lib.charts import plane
from lib.charts.data import pairplot_layouts
from lib.charts.gallery import accuracy_summary, align_runs, gallery_parts
from lib.charts.inside import epoch_player
from lib.charts.player import plane_spec
from lib.datasets import DatasetError
from lib.neighbours import NEIGHBOURS
from lib.projections import comparison_rows
from lib.training import DEEPER_LESSON, LESSON, WINE_EXERCISE, network_name
from ui.charts import chart
from ui.classroom import draw
from ui.compare import projection, projection_neighbourhoods, projection_scores
from ui.data import current_dataset, load_builtin
from ui.exports import run_stem
from ui.inside import bending_text, node_text
from ui.lesson import PLANE_SIZE, STEP, answers, ask, logistic_accuracy, separability
from ui.links import share_link
from ui.runs import trained
from ui.train_controls import current_config

st.title("The guided lesson")
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
    extent = plane.plane_extent(run.snapshots)
    name = f"{run_stem(run, dataset)}_plane_epoch{epoch}"
    chart(plane_spec, run, dataset, extent, epoch, PLANE_SIZE, name=name, place=place, width="content")


def player_with(run, dataset, views=()) -> None:
    """The epoch player of `run` (slider and Play in the browser) with `views` below the plane
    (of lib.charts.inside.VIEWS), each following its epoch, then how to read them."""
    chart(epoch_player, run, dataset, views, name=f"{run_stem(run, dataset)}_player", layouts="player")
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
        chart(pairplot_layouts, data, features, name="lesson_step1_pairplot", layouts="pairplot")


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
    chart(rc.architecture_parts, run, name="lesson_model")
    st.code(
        "feature_model = keras.Model(model.inputs, model.get_layer('bottleneck').output)\n"
        "points = feature_model.predict(X_test)  # 412 rows × 2 numbers",
        language="python",
    )
    if not held_back:
        before, after = st.columns(2, gap="large")
        before.markdown("**Before training** (epoch 0)")
        plane_chart(run, data, 0, before)
        before.caption(lesson.untrained_sentence(lesson.guesses(run, 0), run.class_names))
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
        st.caption(
            "Epoch 0, before training, is the slider's left end (the 5 × 5 grid below starts at epoch 1). "
            + lesson.untrained_sentence(lesson.guesses(run, 0), run.class_names)
        )
        player_with(run, data, ("bending",))
        st.subheader("The lesson's 5 × 5 grid")
        epochs = rc.chosen_epochs(DEEPER_LESSON.epochs)
        extent = plane.plane_extent(run.snapshots)
        chart(rc.evolution_layouts, run, epochs, extent, name="lesson_evolution", layouts="evolution")


def seed_runs(data) -> list:
    """Step 4's re-initializations: the deeper model from three seeds."""
    seeds = range(DEEPER_LESSON.seed, DEEPER_LESSON.seed + lesson.SEEDS_COMPARED)
    runs = [trained(data, replace(DEEPER_LESSON, seed=seed)) for seed in seeds]
    if any(run is None for run in runs):
        st.stop()
    return runs


def seeds_premise() -> None:
    """The question's premise: each seed's own plane after training, as it came out."""
    data = banknotes()
    runs = seed_runs(data)
    for run, column in zip(runs, st.columns(len(runs))):
        column.markdown(f"**Seed {run.config.seed}**")
        plane_chart(run, data, DEEPER_LESSON.epochs, column)


def seeds_view(held_back: bool) -> None:
    """The three re-initializations turned onto the first: they match."""
    data = banknotes()
    if not held_back:
        runs = seed_runs(data)
        panels = align_runs(runs)
        mean, spread, low, high = accuracy_summary(panels)
        st.metric("Test accuracy over the three seeds", f"{mean:.1%} ± {spread:.1%}")
        accuracies = ", ".join(f"seed {p.seed} {p.test_accuracy:.1%}" for p in panels)
        st.markdown(
            f"**Turned and flipped, they match.** Here each map is turned, flipped and scaled onto "
            f"seed {panels[0].seed}'s (a Procrustes fit, as on the *Re-initializations* page): what "
            f"is left is the real difference. Test accuracy: {accuracies}."
        )
        chart(
            gallery_parts,
            panels,
            runs[0].y_test,
            data.class_names,
            name="lesson_seeds",
            layouts="gallery_maps",
        )


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
        "*The free lab* page the same settings show everything else."
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
            chart(
                compare_charts.linked_maps,
                data,
                rows.show,
                embeddings,
                [projection_neighbourhoods(data, run, e.method, False) for e in embeddings],
                NEIGHBOURS,
                name="lesson_maps",
                layouts="compare_maps",
            )
            table = compare_charts.scores_table(embeddings, scores)
            headers = lesson.SCORE_COLUMNS
            st.dataframe(
                table[list(headers)],
                hide_index=True,
                column_config={
                    "method": headers["method"],
                    "trustworthiness": st.column_config.NumberColumn(
                        headers["trustworthiness"], format="%.3f"
                    ),
                    "knn_accuracy": st.column_config.NumberColumn(headers["knn_accuracy"], format="%.1f%%"),
                    "linear_accuracy": st.column_config.NumberColumn(
                        headers["linear_accuracy"], format="%.1f%%"
                    ),
                },
            )
            scored = dict(zip((e.method for e in embeddings), table.itertuples()))
            if {"bottleneck", "tsne"} <= scored.keys():
                ours, tsne = scored["bottleneck"], scored["tsne"]
                st.markdown(
                    f"The column that tells them apart is *{headers['linear_accuracy']}*: a straight "
                    f"line puts {ours.linear_accuracy:.1f}% of the rows on their class's side on the "
                    f"bottleneck's map, {tsne.linear_accuracy:.1f}% on t-SNE's. By nearest-neighbour "
                    f"voting (*{headers['knn_accuracy']}*) the two are close, {ours.knn_accuracy:.1f}% "
                    f"against {tsne.knn_accuracy:.1f}%: t-SNE's clusters are pure, but not on two "
                    "sides of a line."
                )
            st.markdown(
                "*Keeps neighbours* is the trustworthiness: near 1, the dots closest on the map were "
                "close in the four features. *Classes apart* is the cross-validated accuracy of "
                "nearest-neighbour voting and of a straight line on the map. More on the *Compare "
                "reductions* page."
            )


def recap_view(held_back: bool) -> None:
    """Each step's one idea, the student's answers against the right ones, and where to go next."""
    for recalled in lesson.recap(answers()):
        st.markdown(f"**{recalled.number} · {recalled.title}**: {recalled.idea}")
        if recalled.right is None:
            continue
        if recalled.chosen is None:
            st.caption(f"Not answered. The answer: *{recalled.right}*.")
        elif recalled.answered_right:
            st.caption(f":green[✓ Your answer: *{recalled.chosen}*.]")
        else:
            st.caption(f":red[✗ Your answer: *{recalled.chosen}*.] The answer: *{recalled.right}*.")
    st.subheader("Where to go next")
    for page, what in NEXT:
        st.page_link(page)
        st.caption(what)


NEXT = (  # the recap's pages to go on with, and what each offers
    (
        "app_pages/inner_layer.py",
        "Any network, any data set: set it in the sidebar and watch its inner layers.",
    ),
    ("app_pages/compare.py", "The bottleneck beside PCA, t-SNE, LDA and an autoencoder, with every score."),
    (
        "app_pages/gradient_descent.py",
        "Learning rates, batch sizes, optimizers and how the gradient reaches each layer.",
    ),
)

VIEWS = {  # a step's view name (lib.lesson.Step.view) → what draws it
    "data": data_view,
    "first_model": first_model_view,
    "epochs": epochs_view,
    "seeds": seeds_view,
    "your_turn": your_turn_view,
    "wine": wine_view,
    "comparison": comparison_view,
    "recap": recap_view,
}
PREMISES = {  # a step's view name → what it draws before its question (the question's premise)
    "seeds": seeds_premise,
}

st.header(f"Step {step.number} · {step.title}", divider="gray")
st.markdown(step.text)
if step.view in PREMISES:
    PREMISES[step.view]()
chosen = ask(step.number, step.question) if step.question else None
held_back = step.question is not None and chosen is None

VIEWS[step.view](held_back)

left, right = st.columns(2)
if number > lesson.STEP_NUMBERS[0]:
    left.button("Previous step", icon=":material/arrow_back:", on_click=go, args=(-1,))
if number < lesson.STEP_NUMBERS[-1]:
    right.button("Next step", icon=":material/arrow_forward:", on_click=go, args=(1,), type="primary")
