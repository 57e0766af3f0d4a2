"""The guided lesson in headless Chromium: walked from the first step to the recap, and opened from
a `?step=` link."""

import pytest

from lib import lesson
from lib.charts.inside import PICK
from testkit.chromium import screenshot
from testkit.vega import node_pictures, wait_selected

pytestmark = pytest.mark.browser
MAIN = "[data-testid='stMain']"


def wait_idle(tab):
    """The run has finished and nothing of an earlier run is left greyed out."""
    tab.wait_for_timeout(300)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=120_000,
    )


def answer(tab, number: int) -> None:
    """Pick the right option of the step's question and wait for its reveal."""
    question = lesson.step(number).question
    tab.locator(f"{MAIN} [data-testid='stRadio']").filter(has_text="Predict, then reveal").get_by_text(
        question.options[question.right], exact=True
    ).click()
    tab.get_by_text(question.explanations[question.right][:60]).wait_for(timeout=120_000)
    wait_idle(tab)


def test_a_student_walks_the_lesson_from_the_first_step_to_the_last(app_url, page):
    page.goto(f"{app_url}/lesson")
    page.get_by_role("heading", name="Step 1 · The data").wait_for(timeout=90_000)
    for step in lesson.STEPS:
        page.get_by_role("heading", name=f"Step {step.number} · {step.title}").wait_for(timeout=120_000)
        wait_idle(page)
        assert f"step={step.number}" in page.url
        if step.question is not None:
            answer(page, step.number)
        if step.view == "recap":  # no chart: the steps' ideas, the answers, where to go next
            page.get_by_role("heading", name="Where to go next").wait_for(timeout=120_000)
            page.get_by_text("✓ Your answer").first.wait_for()
        else:
            page.locator(f"{MAIN} .vega-embed:visible").first.wait_for(timeout=120_000)
        assert page.locator("[data-testid='stException']").count() == 0
        answered = sum(1 for n in lesson.QUESTIONS if n <= step.number)
        page.get_by_text(f"{answered} of {len(lesson.QUESTIONS)} questions answered").wait_for()
        if step.number in (3, 4, 5, 7, 8):
            screenshot(page, f"lesson_step{step.number}")
        if step.number < len(lesson.STEPS):
            page.get_by_role("button", name="Next step").click()
    assert page.get_by_role("button", name="Next step").count() == 0


def test_a_link_opens_a_step_and_clicking_a_node_picks_it(app_url, page):
    page.goto(f"{app_url}/lesson?step=6")
    page.get_by_role("heading", name="Step 6 · The exercise: wine").wait_for(timeout=120_000)
    answer(page, 6)
    page.get_by_text("Each small picture is one hidden node").wait_for()
    wait_idle(page)
    nodes = page.locator(f"{MAIN} .vega-embed:visible").last  # the player, with the node pictures
    nodes.scroll_into_view_if_needed()
    picture = next(p for p in node_pictures(nodes)["pictures"] if p["node"] == "bottleneck · node 1")
    page.mouse.click(picture["left"] + 4, picture["top"] + picture["height"] - 4)
    wait_selected(nodes, PICK, [["bottleneck · node 1"]])  # clicking a picture picks its node
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "lesson_step6_node_picked")
