"""Test double of `langgraph.checkpoint` (PyPI is out of reach here)."""
