"""What every workspace adapter shares: the provider registry, model and provider choice, and env projection.

An adapter (the module ADAPTER_MODULE names) describes one agent framework to the Molecule runtime. Whatever the
framework, the operator picks a model (env MODEL or runtime_config.model), maybe a provider (env MODEL_PROVIDER or
runtime_config.provider), and hands in credentials as workspace secrets; the framework's SDK or CLI then reads its
own variable names. This module turns the first into the second, from a provider registry in config.yaml.

It knows no framework: the built-in providers, the provider aliases, the variable names and the defaults come from
the adapter, in a `Rules` value. One copy of this file lives in /app beside every template's adapter, so a rule fixed
here is fixed in every image (the templates' hand-copied routing drifted apart before).
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Mapping, MutableMapping
from urllib.parse import urlparse

# The runtime depends on a2a-sdk, so these are in every image that has the runtime.
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.utils import new_agent_text_message

logger = logging.getLogger(__name__)

# Where the registry is searched before the adapter's own files: the platform may mount an operator's registry
# here. A module attribute so tests can point it at a temp file.
CANONICAL_REGISTRY = "/opt/adapter/config.yaml"


@dataclass(frozen=True)
class Provider:
    """One registry entry, normalised. `auth_env` lists the variables that may hold its credentials;
    `auth_token_env` is the one the framework reads (a vendor key is copied there); `base_url_env` is where its
    `base_url` is exported."""

    name: str
    auth_mode: str = ""
    model_prefixes: tuple = ()
    model_aliases: tuple = ()
    base_url: str | None = None
    auth_env: tuple = ()
    auth_token_env: str = ""
    base_url_env: str = ""


@dataclass(frozen=True)
class Rules:
    """What one adapter brings to the shared routing.

    builtin: the providers used when no registry file holds a usable list, so a bare workspace still boots.
    aliases: friendlier slugs accepted for MODEL_PROVIDER / runtime_config.provider (lower-case) -> entry name.
    default_*: what an entry that leaves the field out gets.
    copyable_keys: the only variables whose value may be copied into a provider's auth_token_env (None: any of its
      auth_env). Keeps one credential from being moved under another vendor's name by a registry entry.
    strip_model_prefixes: lower-case prefixes removed from the chosen model ("vendor:model-x" -> "model-x").
    label: the adapter's name, at the start of its one setup log line.
    """

    builtin: tuple
    default_model: str
    label: str
    aliases: Mapping[str, str] = field(default_factory=dict)
    default_auth_mode: str = "api_key"
    default_token_env: str = ""
    default_base_url_env: str = ""
    copyable_keys: tuple | None = None
    strip_model_prefixes: tuple = ()


@dataclass(frozen=True)
class Selection:
    """The outcome of `select`: which model runs on which provider, and what was done to the environment."""

    model: str
    provider: Provider
    # (from, to) when a credential was copied into the provider's token variable, else None.
    copied: tuple | None
    # The endpoint the framework will use: the operator's, else the provider's, else None (the SDK's default).
    base_url: str | None


class ConfigError(RuntimeError):
    """Configuration that cannot work; the message says which file or setting and what to change."""


def env_value(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """A variable's value with whitespace stripped; empty or blank counts as unset (a blank secret is no secret)."""
    value = ((os.environ if environ is None else environ).get(name) or "").strip()
    return value or None


def setting(runtime_config, key: str):
    """runtime_config arrives as a dict or as the runtime's dataclass, depending on the runtime version."""
    if isinstance(runtime_config, dict):
        return runtime_config.get(key)
    return getattr(runtime_config, key, None)


def host_of(url: str | None) -> str:
    return (urlparse(url).hostname or "") if url else ""


def _string_list(value, lower: bool) -> tuple:
    # A lone string (`model_prefixes: mimo-`) means one item: iterating it would match on single letters.
    # Empty strings go too: an empty prefix would claim every model.
    # Anything else (a mapping, a number) is a mistake in the file: no items, and a warning saying so.
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    kept = tuple(i.strip().lower() if lower else i.strip() for i in items if isinstance(i, str) and i.strip())
    if len(kept) != len(items) or (value is not None and not isinstance(value, (str, list))):
        logger.warning("providers: dropped empty or non-string items from %r", value)
    return kept


