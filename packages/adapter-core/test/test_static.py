"""Static checks of the layer: the fragment ships the module to /app, it compiles, and it names no framework."""

import py_compile
import re
import tempfile
import unittest
from pathlib import Path

from core_testkit import ADAPTER_CORE_FILES_DIR, core

LAYER_DIR = ADAPTER_CORE_FILES_DIR.parent


def copies() -> list:
    """(sources, destination) of each COPY in the fragment, continuation lines joined and comments dropped."""
    text = (LAYER_DIR / "layer.Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [(words[1:-1], words[-1]) for words in (line.split() for line in joined.splitlines())
            if words and words[0].upper() == "COPY"]


class Fragment(unittest.TestCase):
    def test_the_module_is_copied_into_app_beside_the_adapters(self):
        self.assertEqual(copies(), [(["molecule_adapter_core.py"], "/app/")])

    def test_files_holds_exactly_what_the_fragment_copies(self):
        shipped = sorted(p.name for p in ADAPTER_CORE_FILES_DIR.iterdir() if p.name != "__pycache__")
        self.assertEqual(shipped, [src for sources, _ in copies() for src in sources])

    def test_the_module_compiles(self):
        with tempfile.TemporaryDirectory() as out:
            py_compile.compile(str(ADAPTER_CORE_FILES_DIR / "molecule_adapter_core.py"),
                               cfile=str(Path(out) / "core.pyc"), doraise=True)


class Generic(unittest.TestCase):
    def test_no_framework_name_or_variable_is_baked_in(self):
        # The adapters pass these in (Rules); one baked in here would route every template like claude-code.
        lines = (ADAPTER_CORE_FILES_DIR / "molecule_adapter_core.py").read_text(encoding="utf-8").splitlines()
        for word in ("anthropic", "claude", "openai", "sonnet", "google", "gemini", "langchain", "autogen"):
            with self.subTest(word=word):
                self.assertEqual([line for line in lines if word in line.lower()], [])

    def test_an_adapter_without_rules_gets_no_routing_defaults(self):
        rules = core.Rules(builtin=(core.Provider("p"),), default_model="m", label="x")
        self.assertEqual((rules.aliases, rules.default_token_env, rules.default_base_url_env,
                          rules.strip_model_prefixes, rules.copyable_keys), ({}, "", "", (), None))
