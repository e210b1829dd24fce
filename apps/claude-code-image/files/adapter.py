"""The claude-code adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

The runtime needs a module attribute `Adapter`, a BaseAdapter subclass (a missing alias once made containers
restart-loop). Besides describing itself, the adapter routes the chosen model to a provider from the registry
in config.yaml, prepares that provider's environment for the claude CLI, builds the SDK executor and serves
the live transcript. The routing itself is adapter-core's (molecule_adapter_core, beside this file in /app), shared
by every template; what is claude-code's (built-in providers, aliases, the ANTHROPIC_* names) is in RULES below.
"""

from __future__ import annotations

import json
import os

import molecule_adapter_core as core
from molecule_adapter_core import Provider
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

# The registry beside this file, searched after /opt/adapter/config.yaml (core.CANONICAL_REGISTRY) and before
# <config_path>/config.yaml. A module attribute so tests can point it at a temp file.
BESIDE_ADAPTER_REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.yaml")

DEFAULT_MODEL = "sonnet"
THIRD_PARTY = "third_party_anthropic_compat"
ANTHROPIC_API_HOST = "api.anthropic.com"
TRANSCRIPT_MAX_LIMIT = 1000

# Per-vendor keys the platform's UI asks for; the CLI only reads ANTHROPIC_*, so setup copies them across.
VENDOR_KEYS = ("MINIMAX_API_KEY", "GLM_API_KEY", "KIMI_API_KEY", "DEEPSEEK_API_KEY")
AUTH_VARIABLES = ("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN") + VENDOR_KEYS

# Used when no registry file holds a usable providers list, so a bare workspace still boots on Anthropic.
BUILTIN_PROVIDERS = (
    Provider("anthropic-oauth", auth_mode="oauth", model_aliases=("sonnet", "opus", "haiku"),
             auth_env=("CLAUDE_CODE_OAUTH_TOKEN",), auth_token_env="ANTHROPIC_AUTH_TOKEN",
             base_url_env="ANTHROPIC_BASE_URL"),
    Provider("anthropic-api", auth_mode="anthropic_api", model_prefixes=("claude-",),
             auth_env=("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"), auth_token_env="ANTHROPIC_AUTH_TOKEN",
             base_url_env="ANTHROPIC_BASE_URL"),
)

# What claude-code brings to the shared routing of adapter-core.
RULES = core.Rules(
    builtin=BUILTIN_PROVIDERS,
    default_model=DEFAULT_MODEL,
    label="claude-code",
    # Friendlier slugs that persona env files use for MODEL_PROVIDER.
    aliases={"claude-code": "anthropic-oauth", "anthropic": "anthropic-api"},
    default_auth_mode="oauth",
    default_token_env="ANTHROPIC_AUTH_TOKEN",
    # The CLI reads its endpoint from here, whatever the provider.
    default_base_url_env="ANTHROPIC_BASE_URL",
    # Only a vendor's own key is moved under an ANTHROPIC_* name; never one ANTHROPIC_* variable into another.
    copyable_keys=VENDOR_KEYS,
    # The runtime's defaults look like "anthropic:claude-opus-4-7"; the CLI exits silently on such an id.
    strip_model_prefixes=("anthropic:", "claude:"),
)

_env = core.env_value


# adapter-core's functions with claude-code's rules and registry files: what the tests and the image test call.
def normalise_provider(entry) -> Provider | None:
    return core.normalise_provider(entry, RULES)


def registry_paths(config_path: str) -> list:
    return core.registry_paths(BESIDE_ADAPTER_REGISTRY, os.path.join(config_path, "config.yaml"))


def load_providers(config_path: str) -> tuple:
    """The first registry file with a usable providers list wins; else the built-ins. Never blocks boot."""
    return core.load_registry(registry_paths(config_path), RULES).providers


def chosen_model(runtime_config) -> str | None:
    """The model the operator chose (env MODEL, else runtime_config.model), or None when nobody chose one."""
    return core.chosen_model(runtime_config, RULES)


def resolve_provider(model: str, providers: tuple, runtime_config) -> Provider:
    return core.resolve_provider(model, providers, runtime_config, RULES)


