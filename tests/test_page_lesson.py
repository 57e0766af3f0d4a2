"""The guided lesson in AppTest: every step from its link, predict then reveal, the progress line,
the closing recap, the data page's pointer to it, and the two inside views following the epoch
scrubber on the inner-layer page."""

import json

import pytest

from lib import lesson
from lib.charts.inner_layer import chosen_epochs
from lib.training import DEEPER_LESSON, LESSON, train
from testkit.apptest import app_test, assert_no_exception, chart_specs

PAGE = "app_pages/lesson.py"
CHOICE = "lesson_choice_{}"


def open_step(number: int):
    at = app_test(PAGE, {"step": str(number)})
    assert_no_exception(at)
    return at


def epoch_shown(spec: dict) -> int | None:
    return next((p["value"] for p in spec.get("params", []) if p["name"] == "epoch"), None)


def followers(spec: dict) -> str:
    """What follows the player's epoch below its plane: the views' specs, as text."""
    return json.dumps(spec.get("vconcat", [])[1:])


def revealed(at, question) -> bool:
    text = " ".join(m.value for m in at.markdown)
    return all(why in text for why in question.explanations)


def texts(at) -> str:
    return " ".join(e.value for e in (*at.markdown, *at.caption, *at.info))


def drawn_in_order(at) -> list[str]:
    """The page's main elements in the order they are drawn: "radio", or a chart's spec kind
    ("plane" with an epoch, "gallery" of panels)."""
    kinds = []
    for node in at.main:
        if node.type == "radio":
            kinds.append("radio")
        elif node.type == "vega_lite_chart":
            spec = json.loads(node.proto.spec)
            kinds.append(
                "gallery" if "concat" in spec else "plane" if epoch_shown(spec) is not None else "chart"
            )
    return kinds


def answer(at, number: int, option: int | None = None):
    question = lesson.step(number).question
    at.radio(key=CHOICE.format(number)).set_value(question.right if option is None else option).run()
    assert_no_exception(at)
    return at


def test_every_step_opens_from_its_link_and_holds_its_view_until_answered():
    for step in lesson.STEPS:
        at = open_step(step.number)
        assert at.header[0].value == f"Step {step.number} · {step.title}"
        assert at.selectbox(key="step").value == step.number
        assert at.query_params["step"] == str(step.number)  # the address names the step
        assert at.progress[0].proto.text.startswith(f"Step {step.number} of {len(lesson.STEPS)}")
        if step.sets_network:  # "your turn": the controls open at once
            assert at.sidebar.slider(key="n_hidden").value == 1
            assert any(epoch_shown(s) is not None for s in chart_specs(at))
        if step.question is None:
            continue
        assert at.radio(key=CHOICE.format(step.number)).value is None
        assert any("Choose an answer" in i.value for i in at.info)
        assert not revealed(at, step.question)
        assert not at.success and not at.error


@pytest.mark.parametrize("number", [1, 4, 6, 7])
def test_answering_reveals_every_options_explanation_and_the_view(number):
    at = open_step(number)
    question = lesson.step(number).question
    charts_before = len(chart_specs(at))
    at.radio(key=CHOICE.format(number)).set_value(question.right).run()
    assert_no_exception(at)
    assert revealed(at, question)
    assert at.success and "Right" in at.success[0].value
    assert len(chart_specs(at)) > charts_before  # the view comes after the prediction
    if number == 1:
        assert float(at.metric[0].value.rstrip("%")) > 95  # one flat cut nearly separates them
    if number == 4:
        gallery = next(s for s in chart_specs(at) if "concat" in s)
        titles = [p["title"]["text"] for p in gallery["concat"]]
        assert [t.split(" · ")[0] for t in titles] == ["seed 1", "seed 2", "seed 3"]
    if number == 6:
        assert at.metric[0].value == "178"
    if number == 7:
        methods = at.dataframe[0].value["method"].tolist()
        assert len(methods) == 3 and any("t-SNE" in m for m in methods)


