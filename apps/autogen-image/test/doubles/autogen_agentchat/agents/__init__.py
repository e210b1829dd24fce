"""Test double of `autogen_agentchat.agents`: AssistantAgent answers run() with the next scripted reply (or raises
it) and keeps every task it was given, as the real agent keeps its conversation between runs."""

from dataclasses import dataclass, field

created = []  # every AssistantAgent made
replies = []  # what the next run() calls answer, in order; an exception is raised


@dataclass
class TextMessage:
    content: str
    source: str


@dataclass
class TaskResult:
    messages: list = field(default_factory=list)


class AssistantAgent:
    def __init__(self, name: str, model_client, *, system_message: str | None = None, **kwargs):
        self.name = name
        self.model_client = model_client
        self.system_message = system_message
        self.kwargs = kwargs
        self.history = []
        created.append(self)

    async def run(self, *, task: str):
        self.history.append(TextMessage(task, "user"))
        answer = replies.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        self.history.append(TextMessage(answer, self.name))
        # As in AutoGen: the task message, then the agent's; the last one is the answer.
        return TaskResult(self.history[-2:])
