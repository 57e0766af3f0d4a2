"""Every key of the app's session state that is not a setting's, named once, with why it is there.

A setting's key (`lib.settings.Setting.key`) is its link's query key, its control's key and so its
session-state key: a widget with `key=K` keeps its value in `st.session_state[K]`, which is how a
link or a new data set's preset sets it before it is drawn. The keys below are the rest.
"""

from __future__ import annotations

from lib.lesson import QUESTIONS

# The uploaded data set (ui/data.py)
CSV_UPLOADER = "csv_uploader"  # the file-upload widget (forgets its file when not drawn)
CSV_FILE = "csv_file"  # (file name, bytes, digest) of the upload, kept while the uploader is not drawn
CSV_TARGET = "csv_target"  # the upload's class column (a widget)
CSV_READ = "csv_read"  # (digest, target) → what reading the upload gave, read once per file and target

# The page's width (ui/layout.py)
CHART_WIDTH = "chart_width"  # the band of widths the browser says the page's charts have (a component)

# The network and its training (ui/train_controls.py)
CONFIG = "train_config"  # the TrainConfig the settings describe, as built on this run
CONFIG_DATA = "train_config_data"  # the fingerprint of the data set the settings were last built for
N_HIDDEN = "n_hidden"  # the number of hidden layers before the bottleneck (a widget of the setting "hidden")


def nodes(layer: int) -> str:
    """The key of the widget of the nodes in hidden layer `layer` (from 1), one per possible layer."""
    return f"nodes_{layer}"


# Links (ui/links.py, ui/classroom.py)
LINK_READ = "link_read"  # set once the session's first run has read the address
LINK_WRITTEN = "link_written"  # the query last written to the address
LINK_NOTICES = "link_notices"  # what the opening link could not use, shown until the settings change
LINK_LOCK = "link_lock"  # settings a classroom link locks (controls shown, disabled)
LINK_HIDE = "link_hide"  # settings a classroom link hides (controls not drawn, value used)
CLASSROOM_LOCK = "classroom_lock"  # the link maker's choice of settings to lock (a widget)
CLASSROOM_HIDE = "classroom_hide"  # ... and to hide

# The lesson, step by step (app_pages/lesson.py)
LESSON_ANSWERS = "lesson_answers"  # step number → the option chosen, kept while the session lasts
LESSON_CHOICE = {n: f"lesson_choice_{n}" for n in QUESTIONS}  # each step's question (widgets)

# The check against Keras' own model.fit (ui/keras_check.py)
KERAS_CHECK = "keras_check"  # ((data fingerprint, config), KerasCheck): the last check, for that network
KERAS_CHECK_BUTTON = "keras_check_button"  # its button
