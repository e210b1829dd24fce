"""Test double of the `autogen_ext` package, pip autogen-ext (PyPI is out of reach here)."""
