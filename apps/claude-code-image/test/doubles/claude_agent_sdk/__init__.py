"""Test double of `claude_agent_sdk`, pip `claude-agent-sdk` (PyPI is out of reach here).

The interface assumed, as in the SDK: `query(*, prompt, options)` returns an async iterator of messages
(AssistantMessage with TextBlock content, then a ResultMessage carrying session_id and result) that has
`aclose()`; ClaudeAgentOptions takes model, system_prompt, cwd, permission_mode and resume; the CLI's failures
are ProcessError (with exit_code and stderr) and CLIConnectionError. Tests replace `query` with a scripted one.
"""

from dataclasses import dataclass, field


@dataclass
class ClaudeAgentOptions:
    model: str | None = None
    system_prompt: str | None = None
    cwd: str | None = None
    permission_mode: str | None = None
    resume: str | None = None


@dataclass
class TextBlock:
    text: str


@dataclass
class AssistantMessage:
    content: list = field(default_factory=list)
    model: str = ""


@dataclass
class ResultMessage:
    session_id: str = ""
    result: str | None = None
    is_error: bool = False


class ClaudeSDKError(Exception):
    pass


class CLIConnectionError(ClaudeSDKError):
    pass


class ProcessError(ClaudeSDKError):
    def __init__(self, message: str, exit_code: int | None = None, stderr: str | None = None):
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr = stderr


def query(*, prompt, options=None):
    raise NotImplementedError("the test double's query() must be replaced by the test")
