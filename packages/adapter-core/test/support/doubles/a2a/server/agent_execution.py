"""Test double of `a2a.server.agent_execution` (PyPI is out of reach here).

Only what the executors use: AgentExecutor's two abstract methods, RequestContext.get_user_input() and its
context_id (the conversation the message belongs to). The constructor of this RequestContext is the double's
own (the real one takes the A2A request).
"""

from abc import ABC, abstractmethod


class RequestContext:
    def __init__(self, text: str = "", context_id: str | None = None):
        self._text = text
        self.context_id = context_id

    def get_user_input(self, delimiter: str = "\n") -> str:
        return self._text


class AgentExecutor(ABC):
    @abstractmethod
    async def execute(self, context: RequestContext, event_queue) -> None: ...

    @abstractmethod
    async def cancel(self, context: RequestContext, event_queue) -> None: ...
