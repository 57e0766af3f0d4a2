"""What to try, in words, for a diagnosis: only controls the student can see are suggested.

`lib.diagnostics` names the settings that could help; a classroom link may hide some of them, and
advice that points at a control nobody can find only confuses.
"""

from __future__ import annotations

from lib.diagnostics import Diagnosis
from ui.classroom import hidden

REMEDY_WORDS = {
    "lr": "a smaller learning rate (10 times smaller is a good first step)",
    "seed": "**Re-initialize** for another random start",
    "activation": "the tanh or elu activation, which are never flat at 0",
    "optimizer": "RMSprop or Adam, which scale each step to the size of the gradient",
}


def remedies_in_words(remedies: tuple[str, ...]) -> str:
    """ "**Try:** …" for the remedies whose controls are shown, or a sentence saying why none is."""
    words = [REMEDY_WORDS[key] for key in remedies if not hidden(key)]
    if not words:
        return "The settings that could change this are fixed by your teacher's link."
    return "**Try:** " + (words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]) + "."


def explained(diagnosis: Diagnosis) -> str:
    """The diagnosis as the page shows it: the finding, then what to try."""
    return f"{diagnosis.finding} {remedies_in_words(diagnosis.remedies)}"
