"""What the chat-model doubles share: each records how it was made and the environment it saw, since the real
classes read their key and endpoint from the environment when they are not passed."""

import os


class RecordingChatModel:
    def __init__(self, model: str, **kwargs):
        self.model = model
        self.kwargs = kwargs
        self.environ = dict(os.environ)
