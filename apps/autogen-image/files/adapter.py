"""The autogen template's adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

An AutoGen AssistantAgent on an OpenAI(-compatible) chat-completion client; the agent keeps the conversation
across turns in its own model context. The template's requirements install autogen-ext[openai] only, so every
provider is OpenAI-compatible: OpenAI itself by default, any other vendor as a registry entry with its base_url.
Routing is adapter-core's (molecule_adapter_core, beside this file in /app).
"""

from __future__ import annotations

import os

import molecule_adapter_core as core
from molecule_adapter_core import Provider
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

# A config.yaml beside this file, if the image ships one, is searched after /opt/adapter/config.yaml.
BESIDE_ADAPTER_REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.yaml")

OPENAI = "openai"

RULES = core.Rules(
    builtin=(Provider("openai", auth_mode=OPENAI, auth_env=("OPENAI_API_KEY",), auth_token_env="OPENAI_API_KEY",
                      base_url_env="OPENAI_BASE_URL"),),
    default_model="gpt-4o",
    label="autogen",
    default_auth_mode=OPENAI,
    default_token_env="OPENAI_API_KEY",
    default_base_url_env="OPENAI_BASE_URL",
    strip_model_prefixes=("openai:",),
)

# AutoGen knows the capabilities of OpenAI's own models only and refuses another model without them; a vendor
# behind a base_url gets these (text chat with tools), which every OpenAI-compatible chat endpoint offers.
COMPATIBLE_MODEL_INFO = {"vision": False, "function_calling": True, "json_output": False, "family": "unknown",
                         "structured_output": False}


def build_agent(selection: core.Selection, system_prompt: str | None):
    """The framework seam: the AutoGen agent for the selection (tests fill it with doubles)."""
    from autogen_agentchat.agents import AssistantAgent
    from autogen_ext.models.openai import OpenAIChatCompletionClient

    if selection.provider.auth_mode != OPENAI:
        raise core.ConfigError(
            f"provider {selection.provider.name} has auth_mode {selection.provider.auth_mode!r}, but this template "
            "only speaks the OpenAI API: set its auth_mode to openai in config.yaml (with the vendor's "
            "OpenAI-compatible base_url), or pick an OpenAI model."
        )
    # The client reads OPENAI_API_KEY and OPENAI_BASE_URL, which setup() exported for the chosen provider.
    extra = {"model_info": COMPATIBLE_MODEL_INFO} if selection.base_url else {}
    client = OpenAIChatCompletionClient(model=selection.model, **extra)
    return AssistantAgent("agent", model_client=client,
                          system_message=system_prompt or "You are a helpful assistant.")


class AutoGenAdapter(BaseAdapter):
    # What setup() chose; create_executor() builds the agent on it.
    selection: core.Selection | None = None

    @staticmethod
    def name() -> str:
        return "autogen"

    @staticmethod
    def display_name() -> str:
        return "AutoGen"

    @staticmethod
    def description() -> str:
        return "An AutoGen assistant agent on OpenAI or an OpenAI-compatible endpoint"

    @staticmethod
    def get_config_schema() -> dict:
        return core.model_schema(RULES, "OpenAI(-compatible) model id", ["OPENAI_API_KEY"])

    async def setup(self, config: AdapterConfig) -> None:
        self.selection = None  # chosen afresh on every setup()
        core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        await core.install_plugins(self, config)

    async def create_executor(self, config: AdapterConfig):
        selection = core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        agent = build_agent(selection, core.system_prompt(config))

        async def turn(prompt: str, thread_id: str | None) -> str:
            # One agent, one conversation (as claude-code resumes one session): AutoGen keeps the history.
            result = await agent.run(task=prompt)
            return core.text_of(result.messages[-1].content) if result.messages else ""

        return core.TurnExecutor(turn, self.name())


# The runtime looks for this exact attribute.
Adapter = AutoGenAdapter
