"""Test double of the `langgraph` package (PyPI is out of reach here)."""
