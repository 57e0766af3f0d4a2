"""A teacher's own CSV as a `Dataset`, or a `DatasetError` saying what to change in the file.

A CSV from a spreadsheet can be almost anything: another delimiter or encoding,
text in a number column, gaps, a measurement where a class belongs. Each rule
here either repairs the file in a way a notice reports (dropped columns and rows,
a sample) or refuses it with a sentence a student can act on. Nothing is written
to disk: the bytes come in, a `Dataset` goes out.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from lib.datasets import BANKNOTE_CLASSES, BANKNOTE_FEATURES, BANKNOTES_DESCRIPTION, Dataset, DatasetError

DELIMITERS = (",", ";", "\t")
TARGET_NAMES = ("class", "target", "label", "y", "species")
MIN_FEATURES = 2
MIN_CLASS_ROWS = 5
MAX_CLASSES = 50
FEW_DECIMAL_CLASSES = 10  # non-whole numbers are classes only if there are this few of them
MAX_FEATURES = 1000
MAX_ROWS = 100_000
SAMPLE_SEED = 0
SNIFF_CHARS = 64_000
MISSING = ["", "?", "NA", "N/A", "n/a", "na", "NaN", "nan", "null", "NULL", "None", "none"]
CONSTANT = "the same value in every row, so they cannot tell classes apart"
FORMAT_HINT = (
    "Save it from the spreadsheet as CSV: one header row naming the columns, then one "
    "row per example, numeric feature columns and a class column."
)


def read_csv(data, target: str | None = None, name: str | None = None) -> Dataset:
    """Bytes, a binary or text file object, or a path → a classification `Dataset`.

    `target` names the class column; without it a column called class, target,
    label, y or species (any case) is used, else the last column. `name` is the
    file name the messages use (a path or a file object's name is used otherwise).
    """
    text, source, notices = _text(data, name)
    delimiter = _delimiter(text, source)
    names = _header(text, delimiter, source)
    frame, skipped = _frame(text, delimiter, names, source)
    _check_unique(names, source)
    if target is None:
        target = guess_target(names)
    elif target not in names:
        raise DatasetError(f"{source} has no column named '{target}'; its columns are {_quoted(names)}.")
    labels = _labels(frame[target], target, source)
    columns, values, dropped = _features(frame.drop(columns=[target]))
    X, labels, row_notices = _complete_rows(values, labels, columns, skipped, source)
    constant = np.ptp(X, axis=0) == 0
    if constant.any():
        dropped[CONSTANT] = [c for c, k in zip(columns, constant) if k]
        X, columns = X[:, ~constant], [c for c, k in zip(columns, constant) if not k]
    notices += [
        f"Dropped {_count(len(v), 'column')} ({reason}): {_quoted(v)}." for reason, v in dropped.items()
    ] + row_notices
    _check_features(columns, dropped, target, source)
    class_names, y = _classes(labels, target, source)
    if len(y) > MAX_ROWS:
        keep = _stratified_sample(y, MAX_ROWS)
        notices.append(
            f"The file has {len(y):,} usable rows; the app uses a random sample of "
            f"{len(keep):,} of them, each class keeping its share (seed {SAMPLE_SEED})."
        )
        X, y = X[keep], y[keep]
    if _is_the_course_file(columns, class_names):
        return _as_banknotes(X, y, source, notices)
    return Dataset(
        name="upload",
        X=np.ascontiguousarray(X, dtype=np.float64),
        y=y.astype(np.int64),
        feature_names=tuple(columns),
        class_names=class_names,
        description=(
            f"Your own data ({source}): {len(y):,} rows, {len(columns)} numeric features, "
            f"and {len(class_names)} classes from the column '{target}'."
        ),
        notices=tuple(notices),
    )


def csv_columns(data, name: str | None = None) -> tuple[str, ...]:
    """The header's column names (for a target picker); refuses what `read_csv` would refuse there."""
    text, source, _ = _text(data, name)
    names = _header(text, _delimiter(text, source), source)
    _check_unique(names, source)
    return tuple(names)


def guess_target(columns) -> str:
    """A column named like a class column (first of TARGET_NAMES, any case), else the last."""
    by_name = {}
    for column in columns:
        by_name.setdefault(column.lower(), column)
    return next((by_name[n] for n in TARGET_NAMES if n in by_name), columns[-1])


# --- bytes → text ---------------------------------------------------------------------------


def _text(data, name: str | None) -> tuple[str, str, list[str]]:
    raw, source = _raw(data)
    source = name or source
    if not raw.strip():
        raise DatasetError(f"{source} is empty. {FORMAT_HINT}")
    notices = []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    elif b"\x00" in raw:
        raise _binary(source)
    else:
        encodings = ("utf-8-sig", "cp1252", "latin-1")
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _binary(source)
    if encoding in ("cp1252", "latin-1"):
        notices.append(f"{source} is not UTF-8; it was read as Latin-1 (Windows-1252) text.")
    sample = text[:SNIFF_CHARS]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r") or 127 <= ord(ch) < 160)
    if controls > 0.01 * len(sample):
        raise _binary(source)
    return text, source, notices


def _raw(data) -> tuple[bytes, str]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data), "The file"
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        try:
            return path.read_bytes(), path.name
        except OSError as err:
            raise DatasetError(f"{path} cannot be read: {err.strerror or err}.") from None
    if hasattr(data, "read"):
        content = data.read()
        if isinstance(content, str):
            content = content.encode("utf-8")
        return bytes(content), Path(str(getattr(data, "name", "") or "The file")).name
    raise TypeError(f"read_csv takes bytes, a file object or a path, not {type(data).__name__}")


