"""Test double of `molecule_runtime.adapters.base` (PyPI is out of reach here).

The interface assumed, as in the runtime: an abstract BaseAdapter with static name/display_name/description,
get_config_schema, async setup(config) and create_executor(config), async transcript_lines(since, limit), and
install_plugins_via_registry(config, plugins), which here only records its arguments.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any


@dataclass
class AdapterConfig:
    model: str = ""
    system_prompt: str | None = None
    tools: list = field(default_factory=list)
    runtime_config: Any = field(default_factory=dict)
    config_path: str = "/configs"
    workspace_id: str = ""
    prompt_files: list = field(default_factory=list)
    a2a_port: int = 8000
    heartbeat: Any = None


class BaseAdapter(ABC):
    @staticmethod
    @abstractmethod
    def name() -> str: ...

    @staticmethod
    @abstractmethod
    def display_name() -> str: ...

    @staticmethod
    @abstractmethod
    def description() -> str: ...

    @staticmethod
    def get_config_schema() -> dict:
        return {}

    @abstractmethod
    async def setup(self, config: AdapterConfig) -> None: ...

    @abstractmethod
    async def create_executor(self, config: AdapterConfig): ...

    async def transcript_lines(self, since: int = 0, limit: int = 100) -> dict:
        return {"runtime": self.name(), "supported": False, "lines": [], "cursor": since, "more": False,
                "source": None}

    async def install_plugins_via_registry(self, config: AdapterConfig, plugins) -> list:
        self.installed_plugins = getattr(self, "installed_plugins", []) + [(config, plugins)]
        return []
