"""The gemini-cli template's adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

Google's Gemini CLI, run once a turn as a subprocess (cli_executor.py, beside this file in /app). Routing is
adapter-core's (molecule_adapter_core): the model (env MODEL or runtime_config.model, gemini-2.5-pro by default) and
a provider from the registry, whose key and endpoint are exported under the names the CLI reads, GEMINI_API_KEY and
GOOGLE_GEMINI_BASE_URL, before the CLI inherits the environment.
"""

from __future__ import annotations

import logging
import os

import cli_executor
import molecule_adapter_core as core
from molecule_adapter_core import Provider
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

logger = logging.getLogger(__name__)

# A config.yaml beside this file, if the image ships one, is searched after /opt/adapter/config.yaml.
BESIDE_ADAPTER_REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.yaml")

# The Gemini CLI's persistent context file (its CLAUDE.md), read from the folder it works in.
MEMORY_FILE = "GEMINI.md"

RULES = core.Rules(
    builtin=(
        # The CLI reads GEMINI_API_KEY; a key handed in as GOOGLE_API_KEY is copied there.
        Provider("gemini", auth_mode="gemini_api_key", model_prefixes=("gemini-",),
                 auth_env=("GEMINI_API_KEY", "GOOGLE_API_KEY"), auth_token_env="GEMINI_API_KEY",
                 base_url_env="GOOGLE_GEMINI_BASE_URL"),
    ),
    default_model="gemini-2.5-pro",
    label="gemini-cli",
    aliases={"google": "gemini", "google_genai": "gemini"},
    default_auth_mode="gemini_api_key",
    default_token_env="GEMINI_API_KEY",
    default_base_url_env="GOOGLE_GEMINI_BASE_URL",
    # "google:gemini-2.5-flash" and "gemini:…" are other spellings of the CLI's own model ids.
    strip_model_prefixes=("google:", "gemini:"),
)


def timeout_of(runtime_config) -> float | None:
    """runtime_config.timeout in seconds; 0, unset or not a number: no limit (the CLI runs until it answers)."""
    value = core.setting(runtime_config, "timeout")
    try:
        seconds = float(value or 0)
    except (TypeError, ValueError):
        logger.warning("gemini-cli: runtime_config.timeout %r is not a number of seconds; no time limit", value)
        return None
    return seconds if seconds > 0 else None


def seed_memory_file(config: AdapterConfig) -> None:
    """GEMINI.md in the config folder from the system prompt, when there is none yet: the CLI has no system-prompt
    flag, so its role reaches it as context. An existing GEMINI.md is the agent's and is left as it is."""
    path = os.path.join(config.config_path, MEMORY_FILE)
    prompt = core.system_prompt(config)
    if not prompt or os.path.lexists(path):
        return
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(prompt)
        logger.info("gemini-cli: wrote %s from the system prompt", path)
    except OSError as exc:  # a read-only config mount must not stop the workspace
        logger.warning("gemini-cli: could not write %s: %s", path, exc)


class GeminiCLIAdapter(BaseAdapter):
    # What setup() chose; create_executor() runs the CLI with it.
    selection: core.Selection | None = None

    @staticmethod
    def name() -> str:
        return "gemini-cli"

    @staticmethod
    def display_name() -> str:
        return "Gemini CLI"

    @staticmethod
    def description() -> str:
        return "Google's Gemini CLI: agentic coding with file and shell tools and MCP, on Gemini models"

    @staticmethod
    def get_config_schema() -> dict:
        return {
            "model": {"type": "string", "description": "Gemini model (e.g. gemini-2.5-pro, gemini-2.5-flash)",
                      "default": RULES.default_model},
            "required_env": {"type": "array", "description": "Environment variables the workspace needs",
                             "default": ["GEMINI_API_KEY"]},
            "timeout": {"type": "integer", "description": "Seconds a turn may take (0: no limit)", "default": 0},
        }

    def memory_filename(self) -> str:
        return MEMORY_FILE

    def _select(self, config: AdapterConfig) -> core.Selection:
        return core.select(config.config_path, config.runtime_config, RULES,
                           registry_files=(BESIDE_ADAPTER_REGISTRY,))

    async def setup(self, config: AdapterConfig) -> None:
        self.selection = self._select(config)
        seed_memory_file(config)
        await core.install_plugins(self, config)

    async def create_executor(self, config: AdapterConfig):
        selection = self.selection or self._select(config)
        timeout = timeout_of(config.runtime_config)

        async def turn(prompt: str, thread_id: str | None) -> str:
            # The CLI keeps no session between runs: every turn is a fresh `gemini -p`, whatever the context.
            return await cli_executor.run_turn(prompt, selection.model, timeout)

        return core.TurnExecutor(turn, self.name())


# The runtime looks for this exact attribute.
Adapter = GeminiCLIAdapter
