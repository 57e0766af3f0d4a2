"""Reading and validating the data sets the app teaches with; every one ships with the app (no network).

Every problem with a file (a missing, truncated or wrong one) becomes a `DatasetError`
whose message names the file and the problem, so a page can show it instead of a traceback.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

BANKNOTES_FILE = Path(__file__).resolve().parents[1] / "data" / "banknotes.csv"  # attribution beside it
BANKNOTES_ROWS = 1372
BANKNOTE_FEATURES = ("variance", "skewness", "kurtosis", "entropy")
BANKNOTE_CLASSES = ("genuine", "forged")
BANKNOTES_DESCRIPTION = (
    "Banknote authentication: 1,372 photographs of genuine and forged banknotes, "
    "each summarised by four statistics of its wavelet-transformed image: variance, "
    "skewness, kurtosis and entropy."
)
BANKNOTES_CITATION = (
    "Lohweg, V. & Doerksen, H. (2012). Banknote Authentication. UCI Machine Learning Repository "
    "(id 267), DOI 10.24432/C55P57. Licence CC BY 4.0; the app ships this data unchanged."
)


class DatasetError(ValueError):
    """A data problem a user can fix; the message says how."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """A classification data set in original units: `X` is rows × features, `y` class ids."""

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    description: str = ""
    notices: tuple[str, ...] = field(default=())

    def __post_init__(self):
        self.fingerprint  # noqa: B018  (made with the data set: every copy a cache hands out carries it)

    @property
    def n_features(self) -> int:
        return self.X.shape[1]

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @functools.cached_property
    def fingerprint(self) -> str:
        """A short content hash: a cache key that changes whenever the numbers do. Made once, when
        the data set is (a page run asks for it in every cached call), and pickled with it."""
        digest = hashlib.sha256()
        digest.update(np.ascontiguousarray(self.X, dtype=np.float64).tobytes())
        digest.update(np.ascontiguousarray(self.y, dtype=np.int64).tobytes())
        digest.update("|".join(self.feature_names + self.class_names).encode())
        return digest.hexdigest()[:16]

    def class_counts(self) -> dict[str, int]:
        counts = np.bincount(self.y, minlength=self.n_classes)
        return {name: int(n) for name, n in zip(self.class_names, counts)}


def parse_banknotes(text: str, source: str) -> Dataset:
    """Parse the course CSV (a header row, then one row per note) and check every fact."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise DatasetError(f"{source} is empty; expected {BANKNOTES_ROWS} rows of banknote data.")
    try:
        table = np.loadtxt(io.StringIO("\n".join(lines[1:])), delimiter=",", ndmin=2)
    except ValueError as err:
        raise DatasetError(
            f"{source} is not banknote data: a row is not five comma-separated numbers ({err})."
        ) from None
    if table.shape[1] != 5:
        raise DatasetError(
            f"{source} has {table.shape[1]} columns; banknote data has 5 "
            "(variance, skewness, kurtosis, entropy, class)."
        )
    if table.shape[0] != BANKNOTES_ROWS:
        raise DatasetError(
            f"{source} has {table.shape[0]} rows; the banknote data has {BANKNOTES_ROWS}. "
            "The file is truncated or not the right one."
        )
    if not np.isfinite(table).all():
        raise DatasetError(f"{source} contains missing or infinite values.")
    labels = table[:, 4]
    if not np.isin(labels, (0, 1)).all():
        raise DatasetError(f"{source}: the class column must be 0 (genuine) or 1 (forged).")
    return Dataset(
        name="banknotes",
        X=table[:, :4].astype(np.float64),
        y=labels.astype(np.int64),
        feature_names=BANKNOTE_FEATURES,
        class_names=BANKNOTE_CLASSES,
        description=BANKNOTES_DESCRIPTION,
    )


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DatasetError(f"{path} cannot be read: {err.strerror or err}.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DatasetError(f"{path} is not a text file; expected banknote data as CSV.") from None


def load_banknotes(path: str | os.PathLike | None = None) -> Dataset:
    """The banknote data: the file given, else the copy that ships with the app (data/banknotes.csv)."""
    path = Path(path or BANKNOTES_FILE)
    return parse_banknotes(_read_text(path), str(path))


def _from_sklearn(name: str, loader, description: str) -> Dataset:
    bunch = loader()
    names = [str(n) for n in getattr(bunch, "target_names", sorted(set(bunch.target)))]
    features = getattr(bunch, "feature_names", None)
    if features is None:
        features = [f"x{i}" for i in range(bunch.data.shape[1])]
    return Dataset(
        name=name,
        X=np.asarray(bunch.data, dtype=np.float64),
        y=np.asarray(bunch.target, dtype=np.int64),
        feature_names=tuple(str(f) for f in features),
        class_names=tuple(names),
        description=description,
    )


def _bundled():
    from sklearn import datasets as sk

    return {
        "wine": (
            sk.load_wine,
            "Wine recognition (scikit-learn's bundled copy of the UCI data): "
            "178 wines from three cultivars, 13 chemical measurements. The lesson's exercise.",
        ),
        "iris": (
            sk.load_iris,
            "Iris (scikit-learn's bundled copy): 150 flowers of three species, "
            "four measurements of sepals and petals.",
        ),
        "breast_cancer": (
            sk.load_breast_cancer,
            "Breast cancer Wisconsin (diagnostic), "
            "scikit-learn's bundled copy: 569 tumours, 30 features, malignant or benign.",
        ),
        "digits": (
            sk.load_digits,
            "Handwritten digits (scikit-learn's bundled copy): 1,797 images "
            "of 8×8 pixels, 64 features, 10 classes.",
        ),
    }


DATASET_NAMES = ("banknotes", "wine", "iris", "breast_cancer", "digits")


def load_dataset(name: str) -> Dataset:
    """Load a named data set; raises DatasetError with an actionable message."""
    if name == "banknotes":
        return load_banknotes()
    bundled = _bundled()
    if name not in bundled:
        raise DatasetError(f"Unknown data set {name!r}; choose one of {', '.join(DATASET_NAMES)}.")
    loader, description = bundled[name]
    return _from_sklearn(name, loader, description)
