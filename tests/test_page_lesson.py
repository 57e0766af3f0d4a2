"""The lesson, step by step, in AppTest: every step from its link, predict then reveal, the progress
line, and the two inside views following the epoch scrubber on the inner-layer page."""

import json

import pytest

from lib import lesson
from lib.layouts import LAYOUTS
from lib.training import DEEPER_LESSON, train
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


def test_every_step_opens_from_its_link_and_holds_its_view_until_answered():
    for step in lesson.STEPS:
        at = open_step(step.number)
        assert at.header[0].value == f"Step {step.number} · {step.title}"
        assert at.selectbox(key="step").value == step.number
        assert at.query_params["step"] == str(step.number)  # the address names the step
        assert at.progress[0].proto.text.startswith(f"Step {step.number} of 7")
        if step.question is None:  # "your turn": the controls open at once
            assert at.sidebar.slider(key="n_hidden").value == 1
            assert any(epoch_shown(s) is not None for s in chart_specs(at))
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
        titles = [p["title"]["text"] for p in chart_specs(at)[0]["concat"]]
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
    assert len(players) == len(LAYOUTS["player"])  # one layout for each width (lib.layouts)
    player = players[0]
    assert epoch_shown(player) == DEEPER_LESSON.epochs  # opens at the end, scrubbed in the browser
    assert "Grid of the input plane" in followers(player) and "node_pick" not in followers(player)


def test_the_progress_line_counts_answers_kept_across_steps():
    at = open_step(1)
    at.radio(key=CHOICE.format(1)).set_value(lesson.step(1).question.right).run()
    assert at.progress[0].proto.text == "Step 1 of 7 · 1 of 6 questions answered, 1 right"
    next_step = next(b for b in at.button if b.label == "Next step")
    next_step.click().run()
    assert at.header[0].value.startswith("Step 2 ·")
    assert at.progress[0].proto.text == "Step 2 of 7 · 1 of 6 questions answered, 1 right"
    at.radio(key=CHOICE.format(2)).set_value(0).run()  # wrong
    assert at.progress[0].proto.text == "Step 2 of 7 · 2 of 6 questions answered, 1 right"
    previous = next(b for b in at.button if b.label == "Previous step")
    previous.click().run()
    assert_no_exception(at)
    assert at.radio(key=CHOICE.format(1)).value == lesson.step(1).question.right  # still answered
    assert at.success and revealed(at, lesson.step(1).question)


def test_the_inner_layer_pages_inside_views_have_an_epoch_slider_each():
    at = app_test("app_pages/inner_layer.py", {"epochs": "6"})
    assert_no_exception(at)
    headers = [h.value for h in at.header]
    assert headers.index("2 · Inside every node") < headers.index("3 · The input space bending")
    scrubbed = [s for s in chart_specs(at) if epoch_shown(s) is not None]
    scrubbed = scrubbed[len(LAYOUTS["player"]) - 1 :]  # the player's layouts, then one of each view
    assert len(scrubbed) == 3  # the player, the node pictures, the bent grid
    for spec in scrubbed:
        [epoch] = [p for p in spec["params"] if p["name"] == "epoch"]
        assert epoch["bind"]["input"] == "range" and epoch["bind"]["max"] == 6 and epoch["value"] == 6
    views = json.dumps(scrubbed[1:])
    assert "datum['level@' + epoch]" in views and "Grid of the input plane" in views
    assert "node_pick" in json.dumps(scrubbed[1]["params"])  # clicking a node picks it in the diagram
