"""The deepagents template's adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

A Deep Agent (LangChain's deepagents: planning, a virtual file system and sub-agents on a LangGraph graph) on
the chosen chat model, one conversation per A2A context. The model goes to create_deep_agent as a
"<family>:<model>" string, which deepagents resolves with LangChain's init_chat_model; a registry entry's
`auth_mode` is that family (anthropic, openai, google_genai). Routing is adapter-core's (molecule_adapter_core,
beside this file in /app).
"""

from __future__ import annotations

import os

import molecule_adapter_core as core
from molecule_adapter_core import Provider
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

# A config.yaml beside this file, if the image ships one, is searched after /opt/adapter/config.yaml.
BESIDE_ADAPTER_REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.yaml")

# The chat-model families the template's requirements install (langchain-anthropic, -openai, -google-genai).
FAMILIES = ("anthropic", "openai", "google_genai")

RULES = core.Rules(
    builtin=(
        Provider("anthropic", auth_mode="anthropic", model_prefixes=("anthropic:", "claude-"),
                 auth_env=("ANTHROPIC_API_KEY",), auth_token_env="ANTHROPIC_API_KEY",
                 base_url_env="ANTHROPIC_BASE_URL"),
        Provider("openai", auth_mode="openai", model_prefixes=("openai:", "gpt-", "o1", "o3", "o4"),
                 auth_env=("OPENAI_API_KEY",), auth_token_env="OPENAI_API_KEY", base_url_env="OPENAI_BASE_URL"),
        Provider("google_genai", auth_mode="google_genai", model_prefixes=("google_genai:", "gemini-"),
                 auth_env=("GOOGLE_API_KEY", "GEMINI_API_KEY"), auth_token_env="GOOGLE_API_KEY"),
    ),
    # deepagents' own default family; a Deep Agent plans with many tool calls, so a strong model.
    default_model="claude-sonnet-4-5",
    label="deepagents",
    aliases={"google": "google_genai", "gemini": "google_genai"},
    default_auth_mode="openai",
    default_token_env="OPENAI_API_KEY",
    default_base_url_env="OPENAI_BASE_URL",
)


def model_spec(selection: core.Selection) -> str:
    """"<family>:<model>" for init_chat_model; its SDK reads the key and endpoint setup() exported."""
    family = selection.provider.auth_mode
    if family not in FAMILIES:
        raise core.ConfigError(
            f"provider {selection.provider.name} has auth_mode {family!r}, which this template cannot serve: set its "
            f"auth_mode in config.yaml to one of {', '.join(FAMILIES)}."
        )
    model = selection.model
    return model if model.lower().startswith(family + ":") else f"{family}:{model}"


def build_agent(model: str, system_prompt: str | None):
    """The framework seam: the Deep Agent graph (tests fill it with a double)."""
    from deepagents import create_deep_agent

    return create_deep_agent(model=model, tools=[], system_prompt=system_prompt)


class DeepAgentsAdapter(BaseAdapter):
    # What setup() chose; create_executor() builds the agent on it.
    selection: core.Selection | None = None

    @staticmethod
    def name() -> str:
        return "deepagents"

    @staticmethod
    def display_name() -> str:
        return "Deep Agents"

    @staticmethod
    def description() -> str:
        return "A LangChain Deep Agent (planning, files, sub-agents) on Anthropic, OpenAI(-compatible) or Google models"

    @staticmethod
    def get_config_schema() -> dict:
        return core.model_schema(RULES, "Model id (claude-…, gpt-…, gemini-…, or family:model)",
                                 ["ANTHROPIC_API_KEY"])

    async def setup(self, config: AdapterConfig) -> None:
        self.selection = None  # chosen afresh on every setup()
        core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        await core.install_plugins(self, config)

    async def create_executor(self, config: AdapterConfig):
        selection = core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        agent = build_agent(model_spec(selection), core.system_prompt(config))
        # Each context's messages so far: the graph is given them back on the next turn. Held here rather than in
        # a LangGraph checkpointer so the adapter needs nothing but deepagents' own API.
        threads: dict = {}

        async def turn(prompt: str, thread_id: str | None) -> str:
            history = threads.get(thread_id, [])
            state = await agent.ainvoke({"messages": history + [{"role": "user", "content": prompt}]})
            threads[thread_id] = state["messages"]
            return core.text_of(state["messages"][-1].content)

        return core.TurnExecutor(turn, self.name())


# The runtime looks for this exact attribute.
Adapter = DeepAgentsAdapter