def _binary(source: str) -> DatasetError:
    return DatasetError(f"{source} is not a text file (is it a spreadsheet or an image?). {FORMAT_HINT}")


# --- text → table ---------------------------------------------------------------------------


def _sample_lines(text: str) -> list[str]:
    lines = text[:SNIFF_CHARS].splitlines()
    if len(text) > SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last one may be cut off
    return [line for line in lines if line.strip()]


def _delimiter(text: str, source: str) -> str:
    """The delimiter whose header has ≥ 2 columns and whose rows agree with it most often."""
    sample = "\n".join(_sample_lines(text))
    best = None
    for delimiter in DELIMITERS:
        try:
            rows = [row for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        score = (sum(len(row) == len(rows[0]) for row in rows) / len(rows), len(rows[0]))
        if best is None or score > best[0]:
            best = (score, delimiter)
    if best is None:
        quote = ' (or a quote mark " in its first row is never closed)' if '"' in sample[:1000] else ""
        raise DatasetError(
            f"{source} has a single column{quote}: the app needs feature columns and a class "
            "column separated by commas, semicolons or tabs, with a header row naming them "
            "(for example: length,width,class)."
        )
    return best[1]


def _header(text: str, delimiter: str, source: str) -> list[str]:
    """The first non-blank record's names; unnamed columns get "column N"."""
    try:
        first = next(row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row)
    except (csv.Error, StopIteration):
        raise DatasetError(f"{source}: the header row cannot be read. {FORMAT_HINT}") from None
    return [cell.strip() or f"column {i + 1}" for i, cell in enumerate(first)]


def _check_unique(names: list[str], source: str) -> None:
    seen = {}
    for i, name in enumerate(names):
        if name in seen:
            raise DatasetError(
                f"{source} has two columns named '{name}' (columns {seen[name] + 1} and {i + 1}): "
                "give every column its own name in the header row."
            )
        seen[name] = i


def _decimal(text: str, delimiter: str) -> str:
    """Semicolon and tab files from European spreadsheets often write 1,5 for 1.5."""
    if delimiter == ",":
        return "."
    sample = "\n".join(_sample_lines(text))
    comma = len(re.findall(r"(?<![\w.,])-?\d+,\d+(?![\w.,])", sample))
    point = len(re.findall(r"(?<![\w.,])-?\d+\.\d+(?![\w.,])", sample))
    return "," if comma > point else "."


def _frame(text: str, delimiter: str, names: list[str], source: str) -> tuple[pd.DataFrame, int]:
    """All rows under the header; rows with more cells than the header are skipped and counted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=0,
                index_col=False,
                decimal=_decimal(text, delimiter),
                skipinitialspace=True,
                on_bad_lines="warn",
                na_values=MISSING,
                keep_default_na=False,
                low_memory=False,
            )
        except (ValueError, csv.Error, OverflowError) as err:
            detail = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
            raise DatasetError(
                f"{source} cannot be read as CSV ({detail}). Check for a quote "
                f"mark that is never closed. {FORMAT_HINT}"
            ) from None
    if frame.shape[1] != len(names):
        raise DatasetError(f"{source}: the header row cannot be read. {FORMAT_HINT}")
    if frame.empty:
        raise DatasetError(f"{source} has a header row but no data rows below it.")
    skipped = sum(str(w.message).count("Skipping line") for w in caught)
    if _header_is_data(names, frame):
        raise DatasetError(
            f"{source} has no header row: its first row ({_quoted(names, limit=6)}) looks like data. "
            "Add a first row that names the columns, for example: length,width,class."
        )
    frame.columns = names
    return frame, skipped


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _header_is_data(names: list[str], frame: pd.DataFrame) -> bool:
    """A header cell is a name unless it is a number or a value its column repeats below."""
    for name, column in zip(names, frame.columns):
        if _is_number(name):
            continue
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) or name not in set(values.dropna().astype(str)):
            return False
    return True


# --- table → features and classes ----------------------------------------------------------


def _labels(column: pd.Series, target: str, source: str) -> pd.Series:
    """Class labels as text (missing: NA); numbers are classes only when there are few."""
    numbers = _as_numbers(column)
    present = column.notna()
    if numbers is not None and numbers[present].notna().all():
        distinct = np.unique(numbers[np.isfinite(numbers)])
        whole = np.all(distinct == np.round(distinct))
        if (whole and len(distinct) <= MAX_CLASSES) or len(distinct) <= FEW_DECIMAL_CLASSES:
            return numbers.where(np.isfinite(numbers)).map(_number_name, na_action="ignore")
        raise DatasetError(
            f"The target column '{target}' holds {len(distinct):,} different numbers, so it looks "
            "like a measurement rather than a class. This app classifies: the target must be a "
            f"column of class labels (text, or whole numbers with at most {MAX_CLASSES} different "
            "values)."
        )
    labels = column.astype("string").str.strip()
    return labels.where(labels != "")


def _number_name(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _as_numbers(column: pd.Series) -> pd.Series | None:
    if pd.api.types.is_bool_dtype(column):
        return column.astype(float)
    if pd.api.types.is_numeric_dtype(column):
        return column.astype(float)
    try:
        return pd.to_numeric(column.astype("string").str.strip(), errors="coerce").astype(float)
    except (ValueError, TypeError, OverflowError):
        return None


def _features(frame: pd.DataFrame) -> tuple[list[str], np.ndarray, dict[str, list[str]]]:
    """Numeric columns (text cells in them become gaps); text and empty columns are dropped."""
    columns, values = [], []
    dropped = {"empty": [], "text, not numbers": []}
    for name in frame.columns:
        column = frame[name]
        numbers = _as_numbers(column)
        present = int(column.notna().sum())
        if present == 0:
            dropped["empty"].append(name)
        elif numbers is None or numbers.notna().sum() < present / 2:
            dropped["text, not numbers"].append(name)
        else:
            columns.append(name)
            values.append(numbers.to_numpy(dtype=np.float64))
    matrix = np.column_stack(values) if values else np.empty((len(frame), 0))
    return columns, matrix, {k: v for k, v in dropped.items() if v}


def _complete_rows(
    X: np.ndarray, labels: pd.Series, columns: list[str], skipped: int, source: str
) -> tuple[np.ndarray, pd.Series, list[str]]:
    """Keep the rows with a class and a finite number in every feature column."""
    good = np.isfinite(X).all(axis=1) & labels.notna().to_numpy()
    total = len(good) + skipped
    notices = []
    if skipped:
        notices.append(f"Skipped {_count(skipped, 'row')} with more cells than the header has columns.")
    if not good.any():
        gaps = (~np.isfinite(X)).sum(axis=0)
        worst = (
            f" The column '{columns[int(np.argmax(gaps))]}' alone has {int(gaps.max()):,} gaps."
            if len(columns) and gaps.max()
            else ""
        )
        raise DatasetError(
            f"{source}: every row has a missing, infinite or non-numeric value (or no class), so "
            f"no row is left to learn from.{worst} Fill the gaps or remove that column."
        )
    if not good.all():
        notices.append(
            f"Dropped {_count(int((~good).sum()), 'row')} of {total:,} with a missing, "
            "infinite or non-numeric value, or no class."
        )
    return X[good], labels[good].reset_index(drop=True), notices


def _check_features(columns: list[str], dropped: dict, target: str, source: str) -> None:
    if len(columns) < MIN_FEATURES:
        why = "".join(f" Dropped ({reason}): {_quoted(v)}." for reason, v in dropped.items())
        raise DatasetError(
            f"{source} has {len(columns)} usable numeric feature column(s) besides the target "
            f"'{target}'; the app needs at least {MIN_FEATURES}.{why}"
        )
    if len(columns) > MAX_FEATURES:
        raise DatasetError(
            f"{source} has {len(columns):,} feature columns; the app handles at most "
            f"{MAX_FEATURES:,}. Keep the most useful ones and upload again."
        )


def _classes(labels: pd.Series, target: str, source: str) -> tuple[tuple[str, ...], np.ndarray]:
    names, counts = np.unique(labels.to_numpy(dtype=object).astype(str), return_counts=True)
    if len(names) < 2:
        raise DatasetError(
            f"The target column '{target}' has only one class ('{names[0]}'); a "
            "classifier needs at least 2. Choose another target column."
        )
    if len(names) > MAX_CLASSES:
        raise DatasetError(
            f"The target column '{target}' has {len(names):,} different values; the app "
            f"handles at most {MAX_CLASSES} classes. Choose a column with fewer classes."
        )
    small = [f"'{n}' ({_count(int(c), 'row')})" for n, c in zip(names, counts) if c < MIN_CLASS_ROWS]
    if small:
        raise DatasetError(
            f"Every class needs at least {MIN_CLASS_ROWS} rows (for the training, validation and "
            f"test rows), but in '{target}' these have fewer: {', '.join(small[:10])}. Remove or "
            "merge those classes, or choose another target column."
        )
    order = _natural_order(names)
    code = {name: i for i, name in enumerate(order)}
    return tuple(str(n) for n in order), np.array([code[v] for v in labels.astype(str)], dtype=np.int64)


def _natural_order(names) -> list[str]:
    """Numbers by value (2 before 10), then text alphabetically."""
    return sorted(names, key=lambda n: (0, float(n), "") if _is_number(n) else (1, 0.0, n))


def _stratified_sample(y: np.ndarray, size: int) -> np.ndarray:
    """About `size` row ids, each class keeping its share (and at least MIN_CLASS_ROWS rows)."""
    counts = np.bincount(y)
    share = counts * size / len(y)
    take = np.floor(share).astype(int)
    take[np.argsort(take - share)[: size - take.sum()]] += 1  # largest remainders round up
    take = np.maximum(take, np.minimum(counts, MIN_CLASS_ROWS))
    rng = np.random.default_rng(SAMPLE_SEED)
    keep = [rng.choice(np.flatnonzero(y == c), n, replace=False) for c, n in enumerate(take)]
    return np.sort(np.concatenate(keep))


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _quoted(names, limit: int = 12) -> str:
    shown = ", ".join(f"'{n}'" for n in list(names)[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


COURSE_BANKNOTE_COLUMNS = (("variace", "variance"), ("skewness",), ("curtosis", "kurtosis"), ("entropy",))


def _is_the_course_file(columns: list[str], class_names: tuple[str, ...]) -> bool:
    """The course's banknotes.csv (its header spells "variace" and "curtosis") or the same columns."""
    names = [c.strip().lower() for c in columns]
    return (
        len(names) == len(COURSE_BANKNOTE_COLUMNS)
        and all(n in spellings for n, spellings in zip(names, COURSE_BANKNOTE_COLUMNS))
        and class_names == ("0", "1")
    )


def _as_banknotes(X: np.ndarray, y: np.ndarray, source: str, notices: list[str]) -> Dataset:
    """The uploaded banknote data under the names the app gives it when it loads the data itself."""
    return Dataset(
        name="banknotes",
        X=np.ascontiguousarray(X, dtype=np.float64),
        y=y.astype(np.int64),
        feature_names=BANKNOTE_FEATURES,
        class_names=BANKNOTE_CLASSES,
        description=BANKNOTES_DESCRIPTION,
        notices=(
            f"{source} was recognised as the banknote data: class 0 is a genuine note, 1 a forged one.",
            *notices,
        ),
    )
