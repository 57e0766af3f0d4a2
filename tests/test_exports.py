"""Downloads carry the run's real numbers and a model that reloads to the same predictions."""

import io
import json

import numpy as np
import pandas as pd
import pytest

from lib.exports import bottleneck_frame, csv_bytes, keras_bytes
from lib.training import DEEPER_LESSON, TrainConfig, split, train


def test_bottleneck_csv_has_the_test_rows_and_activations(banknotes):
    run = train(banknotes, DEEPER_LESSON)
    frame = pd.read_csv(io.BytesIO(csv_bytes(bottleneck_frame(run, banknotes))))
    assert len(frame) == 412
    assert list(frame.columns) == [
        "row_id",
        "variance",
        "skewness",
        "kurtosis",
        "entropy",
        "class",
        "bottleneck_1",
        "bottleneck_2",
        "predicted",
    ]
    np.testing.assert_allclose(frame[["bottleneck_1", "bottleneck_2"]], run.snapshots[-1], rtol=1e-6)
    assert set(frame["class"]) == {"genuine", "forged"}
    np.testing.assert_allclose(frame["variance"], banknotes.X[frame["row_id"], 0])


def test_keras_file_reloads_with_the_trained_weights(banknotes, tmp_path):
    import keras

    run = train(banknotes, DEEPER_LESSON)
    path = tmp_path / "model.keras"
    path.write_bytes(keras_bytes(run))
    model = keras.saving.load_model(path)
    x_test = split(banknotes, DEEPER_LESSON).x_test
    probability = model.predict(x_test, verbose=0)[:, 0]
    np.testing.assert_allclose(probability, run.probabilities()[:, 1], rtol=1e-4, atol=1e-5)
    assert model.get_layer("bottleneck").units == 2


def test_projections_csv_has_a_column_pair_per_method(banknotes):
    from lib.exports import projections_frame
    from lib.projections import Embedding

    rows = np.array([5, 9, 200])
    flat = Embedding(
        "lda", np.array([[1.0, 0.3], [2.0, -0.1], [3.0, 0.2]]), 0.0, True, True, ("LD1", "jitter"), dims=1
    )
    pca = Embedding("pca", np.arange(6.0).reshape(3, 2), 0.0, False, True, ("PC1", "PC2"))
    frame = pd.read_csv(io.BytesIO(csv_bytes(projections_frame(banknotes, rows, [pca, flat]))))
    assert list(frame.columns) == ["row_id", "class", "pca_1", "pca_2", "lda_1", "lda_2"]
    assert frame["row_id"].tolist() == [5, 9, 200]
    assert frame["class"].tolist() == [banknotes.class_names[banknotes.y[r]] for r in rows]
    assert frame["pca_2"].tolist() == [1.0, 3.0, 5.0]
    assert frame["lda_1"].tolist() == [1.0, 2.0, 3.0] and frame["lda_2"].isna().all()  # jitter is not data


@pytest.mark.parametrize("fmt, start", [("svg", b"<svg"), ("png", b"\x89PNG"), ("json", b"{")])
def test_a_chart_saves_as_svg_png_and_its_source(banknotes, fmt, start):
    from lib.charts import plane
    from lib.charts.common import arrow_datasets
    from lib.charts.files import chart_file
    from lib.charts.player import plane_spec

    run = train(banknotes, TrainConfig(hidden=(3,), epochs=2))
    [spec] = arrow_datasets(
        plane_spec(run, banknotes, plane.plane_extent(run.snapshots), 2, 280)
    )  # as cached
    data = chart_file(spec, fmt)
    assert data.startswith(start) and len(data) > 1000
    if fmt == "svg":  # the title and every test row are in the picture
        assert f"Epoch 2 · test accuracy {run.snapshot_accuracy[2]:.1%}".encode() in data
        assert data.count(b"<path") >= len(run.y_test)
    if fmt == "json":
        assert len(json.loads(data)["datasets"]["points"]) == len(run.y_test)


def test_an_unknown_chart_format_is_refused():
    from lib.charts.files import chart_file

    with pytest.raises(ValueError, match="svg"):
        chart_file({}, "gif")
