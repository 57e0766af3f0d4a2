"""Bottleneck Lab's functional core: plain, deterministic Python with no Streamlit in it."""

import os

# Set before anything imports TensorFlow: quiet logs, and oneDNN's reordered arithmetic
# off, so that a config gives the same numbers in every process on every CPU. One thread per
# op and between ops: the networks are tiny, so TensorFlow's thread pools only spun (a training
# cost 0.12-0.19 s of CPU with them and 0.10 s without, in the same wall time); a server's
# parallelism is its sessions.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
