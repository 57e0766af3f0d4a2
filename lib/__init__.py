"""Bottleneck Lab's functional core: plain, deterministic Python with no Streamlit in it."""

import os

# Set before anything imports TensorFlow: quiet logs, and oneDNN's reordered arithmetic
# off, so that a config gives the same numbers in every process on every CPU.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# One thread per operation and between operations: the networks are small, and a class's sessions
# train side by side. TensorFlow's default pools (one thread a core) spun between tiny operations:
# the lesson's training took 25-35 % more CPU, and more time, for the same numbers to the bit.
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
