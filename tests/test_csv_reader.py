"""read_csv: every rule for a teacher's own CSV, and a property test over generated files."""

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.csv_reader import MAX_ROWS, csv_columns, guess_target, read_csv
from lib.datasets import Dataset, DatasetError, load_dataset

SPECIES = ("setosa", "versicolor", "virginica")


def table(rows: int = 30, delimiter: str = ",", target: str = "species") -> str:
    """A small iris-like CSV: four numeric features and a text class, 10 rows per class."""
    header = delimiter.join(["sepal_length", "sepal_width", "petal_length", "petal_width", target])
    lines = [
        delimiter.join(
            [f"{4 + i % 7}.{i % 10}", f"{2 + i % 5}.5", f"{1 + i % 3}.25", f"{i % 11}.5", SPECIES[i % 3]]
        )
        for i in range(rows)
    ]
    return "\n".join([header, *lines]) + "\n"


def frame_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def features_and_class(n: int = 20, **columns) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), **columns})
    if "class" not in frame:
        frame["class"] = np.arange(n) % 2
    return frame


def assert_valid(dataset: Dataset) -> None:
    """What every page relies on: finite numbers, matching shapes, ≥ 2 classes of ≥ 5 rows."""
    assert isinstance(dataset, Dataset)
    assert dataset.X.dtype == np.float64 and dataset.X.ndim == 2
    assert np.isfinite(dataset.X).all()
    assert dataset.X.shape == (len(dataset.y), len(dataset.feature_names))
    assert dataset.X.shape[1] >= 2
    assert dataset.y.dtype == np.int64
    assert set(np.unique(dataset.y)) == set(range(dataset.n_classes))
    assert 2 <= dataset.n_classes <= 50
    assert min(dataset.class_counts().values()) >= 5
    assert len(set(dataset.class_names)) == dataset.n_classes
    assert all(isinstance(n, str) for n in dataset.class_names + dataset.feature_names)


# --- inputs, delimiters and encodings ---------------------------------------------------------


def test_reads_a_small_table():
    dataset = read_csv(table().encode(), name="iris.csv")
    assert_valid(dataset)
    assert dataset.name == "upload"
    assert dataset.feature_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert dataset.class_counts() == {"setosa": 10, "versicolor": 10, "virginica": 10}
    assert dataset.X[0].tolist() == [4.0, 2.5, 1.25, 0.5]
    assert dataset.notices == ()
    assert "iris.csv" in dataset.description and "'species'" in dataset.description


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "utf-16"])
def test_delimiter_and_encoding_are_detected(delimiter, encoding):
    text = table(delimiter=delimiter).replace("virginica", "virgínica")
    dataset = read_csv(text.encode(encoding))
    assert dataset.feature_names[0] == "sepal_length"  # a BOM would have stuck to the name
    assert dataset.class_names == ("setosa", "versicolor", "virgínica")
    np.testing.assert_array_equal(dataset.X, read_csv(table().encode()).X)


def test_latin1_is_reported():
    dataset = read_csv(table().replace("setosa", "sétosa").encode("latin-1"))
    assert "sétosa" in dataset.class_names
    assert any("Latin-1" in n for n in dataset.notices)


def test_decimal_commas_with_semicolons():
    european = table(delimiter=";").replace(".", ",")
    np.testing.assert_array_equal(read_csv(european.encode()).X, read_csv(table().encode()).X)


def test_quoted_cells_may_hold_the_delimiter():
    frame = features_and_class(name=[f"note, {i}" for i in range(20)])
    dataset = read_csv(frame_csv(frame))
    assert dataset.feature_names == ("a", "b")
    assert any("'name'" in n for n in dataset.notices)


def test_bytes_file_objects_and_paths_read_alike(tmp_path):
    path = tmp_path / "flowers.csv"
    path.write_text(table())
    binary = io.BytesIO(table().encode())
    binary.name = "upload/flowers.csv"
    readings = [
        read_csv(table().encode()),
        read_csv(path),
        read_csv(str(path)),
        read_csv(binary),
        read_csv(io.StringIO(table())),
    ]
    assert len({r.fingerprint for r in readings}) == 1
    assert "flowers.csv" in readings[1].description and "flowers.csv" in readings[3].description


def test_a_missing_path_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="cannot be read"):
        read_csv(tmp_path / "nowhere.csv")


def test_bundled_data_exported_as_csv_reads_back():
    wine = load_dataset("wine")
    frame = pd.DataFrame(wine.X, columns=wine.feature_names)
    frame["class"] = np.asarray(wine.class_names)[wine.y]
    dataset = read_csv(frame_csv(frame))
    np.testing.assert_allclose(dataset.X, wine.X)
    np.testing.assert_array_equal(dataset.y, wine.y)
    assert dataset.class_names == wine.class_names


