"""The claude-code adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

The runtime needs a module attribute `Adapter`, a BaseAdapter subclass (a missing alias once made containers
restart-loop). Besides describing itself, the adapter routes the chosen model to a provider from the registry
in config.yaml, prepares that provider's environment for the claude CLI, builds the SDK executor and serves
the live transcript.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from urllib.parse import urlparse

from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

logger = logging.getLogger(__name__)

# Registry files, most authoritative first. Module attributes so tests can point them at temp files.
CANONICAL_REGISTRY = "/opt/adapter/config.yaml"
BESIDE_ADAPTER_REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.yaml")

DEFAULT_MODEL = "sonnet"
THIRD_PARTY = "third_party_anthropic_compat"
ANTHROPIC_API_HOST = "api.anthropic.com"
TRANSCRIPT_MAX_LIMIT = 1000

# Friendlier slugs that persona env files use for MODEL_PROVIDER.
PROVIDER_ALIASES = {"claude-code": "anthropic-oauth", "anthropic": "anthropic-api"}

# Per-vendor keys the platform's UI asks for; the CLI only reads ANTHROPIC_*, so setup copies them across.
VENDOR_KEYS = ("MINIMAX_API_KEY", "GLM_API_KEY", "KIMI_API_KEY", "DEEPSEEK_API_KEY")
AUTH_VARIABLES = ("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN") + VENDOR_KEYS


@dataclass(frozen=True)
class Provider:
    name: str
    auth_mode: str = "oauth"
    model_prefixes: tuple = ()
    model_aliases: tuple = ()
    base_url: str | None = None
    auth_env: tuple = ()
    auth_token_env: str = "ANTHROPIC_AUTH_TOKEN"


# Used when no registry file holds a usable providers list, so a bare workspace still boots on Anthropic.
BUILTIN_PROVIDERS = (
    Provider("anthropic-oauth", "oauth", (), ("sonnet", "opus", "haiku"), None, ("CLAUDE_CODE_OAUTH_TOKEN",)),
    Provider("anthropic-api", "anthropic_api", ("claude-",), (), None, ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")),
)


def _env(name: str) -> str | None:
    """A variable's value with whitespace stripped; empty or blank counts as unset."""
    value = (os.environ.get(name) or "").strip()
    return value or None


def _setting(runtime_config, key: str):
    """runtime_config arrives as a dict or as the runtime's dataclass, depending on the runtime version."""
    if isinstance(runtime_config, dict):
        return runtime_config.get(key)
    return getattr(runtime_config, key, None)


def _string_list(value, lower: bool) -> tuple:
    # A lone string (`model_prefixes: mimo-`) means one item: iterating it would match on single letters.
    # Empty strings go too: an empty prefix would claim every model.
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    kept = tuple(i.lower() if lower else i for i in items if isinstance(i, str) and i)
    if len(kept) != len(items):
        logger.warning("providers: dropped empty or non-string items from %r", value)
    return kept