def test_a_wrong_answer_says_so_and_names_the_right_one():
    at = open_step(2)
    question = lesson.step(2).question
    at.radio(key=CHOICE.format(2)).set_value(2).run()
    assert_no_exception(at)
    assert "Not quite" in at.error[0].value and question.options[question.right] in at.error[0].value
    assert revealed(at, question)


def test_step_3_names_the_epoch_this_run_first_separated_the_classes(banknotes):
    at = open_step(3)
    at.radio(key=CHOICE.format(3)).set_value(1).run()
    assert_no_exception(at)
    expected = lesson.separated_at(lesson.separability(train(banknotes, DEEPER_LESSON)))
    assert expected is not None and 0 < expected < DEEPER_LESSON.epochs
    assert any(f"This run: epoch {expected}." in i.value for i in at.info)
    players = [s for s in chart_specs(at) if epoch_shown(s) is not None]
    [player] = players  # in the layout for the width told (lib.charts.layouts)
    assert epoch_shown(player) == DEEPER_LESSON.epochs  # opens at the end, scrubbed in the browser
    assert "Grid of the input plane" in followers(player) and "node_pick" not in followers(player)


def test_step_2_says_what_the_untrained_network_does_on_the_rows_it_shows(banknotes):
    at = answer(open_step(2), 2)
    run = train(banknotes, LESSON)
    said = lesson.untrained_sentence(lesson.guesses(run, 0), banknotes.class_names)
    assert f"{run.snapshot_accuracy[0]:.1%}" in said  # the score the "before training" plane shows
    assert said in [c.value for c in at.caption]


def test_step_3_points_at_the_slider_for_epoch_0_not_at_the_grid(banknotes):
    at = answer(open_step(3), 3, 0)  # "before training": the reveal says where to look
    assert chosen_epochs(DEEPER_LESSON.epochs)[0] == 1  # the grid's first panel is epoch 1
    shown = texts(at)
    assert "first panel" not in shown
    [where] = [c.value for c in at.caption if c.value.startswith("Epoch 0")]
    assert "slider" in where and "grid below starts at epoch 1" in where
    run = train(banknotes, DEEPER_LESSON)
    assert lesson.untrained_sentence(lesson.guesses(run, 0), banknotes.class_names) in where
    why_not_0 = lesson.step(3).question.explanations[0]
    assert "slider to 0" in why_not_0 and why_not_0 in shown


def test_step_4_shows_the_three_pictures_before_its_question_and_aligns_them_after():
    at = open_step(4)
    assert drawn_in_order(at) == ["plane", "plane", "plane", "radio"]  # the question's premise
    assert [m.value for m in at.markdown if m.value.startswith("**Seed")] == [
        f"**Seed {seed}**" for seed in (1, 2, 3)
    ]
    answer(at, 4)
    assert drawn_in_order(at) == ["plane", "plane", "plane", "radio", "gallery"]  # for the width told
    [matched] = [m.value for m in at.markdown if "Turned and flipped, they match" in m.value]
    gallery = next(s for s in chart_specs(at) if "concat" in s)
    for panel in gallery["concat"]:  # each seed's accuracy, in its title and in the text
        seed, accuracy = panel["title"]["text"].split(" · ")[:2]
        assert f"{seed} {accuracy.removeprefix('test accuracy ')}" in matched


def test_step_7_points_at_the_column_where_a_line_separates():
    at = answer(open_step(7), 7)
    line, knn = lesson.SCORE_COLUMNS["linear_accuracy"], lesson.SCORE_COLUMNS["knn_accuracy"]
    assert line in lesson.step(7).question.explanations[0]
    table = at.dataframe[0].value.set_index("method")
    ours, tsne = table.loc["Network bottleneck"], table.loc["t-SNE"]
    assert ours["linear_accuracy"] - tsne["linear_accuracy"] > 5 > ours["knn_accuracy"] - tsne["knn_accuracy"]
    [said] = [m.value for m in at.markdown if m.value.startswith("The column that tells them apart")]
    assert f"*{line}*" in said and f"*{knn}*" in said
    assert f"{ours['linear_accuracy']:.1f}%" in said and f"{tsne['linear_accuracy']:.1f}%" in said


