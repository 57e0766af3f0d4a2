"""Bottleneck Lab's functional core: plain, deterministic Python with no Streamlit in it."""

import os

# Set before anything imports TensorFlow: quiet logs, and oneDNN's reordered arithmetic
# off, so that a config gives the same numbers in every process on every CPU.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
