"""Bottleneck Lab's functional core: plain, deterministic Python with no Streamlit in it."""
