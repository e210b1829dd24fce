"""Test double of `langgraph.prebuilt`: create_react_agent records its arguments and returns a graph whose
ainvoke() answers with the next scripted reply (or raises it), keeping history per thread in the checkpointer.

As in LangGraph: ainvoke(input, config) takes {"messages": [...]} and config["configurable"]["thread_id"], and
returns the state {"messages": [...]} whose last message is the AI's, with `.content` a string or content blocks.
"""

from dataclasses import dataclass

created = []  # one entry per create_react_agent call: its arguments and the agent
replies = []  # what the next ainvoke() calls answer, in order; an exception is raised


@dataclass
class AIMessage:
    content: object


class ScriptedGraph:
    def __init__(self, checkpointer):
        self.checkpointer = checkpointer
        self.calls = []

    async def ainvoke(self, input, config=None):
        thread = config["configurable"]["thread_id"]
        self.calls.append((input, config))
        history = self.checkpointer.threads.setdefault(thread, [])
        history.extend(input["messages"])
        answer = replies.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        history.append(AIMessage(answer))
        return {"messages": list(history)}


def create_react_agent(model, tools=None, *, prompt=None, checkpointer=None, **kwargs):
    agent = ScriptedGraph(checkpointer)
    created.append({"model": model, "tools": tools, "prompt": prompt, "checkpointer": checkpointer,
                    "kwargs": kwargs, "agent": agent})
    return agent
