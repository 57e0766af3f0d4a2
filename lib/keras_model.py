"""The lesson's network as a Keras model, for the exported `.keras` file and for comparing the
engine with Keras' own training; `lib.codegen` writes the same model as a script."""

from __future__ import annotations

from lib import engine
from lib.training import TrainConfig, layer_names, output_activation, output_nodes

# Keras' class name of each initializer in `lib.initializers` (one name table for model and script).
KERAS_INITIALIZERS = {
    "glorot_uniform": "GlorotUniform",
    "glorot_normal": "GlorotNormal",
    "he_uniform": "HeUniform",
    "he_normal": "HeNormal",
    "lecun_uniform": "LecunUniform",
    "lecun_normal": "LecunNormal",
    "uniform": "RandomUniform",
    "normal": "RandomNormal",
    "zeros": "Zeros",
}


# The Keras model's GaussianNoise and Dropout layers each draw from a generator of their own, seeded
# past the initializers' seeds (seed + layer): no two of them draw the same numbers.
def noise_seed(config: TrainConfig) -> int:
    return config.seed + 1000


def dropout_seed(config: TrainConfig) -> int:
    return config.seed + 1001


def build_model(config: TrainConfig, n_features: int, n_classes: int):
    """The Keras functional model of `config` and its feature model (input → bottleneck).

    Seeded initializers make a fresh model a function of the config; `Run.weights`
    can be loaded with `model.set_weights` to get the trained network. Input noise and dropout, if
    the config has them, are layers of their own (GaussianNoise on the inputs, Dropout before the
    bottleneck) that act in training only and hold no weights.
    """
    import keras

    init = lambda i: keras.initializers.get(
        {"class_name": KERAS_INITIALIZERS[config.initializer], "config": {"seed": config.seed + i}}
        if config.initializer != "zeros"
        else "zeros"
    )
    decay = keras.regularizers.L2(config.l2) if config.l2 else None
    names = layer_names(config)
    hidden = engine.ACTIVATIONS[config.activation].keras
    inputs = keras.Input(shape=(n_features,), name="features")
    x = inputs
    if config.noise:
        x = keras.layers.GaussianNoise(config.noise, seed=noise_seed(config), name="input_noise")(x)
    for i, width in enumerate((*config.hidden, config.bottleneck_nodes)):
        if config.dropout and i == len(config.hidden):
            x = keras.layers.Dropout(config.dropout, seed=dropout_seed(config), name="dropout")(x)
        x = keras.layers.Dense(
            width, activation=hidden, kernel_initializer=init(i), kernel_regularizer=decay, name=names[i]
        )(x)
    bottleneck = x
    outputs = keras.layers.Dense(
        output_nodes(n_classes),
        activation=engine.OUTPUTS[output_activation(n_classes)].keras,
        kernel_initializer=init(len(config.hidden) + 1),
        name="output",
    )(bottleneck)
    model = keras.Model(inputs, outputs, name="bottleneck_mlp")
    return model, keras.Model(inputs, bottleneck, name="features_to_bottleneck")
