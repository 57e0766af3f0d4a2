"""The lesson's step (its setting), and its questions on a page: predict, then reveal; answers kept
in the session."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import lesson
from lib.datasets import Dataset
from lib.lesson import Question
from lib.settings import Number, Setting
from lib.training import Run, TrainConfig
from ui import state

STEP = Setting(  # shown as a menu of the steps' titles
    "step",
    Number(1, len(lesson.STEPS)),
    1,
    "lesson step",
    "Step",
    "Your answers stay in this browser tab's session; nothing is stored.",
    control="selectbox",
)
SETTINGS = (STEP,)

# px, step 2's planes before and after: drawn 321 px wide, they fit half a tablet or a phone
PLANE_SIZE = 280


def sets_network() -> bool:
    """Whether the step the lesson shows lets the student set the network (its controls shown)."""
    return lesson.step(st.session_state.get(STEP.key, STEP.default)).sets_network


def answers() -> dict[int, int]:
    """Step number → the option chosen; nothing leaves the session."""
    return st.session_state.setdefault(state.LESSON_ANSWERS, {})


def _keep(number: int) -> None:
    choice = st.session_state.get(state.LESSON_CHOICE[number])
    if choice is not None:
        answers()[number] = choice


def ask(number: int, question: Question) -> int | None:
    """The question as a choice; once answered, the reveal (every option explained). Returns the
    option chosen, or None while unanswered (the page then holds the view back)."""
    key = state.LESSON_CHOICE[number]
    chosen = answers().get(number)
    if key not in st.session_state and chosen is not None:  # coming back to the step
        st.session_state[key] = chosen
    unset = {} if key in st.session_state else {"index": None}  # no default beside a set value
    st.radio(
        f"**Predict, then reveal:** {question.prompt}",
        range(len(question.options)),
        format_func=question.options.__getitem__,
        key=key,
        on_change=_keep,
        args=(number,),
        **unset,
    )
    chosen = answers().get(number)
    if chosen is None:
        st.info("Choose an answer to see the view and the explanation.", icon=":material/help:")
        return None
    right = question.options[question.right]
    if chosen == question.right:
        st.success(f"**Right:** {right}.", icon=":material/check_circle:")
    else:
        st.error(f"**Not quite.** The answer is: *{right}*.", icon=":material/cancel:")
    st.markdown(
        "\n".join(
            f"- {'✓' if i == question.right else '✗'} **{option}**: {why}"
            for i, (option, why) in enumerate(zip(question.options, question.explanations))
        )
    )
    return chosen


@st.cache_data(max_entries=8, max_size="1MB", show_spinner="Fitting logistic regression…")
def logistic_accuracy(fingerprint: str, config: TrainConfig, _dataset: Dataset) -> float:
    """Test accuracy of logistic regression on the original features (lib.lesson.linear_accuracy)."""
    return lesson.linear_accuracy(_dataset, config)


@st.cache_data(max_entries=16, max_size="1MB", show_spinner=False)
def separability(fingerprint: str, config: TrainConfig, _run: Run) -> pd.DataFrame:
    """Per epoch: the best straight line's and the output layer's share of test rows right."""
    return lesson.separability(_run)
