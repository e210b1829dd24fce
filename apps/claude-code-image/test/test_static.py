"""Static checks of the adapter in the app: its fragment ships every file the runtime needs, and the Python compiles."""

import py_compile
import re
import tempfile
import unittest
from pathlib import Path

from adapter_testkit import APP_DIR, FILES_DIR


def instructions() -> list:
    """The fragment's instructions as (keyword, arguments), continuation lines joined and comments dropped."""
    text = (APP_DIR / "image.Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [(line.split()[0].upper(), line.split()[1:]) for line in joined.splitlines() if line.strip()]


def copy_sources_to(destination: str) -> list:
    return [src for keyword, args in instructions() if keyword == "COPY" and args[-1] == destination
            for src in args[:-1]]


class Fragment(unittest.TestCase):
    def test_adapter_init_config_and_executor_are_copied_into_app(self):
        self.assertEqual(sorted(copy_sources_to("/app/")),
                         sorted(["adapter.py", "__init__.py", "config.yaml", "claude_sdk_executor.py"]))

    def test_every_copied_file_exists_in_files(self):
        for name in copy_sources_to("/app/"):
            with self.subTest(name=name):
                self.assertTrue((FILES_DIR / name).is_file())

    def test_files_holds_nothing_the_fragment_leaves_behind(self):
        # The top of files/ is the adapter's (entrypoint.d/ holds the app's hook, copied elsewhere).
        shipped = {p.name for p in FILES_DIR.iterdir() if p.is_file()}
        self.assertEqual(shipped, set(copy_sources_to("/app/")))

    def test_the_runtime_imports_the_adapter_module_from_app(self):
        env = dict(arg.split("=", 1) for keyword, args in instructions() if keyword == "ENV" for arg in args)
        self.assertEqual(env["ADAPTER_MODULE"], "adapter")
        self.assertTrue((FILES_DIR / f"{env['ADAPTER_MODULE']}.py").is_file())
        self.assertIn("/app", env["PYTHONPATH"].split(":"))


class PythonFiles(unittest.TestCase):
    def test_every_python_file_compiles(self):
        with tempfile.TemporaryDirectory() as out:
            for source in sorted(FILES_DIR.glob("*.py")):
                with self.subTest(file=source.name):
                    py_compile.compile(str(source), cfile=str(Path(out) / (source.name + "c")), doraise=True)
