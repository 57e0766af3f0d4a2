"""The lesson as a path of steps: each a short text and one predict-then-reveal question.

The steps are data: each names the view it reveals and whether the student sets the network.
The questions are data too: options, the right one, and an explanation of every option, so the
reveal can say why each answer is right or wrong; each step's one idea is what the closing recap
lists. `separated_at` is step 3's reveal: the first epoch at which a straight line separates the
classes in a run's bottleneck plane; `guesses` is what a network answers before training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.datasets import Dataset
from lib.lazy import LazyModule
from lib.training import Run, TrainConfig, split

linear_model = LazyModule("sklearn.linear_model")  # the step pages need it, the link parser does not

SEPARATED = 0.99  # a line "separates" the classes when it puts this share of the test rows right
SEEDS_COMPARED = 3  # step 4's re-initializations


@dataclass(frozen=True)
class Question:
    prompt: str
    options: tuple[str, ...]
    right: int  # index into options
    explanations: tuple[str, ...]  # one per option

    def __post_init__(self):
        if len(self.explanations) != len(self.options) or not 0 <= self.right < len(self.options):
            raise ValueError("every option needs an explanation, and the right one must be an option")


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    text: str
    view: str  # the name of what the step shows; the page keeps one drawing per name
    question: Question | None = None
    sets_network: bool = False  # the student sets the network and its training (else the lesson's)
    idea: str = ""  # the step's one idea, in one sentence, for the recap (the recap has none)


SCORE_COLUMNS = {  # step 7's table: a score's column → its header (the explanations name them)
    "method": "Reduction",
    "trustworthiness": "Keeps neighbours",
    "knn_accuracy": "Classes apart (kNN)",
    "linear_accuracy": "Classes apart (a line)",
}

STEPS = (
    Step(
        1,
        "The data",
        "Each banknote was photographed and its picture summed up by **four wavelet features**: "
        "variance, skewness, curtosis and entropy. Two classes: *genuine* and *forged*. "
        "Before any network, ask how hard the problem is.",
        "data",
        Question(
            "Can one straight line (a flat cut) in the original four features separate the two classes?",
            ("Yes, nearly every row", "Only about three rows in four", "No, hardly better than a coin"),
            0,
            (
                "Right: logistic regression, which can only draw one flat cut through the four "
                "features, already gets nearly every test row right (its accuracy is below). The "
                "network's job is to do this through a 2-node bottleneck we can draw.",
                "Better than that: the flat cut of logistic regression gets almost every test row "
                "right. The classes are nearly linearly separable in four dimensions.",
                "They are: one flat cut already puts nearly every test row on its class's side. "
                "What we cannot do is *see* four dimensions, which is why the network squeezes "
                "them into two.",
            ),
        ),
        idea="One flat cut through the four features already separates the classes; the network's "
        "2-node bottleneck lets us see it.",
    ),
    Step(
        2,
        "The first model, 4 → 2 → 1",
        "The lesson's first network: the four features, a hidden layer of **2 nodes** (the "
        "bottleneck), and one sigmoid output node, trained for 20 epochs. The **feature model** "
        "runs a row from the input to the 2-node layer only (the course's `K.function`, today "
        "`keras.Model(inputs, model.get_layer('bottleneck').output)`): applied to the 412 test "
        "rows it gives each of them two numbers, a point in a plane.",
        "first_model",
        Question(
            "What will the plane look like before any training (epoch 0)?",
            (
                "The classes already apart, since the features are good",
                "A random linear view of the data, folded onto the axes by ReLU",
                "Every point at (0, 0), since nothing is learned yet",
            ),
            1,
            (
                "Not yet: the starting weights are random, so the plane is a random view of the "
                "data. The classes may overlap a lot or a little, by chance.",
                "Right: random weights make a random linear map of the four features, and ReLU "
                "sets negative values to 0, so points pile up on the axes. The structure of the "
                "data shows, but the classes are not yet pulled apart.",
                "Only if every weight started at zero (the *All zeros* initializer): random "
                "starting weights give every row its own point.",
            ),
        ),
        idea="The feature model turns each row into a point of the 2-node plane; before training "
        "that plane is a random view of the data.",
    ),
    Step(
        3,
        "The deeper model, epoch by epoch",
        "Now `4 → 3 → 2 → 1`: a 3-node layer before the bottleneck. Watch its plane after every "
        "epoch, in the lesson's 5 × 5 grid and as a film, and watch the input space bend.",
        "epochs",
        Question(
            "At which epoch will a straight line first separate the classes in the bottleneck plane?",
            ("Before training (epoch 0)", "Within the first few epochs", "Only at the last epoch"),
            1,
            (
                "Not at epoch 0: random starting weights seldom separate the classes (move the "
                "player's epoch slider to 0, its left end; the 5 × 5 grid starts at epoch 1).",
                "Right, usually: most of the separating happens early, and later epochs mostly "
                "widen the gap. The epoch this run got there is named below.",
                "Usually much earlier: the last epochs polish a picture that was already "
                "separable. The epoch this run got there is named below.",
            ),
        ),
        idea="Most of the separating happens in the first few epochs; the later ones widen the gap.",
    ),
    Step(
        4,
        "Re-initialize three times",
        "The same network and data, trained from three random starts (three seeds). Here is the "
        "bottleneck plane each of them ended with.",
        "seeds",
        Question(
            "Why are the three pictures different, and why is each still right?",
            (
                "Each random start reaches another solution, all equally good",
                "Training is broken: the same data should give one picture",
                "Each run is scored on other test rows, so each map differs",
            ),
            0,
            (
                "Right: each start rolls downhill to a different solution. Rotating, flipping or "
                "stretching the plane changes nothing the output layer cares about, as long as a "
                "straight line still separates the classes: turned and flipped below, they match.",
                "Training is deterministic per seed (the same seed gives the same picture), but "
                "many different pictures are equally good, and the seed picks one.",
                "The test rows are the same 412 rows in every run: only the starting weights and "
                "the order of the batches change.",
            ),
        ),
        idea="Different random starts give different pictures of the same solution: turned and "
        "flipped, they match.",
    ),
    Step(
        5,
        "Your turn",
        "Change the network and its training in the sidebar; the views below follow. Three "
        "experiments to try:\n"
        "- **More nodes**: set *Nodes in hidden layer 1* to 8. Look for a quicker separation "
        "and fewer crosses in the plane.\n"
        "- **tanh**: choose *Activation: tanh*. Look for points spread inside a square "
        "(tanh stays between −1 and 1) instead of piled on the axes, and no dead nodes.\n"
        "- **A learning rate of 1.0**: look for a dead node (all one colour, labelled *dead*) or "
        "a plane that jumps from epoch to epoch: steps that big overshoot.",
        "your_turn",
        sets_network=True,
        idea="More nodes, another activation or a bigger learning rate change how fast, and whether, "
        "the plane separates.",
    ),
    Step(
        6,
        "The exercise: wine",
        "The course's exercise: wines of three grape varieties, each described by 13 chemical "
        "measurements. The network is `13 → 8 → 5 → 2 → 3`: three softmax output nodes, one per "
        "variety, and still a 2-node bottleneck to draw.",
        "wine",
        Question(
            "How many trainable parameters does 13 → 8 → 5 → 2 → 3 have?",
            ("31 parameters", "178 parameters", "1,560 parameters"),
            1,
            (
                "That is the number of nodes. Every node also has one weight per input and a bias.",
                "Right: (13 + 1) × 8 + (8 + 1) × 5 + (5 + 1) × 2 + (2 + 1) × 3 = 112 + 45 + 12 + 9 = 178 "
                "(by chance, also the number of wines in the data set).",
                "That is 13 × 8 × 5 × 2 × 3, as if every layer connected to every other. Dense layers "
                "connect only neighbours: (n + 1) × m per layer, added up.",
            ),
        ),
        idea="A dense layer of m nodes after n has (n + 1) × m parameters, and a 2-node bottleneck "
        "can hold three classes apart too.",
    ),
    Step(
        7,
        "The comparison",
        "The same test rows, drawn by three reductions: the network's bottleneck, PCA and t-SNE.",
        "comparison",
        Question(
            "Which map will keep the classes apart best, and which will keep neighbours close?",
            (
                "The bottleneck separates best; t-SNE keeps neighbours best",
                "PCA separates best and keeps neighbours best too",
                "t-SNE separates best; the bottleneck keeps neighbours best",
            ),
            0,
            (
                "Right: a straight line puts far more rows on their class's side on the "
                f"bottleneck's map than on t-SNE's (the table's *{SCORE_COLUMNS['linear_accuracy']}* "
                "column), because the bottleneck was trained with the labels to do exactly that. "
                f"(In the *{SCORE_COLUMNS['knn_accuracy']}* column the two are close: t-SNE's "
                "clusters are pure, just not on two sides of a line.) t-SNE never saw a label but "
                f"is built to keep each row's nearest neighbours near: *{SCORE_COLUMNS['trustworthiness']}*.",
                "PCA keeps the broadest spread of the data, not the classes and not the nearest "
                "neighbours: in the table it wins neither.",
                f"The other way round: t-SNE keeps neighbours (its *{SCORE_COLUMNS['trustworthiness']}* "
                f"is the highest), and on the bottleneck's map, trained with the labels, a straight "
                f"line separates the classes best (*{SCORE_COLUMNS['linear_accuracy']}*).",
            ),
        ),
        idea="Trained with the labels, the bottleneck puts the classes on two sides of a line; "
        "t-SNE, without them, keeps neighbours best.",
    ),
    Step(
        8,
        "Recap",
        "Each step's one idea, your answers against the right ones, and where to go next.",
        "recap",
    ),
)
STEP_NUMBERS = tuple(step.number for step in STEPS)
QUESTIONS = tuple(step.number for step in STEPS if step.question is not None)


def step(number: int) -> Step:
    return STEPS[STEP_NUMBERS.index(number)]


def progress_line(number: int, answers: dict) -> str:
    """Where the student is: step, and questions answered (right) so far."""
    answered = [n for n in QUESTIONS if n in answers]
    right = sum(answers[n] == step(n).question.right for n in answered)
    return f"Step {number} of {len(STEPS)} · {len(answered)} of {len(QUESTIONS)} questions answered" + (
        f", {right} right" if answered else ""
    )


@dataclass(frozen=True)
class Recalled:
    """One step in the recap: its idea, and for a question the option chosen (None: not answered)
    and the right one."""

    number: int
    title: str
    idea: str
    chosen: str | None = None
    right: str | None = None  # None: the step asks nothing

    @property
    def answered_right(self) -> bool:
        return self.chosen is not None and self.chosen == self.right


def recap(answers: dict[int, int]) -> list[Recalled]:
    """Every step that has an idea, with the student's answer (`answers`: step → option chosen)."""
    recalled = []
    for each in STEPS:
        if not each.idea:
            continue
        question, chosen = each.question, answers.get(each.number)
        recalled.append(
            Recalled(each.number, each.title, each.idea)
            if question is None
            else Recalled(
                each.number,
                each.title,
                each.idea,
                None if chosen is None else question.options[chosen],
                question.options[question.right],
            )
        )
    return recalled


