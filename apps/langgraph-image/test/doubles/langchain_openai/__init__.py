"""Test double of `langchain_openai` (PyPI is out of reach here)."""

from chat_model_double import RecordingChatModel


class ChatOpenAI(RecordingChatModel):
    pass