# --- the header --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "3.6,8.6,-2.8,-0.4,0\n4.5,8.1,-2.4,-1.4,0\n3.8,-2.6,1.9,0.1,1\n",  # UCI banknotes, no header
        "5.1,3.5,1.4,0.2,setosa\n4.9,3.0,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n",  # UCI iris
    ],
)
def test_a_header_row_is_required(text):
    with pytest.raises(DatasetError, match="no header row"):
        read_csv(text.encode())


def test_numbered_column_names_are_a_header():
    frame = pd.DataFrame(np.random.default_rng(1).integers(0, 16, size=(20, 3)))
    frame["target"] = np.arange(20) % 2
    assert read_csv(frame_csv(frame)).feature_names == ("0", "1", "2")


def test_duplicate_column_names_are_refused():
    with pytest.raises(DatasetError, match="two columns named 'width' \\(columns 1 and 3\\)"):
        read_csv(b"width,height,width,class\n" + b"1,2,3,a\n" * 10)
    with pytest.raises(DatasetError, match="two columns named"):
        csv_columns(b"width,height,width,class\n1,2,3,a\n")


def test_unnamed_columns_get_a_name():
    frame = features_and_class()
    text = frame_csv(frame).replace(b"a,b,class", b"a,,class", 1)
    assert read_csv(text).feature_names == ("a", "column 2")


# --- the target --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["class", "Species", "LABEL", "y", "Target"])
def test_a_class_like_column_is_the_target(name):
    frame = features_and_class()
    frame = frame.rename(columns={"class": name})[[name, "a", "b"]]  # target first, not last
    dataset = read_csv(frame_csv(frame))
    assert dataset.feature_names == ("a", "b")
    assert f"'{name}'" in dataset.description


def test_otherwise_the_last_column_is_the_target():
    assert guess_target(["x", "kind"]) == "kind"
    frame = features_and_class().rename(columns={"class": "kind"})
    assert read_csv(frame_csv(frame)).feature_names == ("a", "b")


def test_the_target_can_be_named():
    frame = features_and_class(group=np.arange(20) % 4)
    dataset = read_csv(frame_csv(frame), target="group")
    assert dataset.class_names == ("0", "1", "2", "3")
    assert dataset.feature_names == ("a", "b", "class")
    with pytest.raises(DatasetError, match="no column named 'kind'; its columns are 'a', 'b'"):
        read_csv(frame_csv(frame), target="kind")


def test_csv_columns_lists_the_header_for_a_target_picker():
    assert csv_columns(table(delimiter=";").encode("utf-8-sig")) == (
        "sepal_length",
        "sepal_width",
        "petal_length",
        "petal_width",
        "species",
    )


def test_whole_number_labels_are_classes_in_numeric_order():
    frame = features_and_class(30, **{"class": np.repeat([10, 2, 1], 10).astype(float)})
    dataset = read_csv(frame_csv(frame))
    assert dataset.class_names == ("1", "2", "10")
    assert dataset.class_counts() == {"1": 10, "2": 10, "10": 10}


def test_a_continuous_target_is_refused():
    frame = features_and_class(60, price=np.linspace(1, 2, 60))
    with pytest.raises(DatasetError, match="60 different numbers.*measurement.*classifies"):
        read_csv(frame_csv(frame), target="price")
    ages = features_and_class(100, age=np.arange(100))
    with pytest.raises(DatasetError, match="measurement"):
        read_csv(frame_csv(ages), target="age")


# --- features and rows -------------------------------------------------------------------------


def test_text_columns_are_dropped_and_listed():
    frame = features_and_class(name=[f"id{i}" for i in range(20)], colour=["red", "blue"] * 10)
    dataset = read_csv(frame_csv(frame))
    assert dataset.feature_names == ("a", "b")
    assert "Dropped 2 columns (text, not numbers): 'name', 'colour'." in dataset.notices


def test_constant_columns_are_dropped_and_listed():
    dataset = read_csv(frame_csv(features_and_class(ones=[1.0] * 20, c=np.arange(20.0))))
    assert dataset.feature_names == ("a", "b", "c")
    assert any(
        n.startswith("Dropped 1 column (the same value in every row") and "'ones'" in n
        for n in dataset.notices
    )


def test_rows_with_gaps_infinities_or_text_are_dropped_and_counted():
    frame = features_and_class(30).astype({"a": object})
    frame.loc[0, "a"] = ""
    frame.loc[1, "a"] = "inf"
    frame.loc[2, "a"] = "oops"
    frame.loc[3, "b"] = np.nan
    frame.loc[4, "class"] = None
    dataset = read_csv(frame_csv(frame))
    assert len(dataset.y) == 25
    assert (
        "Dropped 5 rows of 30 with a missing, infinite or non-numeric value, or no class." in dataset.notices
    )


