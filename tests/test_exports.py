"""Downloads carry the run's real numbers and a model that reloads to the same predictions."""
import io

import numpy as np
import pandas as pd

from lib.exports import bottleneck_frame, csv_bytes, keras_bytes
from lib.training import DEEPER_LESSON, split, train


def test_bottleneck_csv_has_the_test_rows_and_activations(banknotes):
    run = train(banknotes, DEEPER_LESSON)
    frame = pd.read_csv(io.BytesIO(csv_bytes(bottleneck_frame(run, banknotes))))
    assert len(frame) == 412
    assert list(frame.columns) == ["row_id", "variance", "skewness", "kurtosis", "entropy", "class",
                                   "bottleneck_1", "bottleneck_2", "predicted"]
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
