"""Test double of `autogen_ext.models.openai`: the client records how it was made and the environment it saw
(the real one hands OPENAI_API_KEY and OPENAI_BASE_URL to the openai SDK when they are not passed)."""

import os


class OpenAIChatCompletionClient:
    def __init__(self, *, model: str, **kwargs):
        self.model = model
        self.kwargs = kwargs
        self.environ = dict(os.environ)
