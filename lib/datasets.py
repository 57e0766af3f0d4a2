"""Finding, reading and validating the data sets the app teaches with.

Every problem a user can cause (a missing, truncated or wrong file) becomes a
`DatasetError` whose message names the file and says what to do, so a page can
show it instead of a traceback.
"""

from __future__ import annotations

import hashlib
import io
import os
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

BANKNOTES_URL = (
    "https://archive.ics.uci.edu/ml/machine-learning-databases/00267/data_banknote_authentication.txt"
)
BANKNOTES_ENV = "BANKNOTES_CSV"
CACHE_ENV = "BOTTLENECK_LAB_CACHE"
BANKNOTES_ROWS = 1372
BANKNOTE_FEATURES = ("variance", "skewness", "kurtosis", "entropy")
BANKNOTE_CLASSES = ("genuine", "forged")
BANKNOTES_DESCRIPTION = (
    "Banknote authentication (UCI Machine Learning Repository, id 267; Lohweg & "
    "Doerksen, 2012; CC BY 4.0). 1,372 photographs of genuine and forged banknotes, "
    "each summarised by four statistics of its wavelet-transformed image: variance, "
    "skewness, kurtosis and entropy."
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

    @property
    def n_features(self) -> int:
        return self.X.shape[1]

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def fingerprint(self) -> str:
        """A short content hash: a cache key that changes whenever the numbers do."""
        digest = hashlib.sha256()
        digest.update(np.ascontiguousarray(self.X, dtype=np.float64).tobytes())
        digest.update(np.ascontiguousarray(self.y, dtype=np.int64).tobytes())
        digest.update("|".join(self.feature_names + self.class_names).encode())
        return digest.hexdigest()[:16]

    def class_counts(self) -> dict[str, int]:
        counts = np.bincount(self.y, minlength=self.n_classes)
        return {name: int(n) for name, n in zip(self.class_names, counts)}


def cache_dir() -> Path:
    """Where a downloaded copy is kept between runs (override with $BOTTLENECK_LAB_CACHE)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("bottleneck-lab"))


def missing_banknotes_help() -> str:
    return (
        "The banknote data could not be found or downloaded. Download "
        f"{BANKNOTES_URL} (or the course's banknotes.csv) and save it as "
        f"{cache_dir() / 'banknotes.csv'} (looked at again on the next attempt), or set the "
        f"environment variable {BANKNOTES_ENV} to its path and restart the app."
    )


class BanknotesUnavailable(DatasetError):
    """No banknote file here and no download: `reason` says why in plain words, `cache_path` where
    a copy may be put (it is looked at again on every attempt, no restart needed)."""

    def __init__(self, reason: str, cache_path: Path):
        super().__init__(f"The banknote data could not be downloaded: {reason}. " + missing_banknotes_help())
        self.reason = reason
        self.cache_path = cache_path


def parse_banknotes(text: str, source: str) -> Dataset:
    """Parse the course CSV (with header) or UCI's headerless text, and check every fact."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise DatasetError(f"{source} is empty; expected {BANKNOTES_ROWS} rows of banknote data.")
    first = lines[0].split(",")
    if not _is_number(first[0]):
        lines = lines[1:]
    try:
        table = np.loadtxt(io.StringIO("\n".join(lines)), delimiter=",", ndmin=2)
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
            "The file is truncated or not the right one: download it again."
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


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DatasetError(f"{path} cannot be read: {err.strerror or err}.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DatasetError(f"{path} is not a text file; expected banknote data as CSV.") from None


DOWNLOAD_TIMEOUT = 4.0  # seconds to connect and between bytes: a blocked address fails fast
RETRY_AFTER = 300.0  # seconds a failed download is remembered, so page changes do not wait again
_failure: tuple[float, str] | None = None  # (when, reason) of the last failed download
_failure_lock = threading.Lock()


def _download(url: str, timeout: float = DOWNLOAD_TIMEOUT) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def _failure_reason(err: Exception) -> str:
    """Why a download failed, for a student rather than a network administrator."""
    cause = getattr(err, "reason", err)
    if isinstance(err, urllib.error.HTTPError):
        return f"the download address answered with error {err.code}"
    if isinstance(cause, socket.gaierror):
        return "this computer cannot reach the internet (the download address could not be looked up)"
    if isinstance(cause, TimeoutError | socket.timeout):
        return (
            f"the download address did not answer within {DOWNLOAD_TIMEOUT:g} s "
            "(no internet connection, or a firewall blocks it)"
        )
    if isinstance(cause, ConnectionError):
        return "the connection to the download address was refused or dropped"
    if isinstance(err, UnicodeDecodeError):
        return "what came back was not the banknote text"
    return "the network is not reachable from here"


def _download_or_remember(download, now: float) -> str:
    """The download's text; a failure is remembered for RETRY_AFTER seconds and raised at once."""
    global _failure
    with _failure_lock:
        if _failure is not None and now - _failure[0] < RETRY_AFTER:
            raise BanknotesUnavailable(_failure[1], cache_dir() / "banknotes.csv")
    try:
        return download(BANKNOTES_URL)
    except (urllib.error.URLError, OSError, UnicodeDecodeError) as err:
        reason = _failure_reason(err)
        with _failure_lock:
            _failure = (now, reason)
        raise BanknotesUnavailable(reason, cache_dir() / "banknotes.csv") from None


def forget_failed_download() -> None:
    """Try the download again on the next attempt (the retry pause is over, or tests start clean)."""
    global _failure
    with _failure_lock:
        _failure = None


def _write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and a rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".banknotes-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def load_banknotes(path: str | os.PathLike | None = None, download=_download) -> Dataset:
    """The given path, else $BANKNOTES_CSV, else the cached copy, else the UCI download."""
    explicit = path or os.environ.get(BANKNOTES_ENV)
    if explicit:
        explicit = Path(explicit)
        if not explicit.exists():
            raise DatasetError(
                f"{explicit} does not exist ({BANKNOTES_ENV} or the given path points there). "
                + missing_banknotes_help()
            )
        return parse_banknotes(_read_text(explicit), str(explicit))
    cached = cache_dir() / "banknotes.csv"
    if cached.exists():
        try:
            return parse_banknotes(_read_text(cached), str(cached))
        except DatasetError:
            pass  # a damaged cache is replaced by a fresh download below
    text = _download_or_remember(download, time.monotonic())
    dataset = parse_banknotes(text, BANKNOTES_URL)
    _write_atomically(cached, text)
    return dataset


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