def normalise_provider(entry, rules: Rules) -> Provider | None:
    """One registry entry in the shape routing expects, or None (with a warning) when it has no usable name."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        logger.warning("providers: dropped an entry without a string name: %r", entry)
        return None

    def text(key: str) -> str | None:
        value = entry.get(key)
        return (value.strip() or None) if isinstance(value, str) else None

    return Provider(
        name=entry["name"].strip(),
        auth_mode=text("auth_mode") or rules.default_auth_mode,
        model_prefixes=_string_list(entry.get("model_prefixes"), lower=True),
        model_aliases=_string_list(entry.get("model_aliases"), lower=True),
        base_url=text("base_url"),
        # Environment variable names are case-sensitive: never lower-case these.
        auth_env=_string_list(entry.get("auth_env"), lower=False),
        auth_token_env=text("auth_token_env") or rules.default_token_env,
        base_url_env=text("base_url_env") or rules.default_base_url_env,
    )


def registry_paths(*candidates: str) -> list:
    """CANONICAL_REGISTRY, then the candidates (the file beside the adapter, `<config_path>/config.yaml`), each
    once: two spellings of one file are read once."""
    paths = []
    for path in (CANONICAL_REGISTRY,) + candidates:
        path = os.path.normpath(os.path.abspath(path))
        if path not in paths:
            paths.append(path)
    return paths


@dataclass(frozen=True)
class Registry:
    """The providers in use and where they came from (None: the adapter's built-ins), for messages."""

    providers: tuple
    source: str | None

def load_registry(paths, rules: Rules) -> Registry:
    """The first file in `paths` with a usable providers list wins; else `rules.builtin`.

    Never blocks boot: a missing file, a YAML error (a warning naming the file), a file without a non-empty
    `providers` list or without one valid entry moves on to the next file. Files are data, read with safe_load.
    """
    try:
        import yaml
    except ImportError:
        logger.warning("providers: PyYAML is not installed; using the built-in providers only")
        return Registry(tuple(rules.builtin), None)
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                data = yaml.safe_load(handle)
        except FileNotFoundError:
            logger.info("providers: %s not found, trying the next file", path)
            continue
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            logger.warning("providers: cannot read %s (%s); fix the file or remove it; trying the next file",
                           path, exc)
            continue
        entries = data.get("providers") if isinstance(data, dict) else None
        if not isinstance(entries, list) or not entries:
            logger.info("providers: %s has no providers list, trying the next file", path)
            continue
        providers = tuple(p for p in (normalise_provider(e, rules) for e in entries) if p is not None)
        if providers:
            logger.info("providers: %d entries from %s", len(providers), path)
            return Registry(providers, path)
        logger.warning("providers: no valid entry in %s (each needs a string `name`); trying the next file", path)
    logger.info("providers: no registry file has providers; using the built-ins")
    return Registry(tuple(rules.builtin), None)


def chosen_model(runtime_config, rules: Rules, environ: Mapping[str, str] | None = None) -> str | None:
    """The model the operator chose (env MODEL, else runtime_config.model), or None when nobody chose one."""
    configured = setting(runtime_config, "model")
    model = env_value("MODEL", environ) or (configured.strip() if isinstance(configured, str) else "")
    for prefix in rules.strip_model_prefixes:
        if model.lower().startswith(prefix):
            model = model[len(prefix):]
            break
    return model or None


def resolve_provider(model: str, providers: tuple, runtime_config, rules: Rules,
                     environ: Mapping[str, str] | None = None, source: str | None = None) -> Provider:
    """MODEL_PROVIDER when it names an entry (a warning when it names none); else runtime_config.provider, which
    must name one; else the first entry whose prefix starts the lower-cased model, then whose alias equals it,
    then the first entry. `source` names the registry file in the error (None: the built-ins)."""
    by_name = {p.name.lower(): p for p in providers}
    listed = ", ".join(p.name for p in providers)
    where = source or "the adapter's built-in providers"

    def canonical(slug: str) -> str:
        return rules.aliases.get(slug.lower(), slug.lower())

    requested = env_value("MODEL_PROVIDER", environ)
    if requested:
        if canonical(requested) in by_name:
            return by_name[canonical(requested)]
        logger.warning("MODEL_PROVIDER=%s names no registry entry (%s); ignoring it", requested, listed)
    configured = setting(runtime_config, "provider")
    if isinstance(configured, str) and configured.strip():
        if canonical(configured.strip()) in by_name:
            return by_name[canonical(configured.strip())]
        # A silent fallback once kept operators on the default path while their provider switch did nothing.
        raise ConfigError(
            f"provider {configured.strip()!r} from runtime_config.provider is not in the provider registry "
            f"({listed}, from {where}). Set runtime_config.provider or MODEL_PROVIDER to one of these, or add an "
            f"entry with that name to the providers list in {source or 'config.yaml'}."
        )
    wanted = model.lower()
    return (next((p for p in providers if any(wanted.startswith(x) for x in p.model_prefixes)), None)
            or next((p for p in providers if wanted in p.model_aliases), None)
            or providers[0])


def project_env(provider: Provider, rules: Rules, environ: MutableMapping[str, str] | None = None):
    """Make the chosen provider's credentials and endpoint visible under the names its framework reads.

    If the provider's token variable is unset, the first set variable of its auth_env that may be copied
    (rules.copyable_keys) is copied into it; an operator's own value is never overwritten. An operator's
    base-URL variable wins; else the provider's base_url is exported there. Returns (copied, base_url).
    """
    environ = os.environ if environ is None else environ
    copied = None
    token_env = provider.auth_token_env
    if token_env and not env_value(token_env, environ):
        allowed = provider.auth_env if rules.copyable_keys is None else rules.copyable_keys
        source = next((n for n in provider.auth_env if n != token_env and n in allowed and env_value(n, environ)),
                      None)
        if source:
            environ[token_env] = env_value(source, environ)
            copied = (source, token_env)
    base_url = None
    if provider.base_url_env:
        # An operator's explicit endpoint (a proxy, say) always beats the registry's.
        if not env_value(provider.base_url_env, environ) and provider.base_url:
            environ[provider.base_url_env] = provider.base_url
        base_url = env_value(provider.base_url_env, environ)
    elif provider.base_url:
        base_url = provider.base_url
    return copied, base_url


def credential_names(provider: Provider, extra: tuple = ()) -> list:
    """The variables worth naming in the setup log line: the adapter's usual ones and the provider's, each once."""
    return list(dict.fromkeys(tuple(extra) + provider.auth_env + ((provider.auth_token_env,)
                                                                   if provider.auth_token_env else ())))


def select(config_path: str, runtime_config, rules: Rules, registry_files: tuple = (), log_names: tuple = (),
           environ: MutableMapping[str, str] | None = None) -> Selection:
    """The whole shared part of an adapter's setup(): registry, model, provider, env projection, one log line.

    registry_files are searched after CANONICAL_REGISTRY and before `<config_path>/config.yaml` (the adapter
    passes the config.yaml beside itself). The log line names variables, never their values: it ends up in
    shared logs. A provider without any credential set is a warning naming what to set.
    """
    environ = os.environ if environ is None else environ
    paths = registry_paths(*registry_files, os.path.join(config_path, "config.yaml"))
    registry = load_registry(paths, rules)
    model = chosen_model(runtime_config, rules, environ) or rules.default_model
    provider = resolve_provider(model, registry.providers, runtime_config, rules, environ, registry.source)
    copied, base_url = project_env(provider, rules, environ)
    present = [n for n in credential_names(provider, log_names) if env_value(n, environ)]
    logger.info("%s setup: model=%s provider=%s auth_mode=%s base_url_host=%s auth_set=[%s]%s",
                rules.label, model, provider.name, provider.auth_mode, host_of(base_url) or "<default>",
                ",".join(present), f" copied={copied[0]}->{copied[1]}" if copied else "")
    needed = provider.auth_env or ((provider.auth_token_env,) if provider.auth_token_env else ())
    if needed and not any(env_value(n, environ) for n in needed):
        logger.warning("provider %s has no credentials: set one of %s as a workspace secret",
                       provider.name, ", ".join(needed))
    return Selection(model=model, provider=provider, copied=copied, base_url=base_url)


def model_schema(rules: Rules, model_description: str, required_env: list) -> dict:
    """The config schema every template's adapter declares: the model (its default the rules') and required_env."""
    return {
        "model": {"type": "string", "description": model_description, "default": rules.default_model},
        "required_env": {"type": "array", "description": "Environment variables the workspace needs",
                         "default": list(required_env)},
    }


def selection_of(adapter, config, rules: Rules, registry_files: tuple = ()) -> Selection:
    """The adapter's Selection: the one its setup() made, else one made now and kept (a runtime may call
    create_executor without setup(), and the routing must be the same either way)."""
    if getattr(adapter, "selection", None) is None:
        adapter.selection = select(config.config_path, config.runtime_config, rules, registry_files=registry_files)
    return adapter.selection


def system_prompt(config) -> str | None:
    """The system prompt from the adapter config, else `<config_path>/system-prompt.md`, else None."""
    if config.system_prompt:
        return config.system_prompt
    path = os.path.join(config.config_path, "system-prompt.md")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    return None


async def install_plugins(adapter, config, environ: Mapping[str, str] | None = None):
    """Plugins from `<config_path>/plugins` and PLUGINS_DIR (default /plugins), installed through the runtime."""
    from molecule_runtime.plugins import load_plugins

    plugins = load_plugins(
        workspace_plugins_dir=os.path.join(config.config_path, "plugins"),
        shared_plugins_dir=env_value("PLUGINS_DIR", environ) or "/plugins",
    )
    return await adapter.install_plugins_via_registry(config, plugins)


def text_of(content) -> str:
    """The text of a framework's reply content: a string, or a list of strings and {"type": "text", "text": ...}
    blocks (tool calls and other blocks carry no answer text and are left out)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [c if isinstance(c, str) else c.get("text", "") if isinstance(c, dict) and c.get("type") == "text"
                 else "" for c in content]
        return "".join(p for p in parts if isinstance(p, str))
    return ""


# --- A text-in, text-out A2A executor: what a framework adapter needs beyond its framework call. ---

NO_TEXT = "Error: the message contained no text."
NO_RESPONSE = "(no response generated)"


class TurnExecutor(AgentExecutor):
    """Runs each incoming message as one turn of `turn(prompt, thread_id) -> reply text`, one turn at a time.

    thread_id is the A2A context id (None when the request has none), so a framework with memory keeps one
    conversation per context. A failed turn becomes one error message to the caller, never a crashed server;
    cancel() stops the running turn's task.
    """

    def __init__(self, turn: Callable[[str, str | None], Awaitable[str]], label: str):
        self._turn = turn
        self._label = label
        self._task: asyncio.Task | None = None
        # One turn at a time: frameworks keep per-agent state (history, checkpoints) that concurrent turns corrupt.
        self._lock = asyncio.Lock()

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        prompt = (context.get_user_input() or "").strip()
        if not prompt:
            await event_queue.enqueue_event(new_agent_text_message(NO_TEXT))
            return
        thread_id = getattr(context, "context_id", None)
        async with self._lock:
            self._task = asyncio.current_task()
            try:
                reply = await self._turn(prompt, thread_id)
                reply = reply.strip() if isinstance(reply, str) else ""
                reply = reply or NO_RESPONSE
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a framework error is the caller's answer, not the server's death
                logger.error("%s turn failed: %s: %s", self._label, type(exc).__name__, exc)
                reply = f"Agent error ({type(exc).__name__}): {str(exc)[:500]}"
            finally:
                self._task = None
        await event_queue.enqueue_event(new_agent_text_message(reply))

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        """Stop whatever turn is running now; nothing to do between turns."""
        if self._task is not None:
            self._task.cancel()
