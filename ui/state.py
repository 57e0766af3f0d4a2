"""Every key of the app's session state, named once, with why it is there.

Widget keys are session-state keys too: a widget with `key=K` keeps its value in
`st.session_state[K]`, which is how a link or a stored config can set it before it
is drawn. `LINKED` says which query parameter of a link (`lib.settings.SETTINGS`) a
page control's key holds.
"""

from __future__ import annotations

from lib.lesson import QUESTIONS

# The data set (ui/data.py)
DATASET = "dataset_name"  # the sidebar's choice of data set; a bundled name or "upload"
CSV_UPLOADER = "csv_uploader"  # the file-upload widget (forgets its file when not drawn)
CSV_FILE = "csv_file"  # (file name, bytes, digest) of the upload, kept while the uploader is not drawn
CSV_TARGET = "csv_target"  # the upload's class column (a widget)
CSV_READ = "csv_read"  # (digest, target) → what reading the upload gave, read once per file and target

# The network and its training (ui/train_controls.py)
CONFIG = "train_config"  # the TrainConfig every page trains and shows
CONFIG_DATA = "train_config_data"  # (data fingerprint, config) as last stored: whose config it is
CONTROLS_PAGE = "controls_page"  # the page last run: the controls' widgets belong to it
N_HIDDEN = "n_hidden"  # number of hidden layers before the bottleneck (a widget)
NODES = ("nodes_1", "nodes_2", "nodes_3")  # nodes in each hidden layer (widgets); one per possible layer
WIDTHS = "hidden_widths"  # every layer's nodes, also of layers switched off for now
EPOCHS = "epochs"  # widgets of the TrainConfig fields
ACTIVATION = "activation"
OPTIMIZER = "optimizer"
LEARNING_RATE = "learning_rate"
BATCH_SIZE = "batch_size"
SPLIT_SEED = "split_seed"
INIT_SEED = "init_seed"
INITIALIZER = "initializer"
# widget key → the TrainConfig field it sets (besides the layers)
CONFIG_WIDGETS = {
    EPOCHS: "epochs",
    ACTIVATION: "activation",
    OPTIMIZER: "optimizer",
    LEARNING_RATE: "learning_rate",
    BATCH_SIZE: "batch_size",
    SPLIT_SEED: "split_seed",
    INIT_SEED: "seed",
    INITIALIZER: "initializer",
}

# Links (ui/links.py, ui/classroom.py)
LINK_READ = "link_read"  # set once the session's first run has read the address
LINK_WRITTEN = "link_written"  # the query last written to the address
LINK_NOTICES = "link_notices"  # what the opening link could not use, shown until the settings change
LINK_LOCK = "link_lock"  # settings a classroom link locks (controls shown, disabled)
LINK_HIDE = "link_hide"  # settings a classroom link hides (controls not drawn, value used)
CLASSROOM_LOCK = "classroom_lock"  # the link maker's choice of settings to lock (a widget)
CLASSROOM_HIDE = "classroom_hide"  # ... and to hide

# The lesson, step by step (app_pages/lesson.py)
LESSON_STEP = "lesson_step"  # the step shown (a widget)
LESSON_ANSWERS = "lesson_answers"  # step number → the option chosen, kept while the session lasts
LESSON_CHOICE = {n: f"lesson_choice_{n}" for n in QUESTIONS}  # each step's question (widgets)

# The data page
PAIRPLOT_FEATURES = "pairplot_features"  # the features plotted

# Re-initializations
GALLERY_RUNS = "gallery_runs"  # number of seeds

# Compare reductions
COMPARE_METHODS = "compare_methods"
COMPARE_ALL_ROWS = "compare_all_rows"
COMPARE_PERPLEXITY = "compare_perplexity"
COMPARE_ITERATIONS = "compare_iterations"

# Gradient descent: compare runs
GD_VARY = "gd_vary"  # which training choice varies
GD_MODEL = "gd_model"  # logistic regression or the current network
GD_EPOCHS = "gd_epochs"
GD_SEED = "gd_seed"
GD_VALUES = {  # the values compared, one list per choice varied (lib.experiments.VARIABLES)
    "learning_rate": "gd_values_learning_rate",
    "batch_size": "gd_values_batch_size",
    "optimizer": "gd_values_optimizer",
    "initializer": "gd_values_initializer",
}
# Gradient descent: the loss surface
SF_X1 = "sf_x1"  # the feature of each weight
SF_X2 = "sf_x2"
SF_W1 = "sf_w1"  # the start of each weight
SF_W2 = "sf_w2"
SF_MODE = "sf_mode"  # compare learning rates or optimizers
SF_STEPS = "sf_steps"
SF_BATCH = "sf_batch"  # rows per step (0: all)
SF_RATES = "sf_rates"  # the learning rates compared
SF_RATE = "sf_rate"  # the learning rate of the optimizers compared
SF_OPTIMIZERS = "sf_optimizers"
# Gradient descent: backpropagation
BP_DEPTH = "bp_depth"  # hidden layers of the deep nets
BP_ADAPTIVE = "bp_adaptive"  # train them with the current optimizer instead of plain SGD

# query key of a link (lib.settings.SETTINGS) → the key of the page control holding it;
# the TrainConfig's settings travel through CONFIG instead, the data set through DATASET.
LINKED = {
    "step": LESSON_STEP,
    "pairplot": PAIRPLOT_FEATURES,
    "runs": GALLERY_RUNS,
    "methods": COMPARE_METHODS,
    "all_rows": COMPARE_ALL_ROWS,
    "perplexity": COMPARE_PERPLEXITY,
    "iterations": COMPARE_ITERATIONS,
    "vary": GD_VARY,
    "model": GD_MODEL,
    "gd_epochs": GD_EPOCHS,
    "gd_seed": GD_SEED,
    "gd_rates": GD_VALUES["learning_rate"],
    "gd_batches": GD_VALUES["batch_size"],
    "gd_optimizers": GD_VALUES["optimizer"],
    "gd_inits": GD_VALUES["initializer"],
    "feature1": SF_X1,
    "feature2": SF_X2,
    "start_w1": SF_W1,
    "start_w2": SF_W2,
    "paths": SF_MODE,
    "steps": SF_STEPS,
    "rows_per_step": SF_BATCH,
    "surface_rates": SF_RATES,
    "surface_lr": SF_RATE,
    "surface_optimizers": SF_OPTIMIZERS,
    "depth": BP_DEPTH,
    "adaptive": BP_ADAPTIVE,
}
SETTING_OF = {key: name for name, key in LINKED.items()}  # control key → its setting
