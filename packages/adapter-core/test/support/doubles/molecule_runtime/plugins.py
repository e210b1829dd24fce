"""Test double of `molecule_runtime.plugins` (PyPI is out of reach here): load_plugins records its folders."""

from dataclasses import dataclass

calls = []


@dataclass
class LoadedPlugins:
    workspace_plugins_dir: str
    shared_plugins_dir: str


def load_plugins(workspace_plugins_dir: str, shared_plugins_dir: str) -> LoadedPlugins:
    calls.append({"workspace_plugins_dir": workspace_plugins_dir, "shared_plugins_dir": shared_plugins_dir})
    return LoadedPlugins(workspace_plugins_dir, shared_plugins_dir)
