"""The plain Keras script equivalent to a `TrainConfig`, so a student can redo a run in a notebook.

The script uses the same split, scaling, layer names, optimizer and fit settings
as the app, and the model `lib.keras_model.build_model` builds. Keras draws its own
initial weights and minibatch order (and dropout masks and input noise), so its numbers are close
to the app's, not identical.
"""

from __future__ import annotations

from lib import engine
from lib.datasets import Dataset
from lib.keras_model import KERAS_INITIALIZERS, dropout_seed, noise_seed
from lib.training import TrainConfig, network_name, output_activation, output_nodes

OPTIMIZER_CODE = {
    "sgd": "keras.optimizers.SGD(learning_rate={lr})",
    "momentum": "keras.optimizers.SGD(learning_rate={lr}, momentum={momentum})",
    "nesterov": "keras.optimizers.SGD(learning_rate={lr}, momentum={momentum}, nesterov=True)",
    "rmsprop": "keras.optimizers.RMSprop(learning_rate={lr})",
    "adam": "keras.optimizers.Adam(learning_rate={lr})",
    "adagrad": "keras.optimizers.Adagrad(learning_rate={lr})",
}
SKLEARN_LOADERS = {
    "wine": "load_wine",
    "iris": "load_iris",
    "breast_cancer": "load_breast_cancer",
    "digits": "load_digits",
}


def _imports(dataset: Dataset) -> str:
    """The script's imports: only what the app itself installs (requirements.txt), so it runs there."""
    imports = "import altair as alt\nimport keras\nimport pandas as pd\n"
    if dataset.name == "banknotes":
        return imports
    return imports + f"from sklearn.datasets import {SKLEARN_LOADERS[dataset.name]}\n"


def _load_data(dataset: Dataset) -> str:
    if dataset.name == "banknotes":
        return (
            "# 1. The data: the course's banknotes.csv, saved beside this script (the app's copy is\n"
            "# data/banknotes.csv in its repository): a header row, then 4 features and the class.\n"
            'data = pd.read_csv("banknotes.csv")\n'
            "X = data.iloc[:, :4].to_numpy(dtype=float)\n"
            "y = data.iloc[:, 4].to_numpy(dtype=int)\n"
            f"class_names = {list(dataset.class_names)!r}\n"
        )
    loader = SKLEARN_LOADERS[dataset.name]
    return (
        f"# 1. The data: scikit-learn's bundled {dataset.name} data set.\n"
        f"X, y = {loader}(return_X_y=True)\n"
        f"class_names = {list(dataset.class_names)!r}\n"
    )


def _initializer(config: TrainConfig, layer: int) -> str:
    name = KERAS_INITIALIZERS[config.initializer]
    if name == "Zeros":
        return "keras.initializers.Zeros()"
    return f"keras.initializers.{name}(seed={config.seed + layer})"


def _dense(
    out: str, units: int, activation: str, name: str, initializer: str, source: str, l2: float = 0.0
) -> str:
    indent = " " * len(f"{out} = keras.layers.Dense(")
    decay = f",\n{indent}kernel_regularizer=keras.regularizers.L2({l2:g})" if l2 else ""
    return (
        f'{out} = keras.layers.Dense({units}, activation="{activation}", name="{name}",\n'
        f"{indent}kernel_initializer={initializer}{decay})({source})"
    )


def keras_script(config: TrainConfig, dataset: Dataset) -> str:
    """A runnable script: load, split, standardize, build, compile, fit, feature model, plot."""
    if dataset.name != "banknotes" and dataset.name not in SKLEARN_LOADERS:
        raise ValueError(f"No loading code for the data set {dataset.name!r}.")
    binary = dataset.n_classes == 2
    nodes = output_nodes(dataset.n_classes)
    output = engine.OUTPUTS[output_activation(dataset.n_classes)]
    sizes = network_name(config.layer_sizes(dataset.n_features, dataset.n_classes))
    hidden = engine.ACTIVATIONS[config.activation].keras
    layers = []
    if config.noise:
        layers.append(
            f"x = keras.layers.GaussianNoise({config.noise:g}, seed={noise_seed(config)}, "
            'name="input_noise")(x)  # in training only'
        )
    for i, width in enumerate(config.hidden):
        layers.append(_dense("x", width, hidden, f"hidden_{i + 1}", _initializer(config, i), "x", config.l2))
    n = len(config.hidden)
    if config.dropout:
        layers.append(
            f"x = keras.layers.Dropout({config.dropout:g}, seed={dropout_seed(config)}, "
            'name="dropout")(x)  # in training only'
        )
    layers.append(
        _dense("h", config.bottleneck_nodes, hidden, "bottleneck", _initializer(config, n), "x", config.l2)
    )
    layers.append(_dense("outputs", nodes, output.keras, "output", _initializer(config, n + 1), "h"))
    targets = (
        "t_train, t_test = y_train, y_test\n"
        if binary
        else f"t_train = keras.utils.to_categorical(y_train, {nodes})\n"
        f"t_test = keras.utils.to_categorical(y_test, {nodes})\n"
    )
    optimizer = OPTIMIZER_CODE[config.optimizer].format(lr=config.learning_rate, momentum=config.momentum)
    return f'''"""Bottleneck Lab, reproduced in plain Keras: a {sizes} network on the {dataset.name} data.

Bottleneck Lab trains with the same split, scaling and settings; Keras draws its own
initial weights and minibatch order, so your numbers will be close, not identical.
"""
{_imports(dataset)}from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

{_load_data(dataset)}
# 2. Hold out test rows, then standardize with the training rows' mean and std only.
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size={config.test_size}, random_state={config.split_seed})
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
{targets}
# 3. The network. The {config.bottleneck_nodes}-node layer named "bottleneck" is the one we plot.
inputs = keras.Input(shape=({dataset.n_features},), name="features")
x = inputs
{chr(10).join(layers)}
model = keras.Model(inputs, outputs, name="bottleneck_mlp")
model.summary()

# 4. Train: Keras holds out the last {config.validation_split:.0%} of the training rows for validation.
model.compile(optimizer={optimizer},
              loss="{output.keras_loss}", metrics=["accuracy"])
history = model.fit(X_train, t_train, batch_size={config.batch_size}, epochs={config.epochs},
                    validation_split={config.validation_split}, verbose=0)
test_loss, test_accuracy = model.evaluate(X_test, t_test, verbose=0)
print(f"test accuracy: {{test_accuracy:.3f}}")

# 5. The feature model: from the input to the bottleneck. Each test row becomes 2 numbers.
#    The course's K.function([model.input], [layer.output]) is today's
#    keras.Model(model.inputs, layer.output).
feature_model = keras.Model(model.input, model.get_layer("bottleneck").output)
bottleneck = feature_model.predict(X_test, verbose=0)
print("bottleneck activations:", bottleneck.shape)

# 6. The map: the test rows in the bottleneck plane, coloured by their true class, drawn with
#    Altair as the app draws it. In a notebook, end a cell with `chart` to see it there.
points = pd.DataFrame({{"node_1": bottleneck[:, 0], "node_2": bottleneck[:, 1],
                       "class": [class_names[label] for label in y_test]}})
chart = alt.Chart(points, title="The test rows in the bottleneck plane").mark_circle(size=30).encode(
    x=alt.X("node_1", title="bottleneck node 1"),
    y=alt.Y("node_2", title="bottleneck node 2"),
    color=alt.Color("class", title="true class"),
)
chart.save("bottleneck_map.png")  # drawn without a browser (vl-convert, installed with the app)
print("The map is in bottleneck_map.png")
'''
