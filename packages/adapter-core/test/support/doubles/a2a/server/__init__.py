"""Test double of `a2a.server` (PyPI is out of reach here)."""
