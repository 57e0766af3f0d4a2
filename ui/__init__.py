"""Streamlit glue shared by the pages: data selection, cached lib calls, messages."""
