"""Test double of `langchain_google_genai` (PyPI is out of reach here)."""

from chat_model_double import RecordingChatModel


class ChatGoogleGenerativeAI(RecordingChatModel):
    pass