def test_rows_longer_than_the_header_are_skipped_and_counted():
    text = frame_csv(features_and_class()) + b"1,2,1,99\n"
    dataset = read_csv(text)
    assert len(dataset.y) == 20
    assert "Skipped 1 row with more cells than the header has columns." in dataset.notices


def test_all_rows_dropped_names_the_worst_column():
    frame = features_and_class(gaps=[np.nan] * 19 + [1.0])
    frame.loc[19, "a"] = np.nan
    with pytest.raises(DatasetError, match="no row is left.*'gaps' alone has 19 gaps"):
        read_csv(frame_csv(frame))


# --- limits --------------------------------------------------------------------------------------


def test_at_least_two_feature_columns():
    frame = features_and_class(word=["x"] * 20).drop(columns="b")
    with pytest.raises(DatasetError, match="1 usable numeric feature column.*at least 2.*'word'"):
        read_csv(frame_csv(frame))


def test_at_least_two_classes():
    with pytest.raises(DatasetError, match="only one class \\('1'\\)"):
        read_csv(frame_csv(features_and_class(**{"class": [1] * 20})))


def test_at_least_five_rows_per_class():
    labels = ["a"] * 10 + ["b"] * 7 + ["c"] * 3
    with pytest.raises(DatasetError, match="at least 5 rows.*'c' \\(3 rows\\)"):
        read_csv(frame_csv(features_and_class(**{"class": labels})))


def test_at_most_fifty_classes():
    labels = [f"kind {i % 51}" for i in range(51 * 5)]
    with pytest.raises(DatasetError, match="51 different values.*at most 50 classes"):
        read_csv(frame_csv(features_and_class(len(labels), **{"class": labels})))


def test_at_most_a_thousand_feature_columns():
    frame = pd.DataFrame(
        np.random.default_rng(2).normal(size=(10, 1001)), columns=[f"f{i}" for i in range(1001)]
    )
    frame["class"] = np.arange(10) % 2
    with pytest.raises(DatasetError, match="1,001 feature columns.*at most 1,000"):
        read_csv(frame_csv(frame))


def test_large_files_are_sampled_down_stratified_and_seeded():
    n = MAX_ROWS + 20_000
    rng = np.random.default_rng(3)
    labels = np.where(rng.random(n) < 0.1, "rare", "common")
    frame = pd.DataFrame({"a": rng.normal(size=n).round(3), "b": np.arange(n), "class": labels})
    data = frame_csv(frame)
    dataset = read_csv(data)
    assert len(dataset.y) == MAX_ROWS
    share = dataset.class_counts()["rare"] / MAX_ROWS
    assert share == pytest.approx((labels == "rare").mean(), abs=1e-4)
    assert np.all(np.diff(dataset.X[:, 1]) > 0)  # file order is kept
    assert f"{n:,} usable rows" in dataset.notices[-1] and "seed 0" in dataset.notices[-1]
    assert read_csv(data).fingerprint == dataset.fingerprint


# --- files that are not tables -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "is empty"),
        (b" \n\n  \r\n", "is empty"),
        (bytes(np.random.default_rng(4).integers(0, 256, 3000, dtype=np.uint8)), "not a text file"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"xl/workbook.xml" * 20, "not a text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (b"weight\n1\n2\n3\n", "single column"),
        (b"a,b,class\n", "no data rows"),
        (b'a,b,class\n1,2,"x\n3,4,y\n', "quote mark"),
    ],
)
def test_files_that_are_not_tables_get_a_clear_message(data, message):
    with pytest.raises(DatasetError, match=message):
        read_csv(data, name="mine.csv")


def test_messages_name_the_file():
    with pytest.raises(DatasetError, match="^mine.csv is empty"):
        read_csv(b"", name="mine.csv")


def test_an_upload_trains_with_a_softmax_output():
    from lib.training import TrainConfig, train

    rng = np.random.default_rng(5)
    labels = np.repeat(["low", "mid", "high"], 20)
    centre = {"low": 0.0, "mid": 3.0, "high": 6.0}
    frame = pd.DataFrame(
        {
            "u": [centre[c] for c in labels] + rng.normal(size=60),
            "v": rng.normal(size=60),
            "w": rng.normal(size=60),
            "class": labels,
        }
    )
    dataset = read_csv(frame_csv(frame))
    run = train(dataset, TrainConfig(hidden=(4,), epochs=3))
    assert run.layer_sizes[-1] == 3
    assert run.probabilities(3).shape == (len(run.y_test), 3)


# --- any generated file: a valid Dataset or a DatasetError, nothing else ------------------------

