"""What every adapter's tests share: import paths for the runtime doubles and adapter-core, an isolated
environment, and small builders. One file, used by adapter-core's own tests and by each adapter's testkit.

Adapters import molecule_runtime and a2a, which cannot be installed here (PyPI is out of reach): `doubles/`
beside this file holds stand-ins and goes first on sys.path, with adapter-core's `files/`. This folder holds no
test_*.py, so putting it on sys.path never shadows another folder's test modules. A testkit elsewhere reaches it
by the workspace root:

    ROOT = next(p for p in Path(__file__).resolve().parents if (p / "nx.json").is_file())
    sys.path.insert(0, str(ROOT / "packages" / "adapter-core" / "test" / "support"))
    from runtime_testkit import ...
"""

import asyncio
import os
import shutil
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

SUPPORT_DIR = Path(__file__).resolve().parent
ADAPTER_CORE_FILES_DIR = SUPPORT_DIR.parent.parent / "files"
RUNTIME_DOUBLES_DIR = SUPPORT_DIR / "doubles"

# Keep the images' files/ folders free of __pycache__ (they are shipped as they are).
sys.dont_write_bytecode = True


def put_first_on_path(*folders) -> None:
    """Put these folders at the front of sys.path, in the order given (the first wins a name clash)."""
    for folder in reversed([str(f) for f in folders]):
        if folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)


put_first_on_path(RUNTIME_DOUBLES_DIR, ADAPTER_CORE_FILES_DIR)

__all__ = ["ADAPTER_CORE_FILES_DIR", "RUNTIME_DOUBLES_DIR", "AdapterConfig", "BaseAdapter", "EventQueue",
           "IsolatedAdapterTestCase", "RequestContext", "core", "plugins_double", "provider_yaml", "put_first_on_path",
           "python_path", "run_turn", "wait_until", "write"]

import molecule_adapter_core as core  # noqa: E402
from a2a.server.agent_execution import RequestContext  # noqa: E402
from a2a.server.events import EventQueue  # noqa: E402
from molecule_runtime import plugins as plugins_double  # noqa: E402
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter  # noqa: E402


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def provider_yaml(*names: str) -> str:
    """A registry file whose providers are minimal entries with these names."""
    return "providers:\n" + "".join(f"  - name: {n}\n" for n in names)


def python_path(*folders) -> str:
    """A PYTHONPATH for a child interpreter that sees what the tests see: the given folders, then the doubles."""
    return os.pathsep.join([str(f) for f in folders] + [str(ADAPTER_CORE_FILES_DIR), str(RUNTIME_DOUBLES_DIR)])


class IsolatedAdapterTestCase(unittest.IsolatedAsyncioTestCase):
    """Each test gets an empty environment (HOME in a temp dir), /opt/adapter/config.yaml and the mount points
    (/configs, /workspace) in temp dirs, so neither the machine's variables nor its real folders can leak in."""

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
        self.patch(mock.patch.dict(os.environ, {"HOME": str(self.home)}, clear=True))
        self.patch(mock.patch.object(core, "CANONICAL_REGISTRY", str(self.canonical)))
        plugins_double.calls.clear()

    def patch(self, patcher):
        """Start a mock patcher for this test only."""
        value = patcher.start()
        self.addCleanup(patcher.stop)
        return value

    def config(self, **fields) -> AdapterConfig:
        fields.setdefault("config_path", str(self.configs))
        return AdapterConfig(**fields)


async def run_turn(executor, text: str = "hello", context_id: str | None = None) -> str:
    """Send one message through an A2A executor and return the text of its one reply."""
    queue = EventQueue()
    await executor.execute(RequestContext(text, context_id), queue)
    [message] = queue.events
    return message.text


async def wait_until(condition, timeout: float = 5.0) -> None:
    """Poll until condition() is true: for tests that need a turn to be running before they act."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)
