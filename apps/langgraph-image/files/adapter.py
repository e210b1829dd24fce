"""The langgraph template's adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

A LangGraph ReAct agent on a LangChain chat model, one conversation per A2A context (LangGraph's in-memory
checkpointer keyed by the context id). Routing is adapter-core's (molecule_adapter_core, beside this file in /app):
a registry entry's `auth_mode` names the LangChain chat-model family that serves it (anthropic, openai,
google_genai), so an OpenAI-compatible vendor is an entry with auth_mode openai, its base_url and its key.
"""

from __future__ import annotations

import importlib
import os

import molecule_adapter_core as core
from molecule_adapter_core import Provider
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

# A config.yaml beside this file, if the image ships one, is searched after /opt/adapter/config.yaml.
BESIDE_ADAPTER_REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.yaml")

# auth_mode -> (module, class) of the LangChain chat model; the packages are the template's requirements.
CHAT_MODELS = {
    "anthropic": ("langchain_anthropic", "ChatAnthropic"),
    "openai": ("langchain_openai", "ChatOpenAI"),
    "google_genai": ("langchain_google_genai", "ChatGoogleGenerativeAI"),
}

RULES = core.Rules(
    builtin=(
        # "anthropic:claude-…" is the runtime's own spelling of a default model.
        Provider("anthropic", auth_mode="anthropic", model_prefixes=("anthropic:", "claude-"),
                 auth_env=("ANTHROPIC_API_KEY",), auth_token_env="ANTHROPIC_API_KEY",
                 base_url_env="ANTHROPIC_BASE_URL"),
        Provider("openai", auth_mode="openai", model_prefixes=("openai:", "gpt-", "o1", "o3", "o4"),
                 auth_env=("OPENAI_API_KEY",), auth_token_env="OPENAI_API_KEY", base_url_env="OPENAI_BASE_URL"),
        # langchain-google-genai reads GOOGLE_API_KEY; the platform's UI may hand in GEMINI_API_KEY.
        Provider("google_genai", auth_mode="google_genai", model_prefixes=("google_genai:", "gemini-"),
                 auth_env=("GOOGLE_API_KEY", "GEMINI_API_KEY"), auth_token_env="GOOGLE_API_KEY"),
    ),
    default_model="claude-sonnet-4-5",
    label="langgraph",
    aliases={"google": "google_genai", "gemini": "google_genai"},
    default_auth_mode="openai",
    default_token_env="OPENAI_API_KEY",
    default_base_url_env="OPENAI_BASE_URL",
)


def chat_model(selection: core.Selection):
    """The LangChain chat model for the selection; its SDK reads the key and endpoint setup() exported."""
    kind = selection.provider.auth_mode
    if kind not in CHAT_MODELS:
        raise core.ConfigError(
            f"provider {selection.provider.name} has auth_mode {kind!r}, which this template cannot serve: set its "
            f"auth_mode in config.yaml to one of {', '.join(CHAT_MODELS)}."
        )
    model = selection.model
    if model.lower().startswith(kind + ":"):
        model = model[len(kind) + 1:]
    module, name = CHAT_MODELS[kind]
    return getattr(importlib.import_module(module), name)(model=model)


def build_agent(model, system_prompt: str | None):
    """The framework seam: a LangGraph ReAct agent with an in-memory checkpointer (tests fill it with doubles)."""
    from langgraph.checkpoint.memory import MemorySaver
    from langgraph.prebuilt import create_react_agent

    return create_react_agent(model, tools=[], prompt=system_prompt, checkpointer=MemorySaver())


class LangGraphAdapter(BaseAdapter):
    # What setup() chose; create_executor() builds the agent on it.
    selection: core.Selection | None = None

    @staticmethod
    def name() -> str:
        return "langgraph"

    @staticmethod
    def display_name() -> str:
        return "LangGraph"

    @staticmethod
    def description() -> str:
        return "A LangGraph ReAct agent on Anthropic, OpenAI(-compatible) or Google chat models"

    @staticmethod
    def get_config_schema() -> dict:
        return core.model_schema(RULES, "Model id (claude-…, gpt-…, gemini-…, or provider:model)",
                                 ["ANTHROPIC_API_KEY"])

    async def setup(self, config: AdapterConfig) -> None:
        self.selection = None  # chosen afresh on every setup()
        core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        await core.install_plugins(self, config)

    async def create_executor(self, config: AdapterConfig):
        selection = core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        agent = build_agent(chat_model(selection), core.system_prompt(config))

        async def turn(prompt: str, thread_id: str | None) -> str:
            state = await agent.ainvoke({"messages": [{"role": "user", "content": prompt}]},
                                        config={"configurable": {"thread_id": thread_id or "default"}})
            return core.text_of(state["messages"][-1].content)

        return core.TurnExecutor(turn, self.name())


# The runtime looks for this exact attribute.
Adapter = LangGraphAdapter