@dataclass(frozen=True)
class Guesses:
    """What a network answers on the test rows at one snapshot."""

    accuracy: float
    called: tuple[float, ...]  # per class: the share of the test rows the network calls it
    actual: tuple[float, ...]  # per class: the share of the test rows that are it

    @property
    def commonest(self) -> int:
        """The class that always answering scores best."""
        return int(np.argmax(self.actual))


def guesses(run: Run, epoch: int) -> Guesses:
    """The run's answers at snapshot `epoch` (0: before training): each test row gets the class of
    highest probability (a sigmoid's 0.5 counts as the first class, as the accuracy counts it)."""
    probabilities = run.probabilities(epoch)
    n_classes = probabilities.shape[1]
    called = np.bincount(probabilities.argmax(axis=1), minlength=n_classes) / len(run.y_test)
    actual = np.bincount(run.y_test, minlength=n_classes) / len(run.y_test)
    accuracy = float(np.mean(probabilities.argmax(axis=1) == run.y_test))
    return Guesses(accuracy, tuple(float(c) for c in called), tuple(float(a) for a in actual))


def untrained_sentence(found: Guesses, class_names) -> str:
    """What the untrained network does on the test rows, in one sentence, from its `guesses` at
    epoch 0: what it calls each class, its score against always answering the commonest class, and,
    with two classes, whether its random output line points the wrong way."""
    names = list(class_names)
    if len(names) == 2:
        calls = f"{found.called[1]:.0%} of the rows {names[1]} ({found.actual[1]:.0%} are)"
    else:
        shares = ", ".join(f"{c:.0%} {name}" for c, name in zip(found.called, names))
        calls = f"the rows {shares} (they are {', '.join(f'{a:.0%}' for a in found.actual)})"
    if max(found.called) == 1:  # one class for every row: the share of that class, whatever its line
        only = names[int(np.argmax(found.called))]
        return f"Before training the network calls every row '{only}', so it scores {found.accuracy:.1%}."
    common = found.actual[found.commonest]
    always = f"always answering '{names[found.commonest]}' ({common:.1%})"
    head = f"Before training the network calls {calls}"
    output = "output line" if len(names) == 2 else "output layer"
    if len(names) == 2 and found.accuracy < 0.5:
        return (
            f"{head}, but its random output line points the wrong way: it scores "
            f"{found.accuracy:.1%}, below {always}, and swapping every answer would score "
            f"{1 - found.accuracy:.1%}."
        )
    if found.accuracy < common:
        return f"{head}: its random {output} scores {found.accuracy:.1%}, below {always}."
    return (
        f"{head}: its random {output} happens to lean the right way and scores "
        f"{found.accuracy:.1%}, {'above' if found.accuracy > common else 'as much as'} {always}."
    )


