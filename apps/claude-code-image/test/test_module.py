"""What the runtime and the platform see of the adapter: the Adapter alias, its metadata, and config.yaml."""

import json
import os
import subprocess
import sys
import unittest

import yaml

from adapter_testkit import FILES_DIR, AdapterContract, adapter, python_path


class RuntimeDiscovery(AdapterContract, unittest.TestCase):
    # The contract every adapter is held to (alias, __init__.py both ways, metadata): adapter-core's shared tests.
    files_dir = FILES_DIR
    adapter_name = "claude-code"
    class_name = "ClaudeCodeAdapter"

    def test_name_display_name_and_description(self):
        self.assertEqual(adapter.Adapter.name(), "claude-code")
        self.assertEqual(adapter.Adapter.display_name(), "Claude Code")
        self.assertTrue(adapter.Adapter.description())

    def test_config_schema(self):
        schema = adapter.Adapter.get_config_schema()
        self.assertEqual({k: (v["type"], v["default"]) for k, v in schema.items()},
                         {"model": ("string", "sonnet"), "required_env": ("array", ["CLAUDE_CODE_OAUTH_TOKEN"]),
                          "timeout": ("integer", 0)})


class ShippedConfig(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.config = yaml.safe_load((FILES_DIR / "config.yaml").read_text(encoding="utf-8"))

    def test_it_sits_beside_the_adapter(self):
        self.assertEqual(os.path.dirname(adapter.BESIDE_ADAPTER_REGISTRY), str(FILES_DIR))

    def test_top_level_facts(self):
        c = self.config
        self.assertEqual((c["name"], c["version"], c["tier"]), ("Claude Code Agent", "1.0.0", 2))

    def test_runtime_equals_the_adapters_name(self):
        self.assertEqual(self.config["runtime"], adapter.Adapter.name())

    def test_template_schema_version_is_the_integer_1(self):
        self.assertIs(type(self.config["template_schema_version"]), int)
        self.assertEqual(self.config["template_schema_version"], 1)

    def test_the_description_names_the_three_auth_paths(self):
        for words in ("CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
                      "third-party", "OAuth wins"):
            self.assertIn(words, self.config["description"])

    def test_runtime_config_defaults(self):
        rc = self.config["runtime_config"]
        self.assertEqual((rc["model"], rc["timeout"], rc["required_env"]), ("sonnet", 0, ["CLAUDE_CODE_OAUTH_TOKEN"]))

    def test_the_model_catalogue(self):
        models = self.config["runtime_config"]["models"]
        self.assertEqual(len(models), 21)
        for model in models:
            with self.subTest(model=model.get("id")):
                self.assertEqual(set(model), {"id", "name", "required_env"})
                self.assertTrue(model["name"])
                self.assertIsInstance(model["required_env"], list)
        ids = [m["id"] for m in models]
        self.assertEqual(len(set(ids)), len(ids))
        self.assertEqual(ids[:3], ["sonnet", "opus", "haiku"])
        self.assertIn("kimi-for-coding", ids)

    def test_every_provider_entry_survives_normalisation_unchanged(self):
        for entry in self.config["providers"]:
            with self.subTest(provider=entry["name"]):
                p = adapter.normalise_provider(entry)
                self.assertEqual((p.name, p.auth_mode, list(p.model_prefixes), list(p.model_aliases), p.base_url,
                                  list(p.auth_env)),
                                 (entry["name"], entry["auth_mode"], entry["model_prefixes"], entry["model_aliases"],
                                  entry["base_url"], entry["auth_env"]))


class WithoutPyYAML(unittest.TestCase):
    def test_the_built_ins_are_used_with_a_warning(self):
        # A fresh interpreter where `import yaml` fails, as on an image whose runtime dropped the dependency.
        script = (
            "import json, logging, sys\n"
            "sys.modules['yaml'] = None\n"
            "logging.basicConfig(level=logging.WARNING, format='%(levelname)s %(message)s')\n"
            "import adapter\n"
            "providers = adapter.load_providers(sys.argv[1])\n"
            "print(json.dumps([p.name for p in providers]))\n"
        )
        env = dict(os.environ, PYTHONPATH=python_path(FILES_DIR),
                   PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run([sys.executable, "-c", script, str(FILES_DIR)], capture_output=True, text=True,
                              env=env, timeout=60, check=True)
        # FILES_DIR holds the shipped config.yaml with seven providers: only the missing parser can explain two.
        self.assertEqual(json.loads(done.stdout), ["anthropic-oauth", "anthropic-api"])
        self.assertIn("WARNING providers: PyYAML is not installed; using the built-in providers only", done.stderr)
