"""What every adapter test shares: import paths, an isolated environment, and small builders.

The adapter imports molecule_runtime, a2a and claude_agent_sdk, which cannot be installed here (PyPI is out of
reach): `doubles/` holds stand-ins for them and goes first on sys.path, next to the layer's `files/`.
"""

import asyncio
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

TEST_DIR = Path(__file__).resolve().parent
LAYER_DIR = TEST_DIR.parent
FILES_DIR = LAYER_DIR / "files"
DOUBLES_DIR = TEST_DIR / "doubles"

# Keep the image's files/ folder free of __pycache__.
sys.dont_write_bytecode = True
for path in (str(DOUBLES_DIR), str(FILES_DIR)):
    if path not in sys.path:
        sys.path.insert(0, path)

import adapter  # noqa: E402
import claude_agent_sdk  # noqa: E402
import claude_sdk_executor  # noqa: E402
from molecule_runtime import plugins as plugins_double  # noqa: E402
from molecule_runtime.adapters.base import AdapterConfig  # noqa: E402


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def provider_yaml(*names: str) -> str:
    """A registry file whose providers are minimal entries with these names."""
    return "providers:\n" + "".join(f"  - name: {n}\n" for n in names)


class AdapterTestCase(unittest.IsolatedAsyncioTestCase):
    """Each test gets an empty environment (HOME in a temp dir), registry paths and mount points in temp dirs,
    so neither the machine's variables nor a real /opt/adapter, /workspace or /configs can leak in."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="adapter-test-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.home = self.tmp / "home"
        self.home.mkdir()
        self.configs = self.tmp / "configs"
        self.configs.mkdir()
        self.workspace = self.tmp / "workspace"
        self.workspace.mkdir()
        self.canonical = self.tmp / "opt-adapter" / "config.yaml"
        self.beside = self.tmp / "app" / "config.yaml"
        for patcher in (
            mock.patch.dict(os.environ, {"HOME": str(self.home)}, clear=True),
            mock.patch.object(adapter, "CANONICAL_REGISTRY", str(self.canonical)),
            mock.patch.object(adapter, "BESIDE_ADAPTER_REGISTRY", str(self.beside)),
            mock.patch.object(claude_sdk_executor, "WORKSPACE_DIR", str(self.workspace)),
            mock.patch.object(claude_sdk_executor, "CONFIGS_DIR", str(self.configs)),
        ):
            patcher.start()
            self.addCleanup(patcher.stop)
        plugins_double.calls.clear()

    def config(self, **fields) -> AdapterConfig:
        fields.setdefault("config_path", str(self.configs))
        return AdapterConfig(**fields)

    def use_shipped_registry(self):
        """Make the config.yaml this layer ships the registry beside the adapter, as in the image."""
        patcher = mock.patch.object(adapter, "BESIDE_ADAPTER_REGISTRY", str(FILES_DIR / "config.yaml"))
        patcher.start()
        self.addCleanup(patcher.stop)


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
