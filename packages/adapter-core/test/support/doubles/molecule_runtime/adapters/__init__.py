"""Test double of `molecule_runtime.adapters` (PyPI is out of reach here)."""

from .base import AdapterConfig, BaseAdapter

__all__ = ["AdapterConfig", "BaseAdapter"]
