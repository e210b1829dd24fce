"""Test double of `langchain_anthropic` (PyPI is out of reach here)."""

from chat_model_double import RecordingChatModel


class ChatAnthropic(RecordingChatModel):
    pass