class ClaudeCodeAdapter(BaseAdapter):
    @staticmethod
    def name() -> str:
        return "claude-code"

    @staticmethod
    def display_name() -> str:
        return "Claude Code"

    @staticmethod
    def description() -> str:
        return "Claude Code through the Claude Agent SDK: agentic coding with CLAUDE.md, skills, hooks and MCP"

    @staticmethod
    def get_config_schema() -> dict:
        return {
            "model": {"type": "string", "description": "Model id or alias (sonnet, opus, haiku, ...)",
                      "default": DEFAULT_MODEL},
            "required_env": {"type": "array", "description": "Environment variables the workspace needs",
                             "default": ["CLAUDE_CODE_OAUTH_TOKEN"]},
            "timeout": {"type": "integer", "description": "Seconds per turn, 0 for none", "default": 0},
        }

    async def setup(self, config: AdapterConfig) -> None:
        # Registry, model, provider, the vendor key copied and the base URL exported, one log line (names only),
        # a warning when no credential is set: the part every adapter shares.
        selection = core.select(config.config_path, config.runtime_config, RULES,
                                registry_files=(BESIDE_ADAPTER_REGISTRY,), log_names=AUTH_VARIABLES)
        if selection.provider.auth_mode == THIRD_PARTY and not selection.base_url:
            raise core.ConfigError(
                f"provider {selection.provider.name} is third-party but has no base URL: add base_url to its entry "
                "in config.yaml or set ANTHROPIC_BASE_URL as a workspace secret."
            )
        await core.install_plugins(self, config)

    async def create_executor(self, config: AdapterConfig):
        # Imported here so the adapter stays importable (for discovery and listing) without the SDK.
        from claude_sdk_executor import ClaudeSDKExecutor

        system_prompt = core.system_prompt(config)
        model = chosen_model(config.runtime_config)
        endpoint_host = core.host_of(_env("ANTHROPIC_BASE_URL"))
        if model is None and endpoint_host and endpoint_host != ANTHROPIC_API_HOST:
            # "sonnet" means nothing to a third-party endpoint; failing here beats a confusing first turn.
            raise core.ConfigError(
                f"ANTHROPIC_BASE_URL points at {endpoint_host}, not the Anthropic API, and no model is set: "
                "set MODEL or runtime_config.model to a model that endpoint serves."
            )
        return ClaudeSDKExecutor(system_prompt=system_prompt, config_path=config.config_path,
                                 heartbeat=config.heartbeat, model=model or DEFAULT_MODEL)

    async def transcript_lines(self, since: int = 0, limit: int = 100) -> dict:
        """A window of the newest Claude Code session log, for watching the agent work live."""
        from claude_sdk_executor import agent_cwd

        since = max(0, int(since))
        limit = max(1, min(int(limit), TRANSCRIPT_MAX_LIMIT))
        cwd = _env("CLAUDE_PROJECT_CWD") or agent_cwd()
        # The CLI keeps one folder per working directory, named by the path with "/" turned into "-".
        folder = os.path.join(os.path.expanduser("~"), ".claude", "projects", cwd.rstrip("/").replace("/", "-"))
        # supported stays true before the first session so the UI says "nothing yet", not "unavailable".
        result = {"runtime": self.name(), "supported": True, "lines": [], "cursor": since, "more": False,
                  "source": folder}
        try:
            logs = [e.path for e in os.scandir(folder) if e.name.endswith(".jsonl") and e.is_file()]
        except OSError:
            return result
        if not logs:
            return result
        newest = max(logs, key=os.path.getmtime)
        result["source"] = newest
        cursor = since
        with open(newest, encoding="utf-8", errors="replace") as handle:
            for number, raw in enumerate(handle):
                if number < since:
                    continue
                if number >= since + limit:
                    result["more"] = True
                    break
                cursor = number + 1
                raw = raw.strip()
                if not raw:
                    continue
                try:
                    result["lines"].append(json.loads(raw))
                except ValueError:
                    result["lines"].append({"_parse_error": True, "_raw": raw[:200]})
        result["cursor"] = cursor
        return result


# The runtime looks for this exact attribute.
Adapter = ClaudeCodeAdapter