def test_the_recap_sets_the_answers_beside_the_right_ones_and_points_onward():
    at = answer(open_step(1), 1)
    at.session_state["step"] = 2
    at.run()
    answer(at, 2, 0)  # wrong
    at.session_state["step"] = len(lesson.STEPS)
    at.run()
    assert_no_exception(at)
    assert at.header[0].value == f"Step {len(lesson.STEPS)} · Recap"
    assert not [b for b in at.button if b.label == "Next step"]  # the last step
    shown = texts(at)
    for step in lesson.STEPS[:-1]:
        assert f"**{step.number} · {step.title}**: {step.idea}" in shown
    first, second = lesson.step(1).question, lesson.step(2).question
    captions = [c.value for c in at.caption]
    assert f":green[✓ Your answer: *{first.options[first.right]}*.]" in captions
    wrong = f":red[✗ Your answer: *{second.options[0]}*.] The answer: *{second.options[second.right]}*."
    assert wrong in captions
    assert f"Not answered. The answer: *{lesson.step(3).question.options[1]}*." in captions
    pages = [link.proto.page for link in at.get("page_link")]
    assert pages == ["inner_layer", "compare", "gradient_descent"]


def test_the_data_page_points_a_newcomer_to_the_lessons_first_step():
    at = app_test()
    assert_no_exception(at)
    [link] = at.get("page_link")
    assert link.proto.page == "lesson" and link.proto.query_string == "step=1"
    assert "guided lesson" in link.proto.label
    at.switch_page(PAGE)
    at.run()
    assert at.title[0].value == "The guided lesson"
    assert at.header[0].value == "Step 1 · The data"


def test_the_progress_line_counts_answers_kept_across_steps():
    at = open_step(1)
    at.radio(key=CHOICE.format(1)).set_value(lesson.step(1).question.right).run()
    assert at.progress[0].proto.text == f"Step 1 of {len(lesson.STEPS)} · 1 of 6 questions answered, 1 right"
    next_step = next(b for b in at.button if b.label == "Next step")
    next_step.click().run()
    assert at.header[0].value.startswith("Step 2 ·")
    assert at.progress[0].proto.text == f"Step 2 of {len(lesson.STEPS)} · 1 of 6 questions answered, 1 right"
    at.radio(key=CHOICE.format(2)).set_value(0).run()  # wrong
    assert at.progress[0].proto.text == f"Step 2 of {len(lesson.STEPS)} · 2 of 6 questions answered, 1 right"
    previous = next(b for b in at.button if b.label == "Previous step")
    previous.click().run()
    assert_no_exception(at)
    assert at.radio(key=CHOICE.format(1)).value == lesson.step(1).question.right  # still answered
    assert at.success and revealed(at, lesson.step(1).question)


def test_the_inner_layer_pages_inside_views_have_an_epoch_slider_each():
    at = app_test("app_pages/inner_layer.py", {"epochs": "6", "node_pictures": "on", "bending_grid": "on"})
    assert_no_exception(at)
    headers = [h.value for h in at.header]
    assert headers.index("2 · Inside every node") < headers.index("3 · The input space bending")
    scrubbed = [s for s in chart_specs(at) if epoch_shown(s) is not None]
    assert len(scrubbed) == 3  # the player, the node pictures, the bent grid
    for spec in scrubbed:
        [epoch] = [p for p in spec["params"] if p["name"] == "epoch"]
        assert epoch["bind"]["input"] == "range" and epoch["bind"]["max"] == 6 and epoch["value"] == 6
    views = json.dumps(scrubbed[1:])
    assert "datum['level@' + epoch]" in views and "Grid of the input plane" in views
    assert "node_pick" in json.dumps(scrubbed[1]["params"])  # clicking a node picks it in the diagram
