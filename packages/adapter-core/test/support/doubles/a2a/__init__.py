"""Test double of the `a2a` package, pip `a2a-sdk` (PyPI is out of reach here)."""
