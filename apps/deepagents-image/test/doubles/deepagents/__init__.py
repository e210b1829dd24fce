"""Test double of `deepagents`: create_deep_agent records its arguments and returns a graph whose ainvoke()
answers with the next scripted reply (or raises it). Like a graph without a checkpointer it remembers nothing:
the state it returns is the messages it was given plus its answer."""

from dataclasses import dataclass

created = []  # one entry per create_deep_agent call: its arguments and the agent
replies = []  # what the next ainvoke() calls answer, in order; an exception is raised


@dataclass
class AIMessage:
    content: object


class ScriptedGraph:
    def __init__(self):
        self.calls = []

    async def ainvoke(self, input, config=None):
        self.calls.append(input)
        answer = replies.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return {"messages": list(input["messages"]) + [AIMessage(answer)]}


def create_deep_agent(model=None, tools=None, *, system_prompt=None, **kwargs):
    agent = ScriptedGraph()
    created.append({"model": model, "tools": tools, "system_prompt": system_prompt, "kwargs": kwargs,
                    "agent": agent})
    return agent