WORDS = st.sampled_from(
    [
        "a",
        "b",
        "x y",
        "é",
        "Ünïcode",
        "1,5",
        "N/A",
        "?",
        "nan",
        "inf",
        "-inf",
        "TRUE",
        "",
        " ",
        '"',
        "''",
        "12abc",
        "1e3",
        "0x1F",
        "—",
        "\u00a0",
    ]
)
TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=6)
NUMBERS = st.one_of(
    st.integers(-1000, 1000).map(str), st.floats(allow_nan=True, allow_infinity=True, width=32).map(repr)
)
MESSY = st.one_of(NUMBERS, NUMBERS, NUMBERS, WORDS, TEXT)
TIDY = st.sampled_from(
    [str(n) for n in range(-9, 10)] + [f"{n / 7:.3f}" for n in range(-20, 20)] + ["", "nan", "1,5", "x"]
)
NAMES = st.one_of(st.sampled_from(["a", "b", "c", "class", "Label", "y", "1", " d ", ""]), TEXT)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"])


@st.composite
def csv_files(draw):
    """Mostly table-like text (so that some files are valid), with every kind of damage."""
    delimiter = draw(st.sampled_from([",", ",", ",", ";", ";", "\t", "\t", "|"]))
    n_cols = draw(st.sampled_from([1, 2, 3, 3, 4, 4, 5, 6]))
    n_rows = draw(st.one_of(st.integers(0, 9), st.integers(15, 60), st.integers(15, 60)))
    cell = draw(st.sampled_from([MESSY, TIDY, TIDY, TIDY]))
    names = draw(st.lists(NAMES, min_size=n_cols, max_size=n_cols, unique=draw(st.booleans())))
    labels = draw(st.sampled_from([["0", "1"], ["cat", "dog", "emu"], ["0", "1", "", "3.5", "x"]]))
    rows = []
    for label in draw(st.lists(st.sampled_from(labels), min_size=n_rows, max_size=n_rows)):
        n_cells = draw(st.sampled_from([n_cols - 1] * 8 + [n_cols - 2, n_cols]))
        rows.append([*draw(st.lists(cell, min_size=max(n_cells, 0), max_size=max(n_cells, 0))), label])
    quoting = draw(st.sampled_from([csv_quote_minimal, csv_quote_all, csv_no_quotes]))
    text = "\n".join(quoting(row, delimiter) for row in [names, *rows])
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode(draw(ENCODINGS), errors="replace")
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))] + draw(st.binary(max_size=20))
    target = draw(st.one_of(st.none(), st.none(), st.sampled_from(names)))
    return data, target


def csv_quote_minimal(row, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(row)
    return buffer.getvalue()


def csv_quote_all(row, delimiter):
    return delimiter.join('"' + cell.replace('"', '""') + '"' for cell in row)


def csv_no_quotes(row, delimiter):
    return delimiter.join(row)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_any_file_gives_a_valid_dataset_or_a_dataset_error(generated):
    data, target = generated
    try:
        dataset = read_csv(data, target=target)
    except DatasetError as err:
        assert str(err)
        return
    assert_valid(dataset)


@st.composite
def tidy_tables(draw):
    """A clean table (features, then a class column) and its rows in a random supported format."""
    n_rows, n_features = draw(st.integers(10, 40)), draw(st.integers(2, 5))
    values = draw(
        st.lists(
            st.lists(st.integers(-99, 99), min_size=n_features, max_size=n_features),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
    matrix = 1000 * np.array(values) + np.arange(n_rows)[:, None]  # no column is constant
    classes = draw(st.sampled_from([("no", "yes"), ("rosé", "rouge", "blanc"), ("1", "2", "3", "4")]))
    labels = draw(st.permutations([classes[i % len(classes)] for i in range(n_rows)]))
    if n_rows < 5 * len(classes):
        labels = [classes[i % 2] for i in range(n_rows)]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    quoting = draw(st.sampled_from([csv_quote_minimal, csv_quote_all, csv_no_quotes]))
    names = [f"féature {i}" for i in range(n_features)] + ["Class"]
    rows = [[*map(str, row), label] for row, label in zip(matrix.tolist(), labels)]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(quoting(row, delimiter) for row in [names, *rows]) + newline
    return text.encode(draw(ENCODINGS)), matrix, labels


@settings(max_examples=60, deadline=None)
@given(tidy_tables())
def test_a_tidy_table_reads_back_exactly_in_any_supported_format(generated):
    data, matrix, labels = generated
    dataset = read_csv(data)
    assert_valid(dataset)
    np.testing.assert_array_equal(dataset.X, matrix)
    assert [dataset.class_names[i] for i in dataset.y] == list(labels)
