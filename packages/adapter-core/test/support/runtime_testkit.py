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
import importlib
import importlib.util
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
           "python_path", "run_turn", "wait_until", "write", "load_adapter", "AdapterContract"]

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
    (/configs, /workspace) in temp dirs, so neither the machine's variables nor its real folders can leak in.
    Set `adapter_module` to an adapter module and its BESIDE_ADAPTER_REGISTRY is `self.beside`, in a temp dir too."""

    adapter_module = None

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
        self.beside = self.tmp / "app" / "config.yaml"
        if self.adapter_module is not None:
            self.patch(mock.patch.object(self.adapter_module, "BESIDE_ADAPTER_REGISTRY", str(self.beside)))
        plugins_double.calls.clear()

    def patch(self, patcher):
        """Start a mock patcher for this test only."""
        value = patcher.start()
        self.addCleanup(patcher.stop)
        return value

    def config(self, **fields) -> AdapterConfig:
        fields.setdefault("config_path", str(self.configs))
        return AdapterConfig(**fields)

    async def set_up(self, instance, config=None, level="INFO") -> list:
        """Run instance.setup(config) as the runtime does; the messages of every record it logged."""
        with self.assertLogs(level=level) as logs:  # the root logger: every record, whoever logs it
            await instance.setup(config or self.config())
        return [r.getMessage() for r in logs.records]

    async def executor_of(self, instance, config=None):
        """setup() then create_executor(), as the runtime calls them."""
        config = config or self.config()
        await self.set_up(instance, config)
        return await instance.create_executor(config)


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


def load_adapter(test_dir: Path):
    """Import the adapter of the project whose tests are in test_dir: its framework doubles (test_dir/doubles)
    and its files (../files) go first on sys.path, as ADAPTER_MODULE=adapter with /app on PYTHONPATH does."""
    put_first_on_path(test_dir / "doubles", test_dir.parent / "files")
    return importlib.import_module("adapter")


class AdapterContract:
    """What the runtime needs of every adapter module, as tests: mix into a unittest.TestCase and set
    `files_dir`, `adapter_name` (name() and the config.yaml `runtime`) and `class_name`."""

    files_dir: Path
    adapter_name: str
    class_name: str

    def module(self):
        return importlib.import_module("adapter")

    def test_adapter_is_the_alias_of_a_base_adapter_subclass_with_every_method(self):
        # What the runtime does with ADAPTER_MODULE=adapter; a missing alias once made containers restart-loop.
        module = self.module()
        self.assertEqual(Path(module.__file__).parent, self.files_dir)
        self.assertIs(module.Adapter, getattr(module, self.class_name))
        self.assertTrue(issubclass(module.Adapter, BaseAdapter))
        module.Adapter()  # raises TypeError if an abstract method is left out

    def test_init_re_exports_adapter_for_package_style_discovery(self):
        name = f"{self.adapter_name.replace('-', '_')}_template"
        spec = importlib.util.spec_from_file_location(name, self.files_dir / "__init__.py",
                                                      submodule_search_locations=[str(self.files_dir)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = package
        self.addCleanup(sys.modules.pop, spec.name)
        self.addCleanup(sys.modules.pop, spec.name + ".adapter", None)
        spec.loader.exec_module(package)
        self.assertIs(package.Adapter, sys.modules[f"{name}.adapter"].Adapter)
        self.assertTrue(issubclass(package.Adapter, BaseAdapter))

    def test_init_also_works_as_a_plain_module_beside_adapter_py(self):
        spec = importlib.util.spec_from_file_location("init_as_module", self.files_dir / "__init__.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.assertIs(module.Adapter, self.module().Adapter)

    def test_name_display_name_description_and_config_schema(self):
        adapter = self.module().Adapter
        self.assertEqual(adapter.name(), self.adapter_name)
        self.assertTrue(adapter.display_name().strip())
        self.assertTrue(adapter.description().strip())
        schema = adapter.get_config_schema()
        self.assertEqual(schema["model"]["type"], "string")
        self.assertTrue(schema["model"]["default"])

    def test_the_python_files_compile_without_writing_bytecode_into_files(self):
        import py_compile
        with tempfile.TemporaryDirectory() as out:
            for source in sorted(self.files_dir.glob("*.py")):
                with self.subTest(file=source.name):
                    py_compile.compile(str(source), cfile=str(Path(out) / (source.name + "c")), doraise=True)
        self.assertFalse((self.files_dir / "__pycache__").exists())