def normalise_provider(entry) -> Provider | None:
    """One registry entry in the shape routing expects, or None when it has no usable name."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        logger.warning("providers: dropped an entry without a string name: %r", entry)
        return None

    def text(key: str) -> str | None:
        value = entry.get(key)
        return (value.strip() or None) if isinstance(value, str) else None

    return Provider(
        name=entry["name"].strip(),
        auth_mode=text("auth_mode") or "oauth",
        model_prefixes=_string_list(entry.get("model_prefixes"), lower=True),
        model_aliases=_string_list(entry.get("model_aliases"), lower=True),
        base_url=text("base_url"),
        # Environment variable names are case-sensitive: never lower-case these.
        auth_env=_string_list(entry.get("auth_env"), lower=False),
        auth_token_env=text("auth_token_env") or "ANTHROPIC_AUTH_TOKEN",
    )


def registry_paths(config_path: str) -> list:
    paths = []
    for path in (CANONICAL_REGISTRY, BESIDE_ADAPTER_REGISTRY, os.path.join(config_path, "config.yaml")):
        path = os.path.normpath(os.path.abspath(path))
        if path not in paths:
            paths.append(path)
    return paths


def load_providers(config_path: str) -> tuple:
    """The first registry file with a usable providers list wins; else the built-ins. Never blocks boot."""
    try:
        import yaml
    except ImportError:
        logger.warning("providers: PyYAML is not installed; using the built-in providers only")
        return BUILTIN_PROVIDERS
    for path in registry_paths(config_path):
        try:
            with open(path, encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except FileNotFoundError:
            logger.info("providers: %s not found, trying the next file", path)
            continue
        except (OSError, yaml.YAMLError) as exc:
            logger.warning("providers: cannot read %s (%s); trying the next file", path, exc)
            continue
        entries = data.get("providers") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not entries:
            logger.info("providers: %s has no providers list, trying the next file", path)
            continue
        providers = tuple(p for p in map(normalise_provider, entries) if p is not None)
        if providers:
            logger.info("providers: %d entries from %s", len(providers), path)
            return providers
        logger.warning("providers: no valid entry in %s; trying the next file", path)
    logger.info("providers: no registry file has providers; using the built-ins")
    return BUILTIN_PROVIDERS


def _strip_vendor_prefix(model: str) -> str:
    # The runtime's defaults look like "anthropic:claude-opus-4-7"; the CLI exits silently on such an id.
    for prefix in ("anthropic:", "claude:"):
        if model.lower().startswith(prefix):
            return model[len(prefix):]
    return model


def chosen_model(runtime_config) -> str | None:
    """The model the operator chose (env MODEL, else runtime_config.model), or None when nobody chose one."""
    configured = _setting(runtime_config, "model")
    model = _env("MODEL") or (configured.strip() if isinstance(configured, str) else "")
    return _strip_vendor_prefix(model) if model else None


def resolve_provider(model: str, providers: tuple, runtime_config) -> Provider:
    by_name = {p.name.lower(): p for p in providers}

    def canonical(slug: str) -> str:
        return PROVIDER_ALIASES.get(slug.lower(), slug.lower())

    requested = _env("MODEL_PROVIDER")
    if requested:
        if canonical(requested) in by_name:
            return by_name[canonical(requested)]
        logger.warning("MODEL_PROVIDER=%s names no registry entry (%s); ignoring it",
                       requested, ", ".join(p.name for p in providers))
    configured = _setting(runtime_config, "provider")
    if isinstance(configured, str) and configured.strip():
        if canonical(configured.strip()) in by_name:
            return by_name[canonical(configured.strip())]
        # A silent fallback once kept operators on the OAuth path while their provider switch did nothing.
        raise RuntimeError(
            f"provider {configured.strip()!r} from runtime_config.provider is not in the provider registry "
            f"({', '.join(p.name for p in providers)}). Set runtime_config.provider or MODEL_PROVIDER to one of "
            "these, or add an entry with that name to the providers list in config.yaml."
        )
    wanted = model.lower()
    return (next((p for p in providers if any(wanted.startswith(x) for x in p.model_prefixes)), None)
            or next((p for p in providers if wanted in p.model_aliases), None)
            or providers[0])


def _host(url: str | None) -> str:
    return (urlparse(url).hostname or "") if url else ""


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
        providers = load_providers(config.config_path)
        model = chosen_model(config.runtime_config) or DEFAULT_MODEL
        provider = resolve_provider(model, providers, config.runtime_config)

        copied = ""
        if not _env(provider.auth_token_env):
            vendor_key = next((n for n in provider.auth_env if n in VENDOR_KEYS and _env(n)), None)
            if vendor_key:
                os.environ[provider.auth_token_env] = _env(vendor_key)
                copied = f" copied={vendor_key}->{provider.auth_token_env}"

        # An operator's explicit endpoint (a proxy, say) always beats the registry's.
        if not _env("ANTHROPIC_BASE_URL") and provider.base_url:
            os.environ["ANTHROPIC_BASE_URL"] = provider.base_url
        base_url = _env("ANTHROPIC_BASE_URL")

        names = list(dict.fromkeys(AUTH_VARIABLES + provider.auth_env + (provider.auth_token_env,)))
        present = [n for n in names if _env(n)]
        # Names only, never values: this line ends up in shared logs.
        logger.info("claude-code setup: model=%s provider=%s auth_mode=%s base_url_host=%s auth_set=[%s]%s",
                    model, provider.name, provider.auth_mode, _host(base_url) or "<default>",
                    ",".join(present), copied)

        needed = provider.auth_env or (provider.auth_token_env,)
        if not any(_env(n) for n in needed):
            logger.warning("provider %s has no credentials: set one of %s as a workspace secret",
                           provider.name, ", ".join(needed))
        if provider.auth_mode == THIRD_PARTY and not base_url:
            raise RuntimeError(
                f"provider {provider.name} is third-party but has no base URL: add base_url to its entry in "
                "config.yaml or set ANTHROPIC_BASE_URL as a workspace secret."
            )

        from molecule_runtime.plugins import load_plugins
        plugins = load_plugins(
            workspace_plugins_dir=os.path.join(config.config_path, "plugins"),
            shared_plugins_dir=_env("PLUGINS_DIR") or "/plugins",
        )
        await self.install_plugins_via_registry(config, plugins)

    async def create_executor(self, config: AdapterConfig):
        # Imported here so the adapter stays importable (for discovery and listing) without the SDK.
        from claude_sdk_executor import ClaudeSDKExecutor

        system_prompt = config.system_prompt
        prompt_file = os.path.join(config.config_path, "system-prompt.md")
        if not system_prompt and os.path.isfile(prompt_file):
            with open(prompt_file, encoding="utf-8") as handle:
                system_prompt = handle.read()

        model = chosen_model(config.runtime_config)
        endpoint_host = _host(_env("ANTHROPIC_BASE_URL"))
        if model is None and endpoint_host and endpoint_host != ANTHROPIC_API_HOST:
            # "sonnet" means nothing to a third-party endpoint; failing here beats a confusing first turn.
            raise RuntimeError(
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
