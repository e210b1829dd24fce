"""Test double of the `molecule_runtime` package (PyPI is out of reach here, so the real one cannot be installed)."""
