"""The lesson's steps as data (lib/lesson.py): fair questions, one idea per step and its recap, and
what the untrained network answers, said from the run it is said of."""

import re

import pytest

from lib import lesson
from lib.training import DEEPER_LESSON, LESSON, train

LENGTHS = 1.5  # the longest option of a question is at most this many times the shortest


def test_no_option_stands_out_by_its_length():
    for step in lesson.STEPS:
        if step.question is not None:
            lengths = [len(option) for option in step.question.options]
            assert max(lengths) <= LENGTHS * min(lengths), (step.number, step.question.options)


def test_the_text_before_a_question_does_not_give_its_answer():
    for step in lesson.STEPS:
        if step.question is not None:
            right = step.question.options[step.question.right]
            shown = f"{step.text} {step.question.prompt}"
            for number in re.findall(r"\d[\d,.]*", right):
                assert not re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,])", shown), (
                    step.number,
                    number,
                )


def test_every_step_has_one_idea_and_the_lesson_ends_with_the_recap():
    *steps, last = lesson.STEPS
    assert last.view == "recap" and last.question is None and not last.sets_network
    for step in steps:
        assert step.idea.endswith(".") and step.idea.count(". ") == 0, step.number  # one sentence


def test_the_recap_sets_each_answer_beside_the_right_one():
    first, second = lesson.step(1).question, lesson.step(2).question
    wrong = (second.right + 1) % len(second.options)
    recalled = lesson.recap({1: first.right, 2: wrong})
    assert [r.number for r in recalled] == [s.number for s in lesson.STEPS if s.view != "recap"]
    by_step = {r.number: r for r in recalled}
    assert by_step[1].chosen == by_step[1].right == first.options[first.right] and by_step[1].answered_right
    assert by_step[2].chosen == second.options[wrong] and by_step[2].right == second.options[second.right]
    assert not by_step[2].answered_right
    assert by_step[3].chosen is None and by_step[3].right is not None  # asked, not answered
    assert by_step[5].right is None and by_step[5].idea == lesson.step(5).idea  # asks nothing


@pytest.mark.parametrize("config", [LESSON, DEEPER_LESSON])
def test_what_the_untrained_network_answers_is_its_epoch_0(banknotes, config):
    run = train(banknotes, config)
    found = lesson.guesses(run, 0)
    assert found.accuracy == pytest.approx(run.snapshot_accuracy[0], abs=1e-6)
    assert sum(found.called) == pytest.approx(1) and sum(found.actual) == pytest.approx(1)
    assert found.actual[1] == pytest.approx(run.y_test.mean())
    assert found.called[1] == pytest.approx((run.probabilities(0)[:, 1] > 0.5).mean())


def test_the_first_models_epoch_0_is_worse_than_a_coin_and_the_sentence_says_why(banknotes):
    found = lesson.guesses(train(banknotes, LESSON), 0)  # step 2's "before training" plane
    assert found.accuracy < 0.5 < found.actual[found.commonest]
    sentence = lesson.untrained_sentence(found, banknotes.class_names)
    assert f"{found.called[1]:.0%} of the rows forged ({found.actual[1]:.0%} are)" in sentence
    assert "points the wrong way" in sentence and f"{found.accuracy:.1%}" in sentence
    assert f"always answering 'genuine' ({found.actual[0]:.1%})" in sentence
    assert f"swapping every answer would score {1 - found.accuracy:.1%}" in sentence


@pytest.mark.parametrize(
    "found, says",
    [
        (lesson.Guesses(0.556, (1.0, 0.0), (0.556, 0.444)), "calls every row 'genuine', so it scores 55.6%"),
        (lesson.Guesses(0.52, (0.5, 0.5), (0.556, 0.444)), "scores 52.0%, below always answering 'genuine'"),
        (lesson.Guesses(0.675, (0.81, 0.19), (0.556, 0.444)), "lean the right way and scores 67.5%, above"),
    ],
)
def test_the_sentence_follows_the_run(found, says):
    sentence = lesson.untrained_sentence(found, ("genuine", "forged"))
    assert says in sentence and sentence.count(". ") == 0 and sentence.endswith(".")
    assert "swapping" not in sentence  # only a line that points the wrong way is better swapped


def test_with_more_classes_the_sentence_names_each_share():
    found = lesson.Guesses(0.41, (0.91, 0.09, 0.0), (0.35, 0.39, 0.26))
    sentence = lesson.untrained_sentence(found, ("a", "b", "c"))
    assert "91% a, 9% b, 0% c (they are 35%, 39%, 26%)" in sentence and "always answering 'b'" in sentence
