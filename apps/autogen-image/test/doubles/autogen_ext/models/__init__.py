"""Test double of `autogen_ext.models` (PyPI is out of reach here)."""
