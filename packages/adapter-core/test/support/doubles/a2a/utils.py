"""Test double of `a2a.utils` (PyPI is out of reach here)."""

from dataclasses import dataclass


@dataclass
class AgentTextMessage:
    text: str
    role: str = "agent"


def new_agent_text_message(text: str, context_id=None, task_id=None) -> AgentTextMessage:
    return AgentTextMessage(text)
