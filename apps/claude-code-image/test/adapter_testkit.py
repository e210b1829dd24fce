"""What every claude-code adapter test shares: import paths, an isolated environment, and small builders.

The runtime doubles (molecule_runtime, a2a), the isolated test case and the builders are adapter-core's
(packages/adapter-core/test/runtime_testkit.py), shared with every adapter's tests; this file adds what only the
claude-code adapter needs: the claude_agent_sdk double in `doubles/`, this app's `files/`, and its registry and
mount-point paths pointed at temp dirs.
"""

import asyncio
import sys
from pathlib import Path
from unittest import mock

TEST_DIR = Path(__file__).resolve().parent
APP_DIR = TEST_DIR.parent
FILES_DIR = APP_DIR / "files"
DOUBLES_DIR = TEST_DIR / "doubles"
WORKSPACE_ROOT = next(p for p in TEST_DIR.parents if (p / "nx.json").is_file())
sys.path.insert(0, str(WORKSPACE_ROOT / "packages" / "adapter-core" / "test" / "support"))

from runtime_testkit import (  # noqa: E402
    ADAPTER_CORE_FILES_DIR,
    AdapterContract,
    RUNTIME_DOUBLES_DIR,
    IsolatedAdapterTestCase,
    core,
    plugins_double,
    provider_yaml,
    put_first_on_path,
    python_path,
    run_turn,
    write,
)

put_first_on_path(DOUBLES_DIR, FILES_DIR)

import adapter  # noqa: E402
import claude_agent_sdk  # noqa: E402
import claude_sdk_executor  # noqa: E402

__all__ = ["ADAPTER_CORE_FILES_DIR", "AdapterContract", "RUNTIME_DOUBLES_DIR", "AdapterTestCase", "ScriptedStream", "adapter",
           "claude_agent_sdk", "claude_sdk_executor", "core", "plugins_double", "provider_yaml", "python_path",
           "reply", "run_turn", "write"]


class AdapterTestCase(IsolatedAdapterTestCase):
    """adapter-core's isolated test case, with the registry beside the adapter and the executor's mount points
    also in temp dirs."""

    adapter_module = adapter

    def setUp(self):
        super().setUp()
        self.patch(mock.patch.object(claude_sdk_executor, "WORKSPACE_DIR", str(self.workspace)))
        self.patch(mock.patch.object(claude_sdk_executor, "CONFIGS_DIR", str(self.configs)))

    def use_shipped_registry(self):
        """Make the config.yaml this app ships the registry beside the adapter, as in the image."""
        self.patch(mock.patch.object(adapter, "BESIDE_ADAPTER_REGISTRY", str(FILES_DIR / "config.yaml")))


class ScriptedStream:
    """Stands in for the async iterator claude_agent_sdk.query() returns: yields its messages, raises `error`
    at the end if given, and can be held open until released or closed (to test the lock and cancel)."""

    def __init__(self, messages=(), error=None, hold=False):
        self.messages = list(messages)
        self.error = error
        self.closed = False
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        if not hold:
            self.release.set()

    def __aiter__(self):
        return self

    async def __anext__(self):
        self.started.set()
        await self.release.wait()
        if self.closed:
            raise StopAsyncIteration
        if self.messages:
            return self.messages.pop(0)
        if self.error is not None:
            raise self.error
        raise StopAsyncIteration

    async def aclose(self):
        self.closed = True
        self.release.set()


def reply(text: str, session_id: str = "session-1") -> list:
    """The messages of a successful turn."""
    sdk = claude_agent_sdk
    return [sdk.AssistantMessage([sdk.TextBlock(text)]), sdk.ResultMessage(session_id=session_id, result=text)]
