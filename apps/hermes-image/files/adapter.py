"""The hermes template's adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

hermes-agent runs as its own process, the gateway (`hermes gateway`, with its OpenAI-compatible API server on
HERMES_API_BASE, 127.0.0.1:8642 by default): it owns the model, the provider keys, the tools and the persona. This
adapter is the bridge: each A2A message becomes one chat-completions request to that API, with the context's
earlier turns, and the reply's text is the answer. It needs nothing from the gateway's Python packages, only
HTTP, so it uses the standard library. Launching the gateway is not this module's job (see the README).
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.request

import molecule_adapter_core as core
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

logger = logging.getLogger(__name__)

# The image's ENV sets HERMES_API_BASE; this is the same value, for a runtime started without it.
DEFAULT_API_BASE = "http://127.0.0.1:8642/v1"
# A hermes turn runs tools and sub-agents, so minutes, not seconds; a gateway that never answers still ends it.
TURN_TIMEOUT_SECONDS = 600.0

# Only the chosen model is read from these rules: the gateway resolves its provider itself. The default is the one
# the original start.sh configures when nothing else is set.
RULES = core.Rules(builtin=(), default_model="nousresearch/hermes-4-70b", label="hermes")


class GatewayError(RuntimeError):
    """The gateway did not give a reply; the message says what happened and where (never the key)."""


def gateway() -> tuple[str, str | None]:
    """The API base (without a trailing /) and the bearer key the gateway was started with."""
    return (core.env_value("HERMES_API_BASE") or DEFAULT_API_BASE).rstrip("/"), core.env_value("API_SERVER_KEY")


def chat(base: str, key: str | None, model: str, messages: list, timeout: float = TURN_TIMEOUT_SECONDS) -> str:
    """One chat-completions request to the gateway; the reply's text. Blocking: run it in a thread."""
    request = urllib.request.Request(
        f"{base}/chat/completions",
        data=json.dumps({"model": model, "messages": messages, "stream": False}).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = json.loads(response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        hint = " (is API_SERVER_KEY the gateway's?)" if exc.code in (401, 403) else ""
        raise GatewayError(f"the hermes gateway at {base} answered HTTP {exc.code}{hint}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GatewayError(f"the hermes gateway at {base} cannot be reached ({reason}): is `hermes gateway` "
                           "running?") from None
    except ValueError:
        raise GatewayError(f"the hermes gateway at {base} answered with something that is not JSON") from None
    try:
        return core.text_of(body["choices"][0]["message"]["content"])
    except (KeyError, IndexError, TypeError):
        raise GatewayError(f"the hermes gateway at {base} answered without choices[0].message.content: "
                           f"{json.dumps(body)[:300]}") from None


class HermesAdapter(BaseAdapter):
    @staticmethod
    def name() -> str:
        return "hermes"

    @staticmethod
    def display_name() -> str:
        return "Hermes Agent"

    @staticmethod
    def description() -> str:
        return "Nous Research's hermes-agent, bridged through its gateway's OpenAI-compatible API"

    @staticmethod
    def get_config_schema() -> dict:
        return {
            "model": {"type": "string", "description": "Model id the gateway serves (provider/model)",
                      "default": RULES.default_model},
            "required_env": {"type": "array", "description": "Environment variables the workspace needs",
                             "default": ["OPENROUTER_API_KEY"]},
        }

    async def setup(self, config: AdapterConfig) -> None:
        base, key = gateway()
        # Names, never values: this line ends up in shared logs.
        logger.info("hermes setup: gateway=%s api_server_key=%s", base, "set" if key else "unset")
        await core.install_plugins(self, config)

    async def create_executor(self, config: AdapterConfig):
        model = core.chosen_model(config.runtime_config, RULES) or RULES.default_model
        # Each context's turns so far, sent again with the next message: the chat-completions API keeps no state.
        threads: dict = {}

        async def turn(prompt: str, thread_id: str | None) -> str:
            base, key = gateway()  # read per turn: a restarted gateway may come with a new key
            history = threads.get(thread_id, [])
            messages = history + [{"role": "user", "content": prompt}]
            reply = await asyncio.to_thread(chat, base, key, model, messages)
            threads[thread_id] = messages + [{"role": "assistant", "content": reply}]
            return reply

        return core.TurnExecutor(turn, self.name())


# The runtime looks for this exact attribute.
Adapter = HermesAdapter