def linear_accuracy(dataset: Dataset, config: TrainConfig) -> float:
    """Test accuracy of logistic regression, fit to convergence on the standardized training rows
    of `config`'s split: how far one flat cut through the original features gets."""
    parts = split(dataset, config)
    x_train, y_train = np.vstack([parts.x_fit, parts.x_val]), np.concatenate([parts.y_fit, parts.y_val])
    return float(
        linear_model.LogisticRegression(max_iter=2000).fit(x_train, y_train).score(parts.x_test, parts.y_test)
    )


def separability(run: Run) -> pd.DataFrame:
    """Per snapshot: the share of test rows a straight line fit to the bottleneck plane puts on
    their class's side (a linear probe: logistic regression fit to that epoch's points, close to
    the best line but not always it), and the share the output layer's own line gets right."""
    rows = []
    for epoch, points in enumerate(run.snapshots):
        rows.append(
            {"epoch": epoch, "probe": _probe(points, run.y_test), "output": run.snapshot_accuracy[epoch]}
        )
    return pd.DataFrame(rows)


def _probe(points: np.ndarray, y: np.ndarray) -> float:
    if not np.all(np.isfinite(points)):
        return float("nan")
    if np.ptp(points, axis=0).max() < 1e-9:  # every row at one point: no line can help
        return float(np.bincount(y).max() / len(y))
    scaled = (points - points.mean(axis=0)) / np.maximum(points.std(axis=0), 1e-9)
    probe = linear_model.LogisticRegression(C=1e4, max_iter=2000).fit(scaled, y)
    return float(probe.score(scaled, y))


def separated_at(table: pd.DataFrame, share: float = SEPARATED) -> int | None:
    """The first epoch at which a straight line puts `share` of the test rows right (None: never)."""
    reached = table[table["probe"] >= share]
    return int(reached["epoch"].iloc[0]) if len(reached) else None
