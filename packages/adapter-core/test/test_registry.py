"""The provider registry: which file wins, what happens when none does, and how each entry is normalised."""

import json
import os
import subprocess
import sys
import unittest

from core_testkit import RULES, IsolatedAdapterTestCase, core, provider_yaml, python_path, write


def names(registry):
    return [p.name for p in registry.providers]


class RegistrySearch(IsolatedAdapterTestCase):
    def setUp(self):
        super().setUp()
        self.beside = self.tmp / "app" / "config.yaml"
        self.paths = core.registry_paths(str(self.beside), str(self.configs / "config.yaml"))

    def load(self):
        return core.load_registry(self.paths, RULES)

    def test_opt_adapter_comes_first_then_the_candidates_in_order(self):
        self.assertEqual(self.paths, [str(self.canonical), str(self.beside), str(self.configs / "config.yaml")])

    def test_the_first_file_with_providers_wins_and_is_named_as_the_source(self):
        write(self.canonical, provider_yaml("from-opt"))
        write(self.beside, provider_yaml("from-beside"))
        self.assertEqual((names(self.load()), self.load().source), (["from-opt"], str(self.canonical)))
        self.canonical.unlink()
        self.assertEqual(names(self.load()), ["from-beside"])

    def test_a_missing_file_is_logged_and_the_search_moves_on(self):
        write(self.configs / "config.yaml", provider_yaml("from-configs"))
        with self.assertLogs("molecule_adapter_core", "INFO") as logs:
            self.assertEqual(names(self.load()), ["from-configs"])
        self.assertIn(f"{self.canonical} not found", "\n".join(logs.output))

    def test_two_spellings_of_one_file_are_searched_once(self):
        same = self.configs / "config.yaml"
        with unittest.mock.patch.object(core, "CANONICAL_REGISTRY", str(self.configs) + "/./config.yaml"):
            self.assertEqual(core.registry_paths(str(same), str(self.configs) + "//config.yaml"), [str(same)])

    def test_a_yaml_error_is_a_warning_naming_the_file_and_the_search_moves_on(self):
        write(self.canonical, "providers: [unclosed\n")
        write(self.beside, provider_yaml("from-beside"))
        with self.assertLogs("molecule_adapter_core", "WARNING") as logs:
            self.assertEqual(names(self.load()), ["from-beside"])
        self.assertIn(str(self.canonical), logs.output[0])
        self.assertIn("fix the file or remove it", logs.output[0])

    def test_a_file_that_is_not_utf8_moves_on(self):
        self.canonical.parent.mkdir(parents=True)
        self.canonical.write_bytes(b"providers:\n  - name: \xff\xfe\n")
        write(self.beside, provider_yaml("from-beside"))
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            self.assertEqual(names(self.load()), ["from-beside"])

    def test_files_without_a_non_empty_providers_list_move_on(self):
        write(self.canonical, "name: no providers here\n")
        write(self.beside, "providers: []\n")
        write(self.configs / "config.yaml", "providers: {name: not-a-list}\n")
        self.assertEqual(self.load(), core.Registry(RULES.builtin, None))

    def test_a_file_without_a_valid_entry_moves_on_with_a_warning(self):
        write(self.canonical, "providers:\n  - auth_mode: key\n  - 42\n")
        write(self.beside, provider_yaml("from-beside"))
        with self.assertLogs("molecule_adapter_core", "WARNING") as logs:
            self.assertEqual(names(self.load()), ["from-beside"])
        self.assertTrue(any("no valid entry" in line and str(self.canonical) in line for line in logs.output))

    def test_the_adapters_built_ins_are_used_when_no_file_has_providers(self):
        registry = self.load()
        self.assertEqual((registry.providers, registry.source), (RULES.builtin, None))

    def test_files_are_read_with_safe_yaml(self):
        # A tagged object must not be constructed: the file is data, never code.
        write(self.canonical, "providers: !!python/object/apply:os.getcwd []\n")
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            self.assertEqual(self.load().providers, RULES.builtin)

    def test_without_pyyaml_the_built_ins_are_used_with_a_warning(self):
        # A fresh interpreter where `import yaml` fails, as on an image whose runtime dropped the dependency.
        write(self.canonical, provider_yaml("would-win-with-yaml"))
        script = (
            "import json, logging, sys\n"
            "sys.modules['yaml'] = None\n"
            "logging.basicConfig(level=logging.WARNING, format='%(levelname)s %(message)s')\n"
            "import molecule_adapter_core as core\n"
            "rules = core.Rules(builtin=(core.Provider('only-built-in'),), default_model='m', label='fw')\n"
            "print(json.dumps([p.name for p in core.load_registry([sys.argv[1]], rules).providers]))\n"
        )
        env = dict(os.environ, PYTHONPATH=python_path(), PYTHONDONTWRITEBYTECODE="1")
        done = subprocess.run([sys.executable, "-c", script, str(self.canonical)], capture_output=True, text=True,
                              env=env, timeout=60, check=True)
        self.assertEqual(json.loads(done.stdout), ["only-built-in"])
        self.assertIn("WARNING providers: PyYAML is not installed; using the built-in providers only", done.stderr)


class EntryNormalisation(unittest.TestCase):
    def entry(self, **fields):
        return core.normalise_provider({"name": "x", **fields}, RULES)

    def test_a_name_is_required_and_must_be_a_non_blank_string(self):
        with self.assertLogs("molecule_adapter_core", "WARNING") as logs:
            for bad in ({"auth_mode": "key"}, {"name": 7}, {"name": "  "}, "just-a-string", None):
                self.assertIsNone(core.normalise_provider(bad, RULES), bad)
        self.assertEqual(len(logs.output), 5)

    def test_the_name_is_trimmed(self):
        self.assertEqual(core.normalise_provider({"name": " hosted "}, RULES).name, "hosted")

    def test_omitted_fields_take_the_adapters_defaults(self):
        p = self.entry()
        self.assertEqual((p.auth_mode, p.auth_token_env, p.base_url_env), ("key", "FW_TOKEN", "FW_BASE_URL"))
        blank = self.entry(auth_mode="", auth_token_env=" ", base_url_env="")
        self.assertEqual((blank.auth_mode, blank.auth_token_env, blank.base_url_env), ("key", "FW_TOKEN", "FW_BASE_URL"))

    def test_an_entry_sets_its_own_token_and_base_url_variables(self):
        p = self.entry(auth_mode="open", auth_token_env="OTHER_KEY", base_url_env="OTHER_URL")
        self.assertEqual((p.auth_mode, p.auth_token_env, p.base_url_env), ("open", "OTHER_KEY", "OTHER_URL"))

    def test_prefixes_and_aliases_are_lower_cased_lists(self):
        p = self.entry(model_prefixes=["HX-"], model_aliases=["Fast"])
        self.assertEqual((p.model_prefixes, p.model_aliases), (("hx-",), ("fast",)))

    def test_a_lone_string_is_one_item_not_its_characters(self):
        p = self.entry(model_prefixes="Mimo-", auth_env="HOSTED_KEY")
        self.assertEqual((p.model_prefixes, p.auth_env), (("mimo-",), ("HOSTED_KEY",)))

    def test_non_string_and_empty_items_are_dropped_with_a_warning(self):
        # An empty prefix would claim every model.
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            p = self.entry(model_prefixes=["glm-", 123, None, {"a": 1}, "", "  "])
        self.assertEqual(p.model_prefixes, ("glm-",))

    def test_anything_else_than_a_list_or_string_is_no_items(self):
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            self.assertEqual(self.entry(model_aliases={"a": 1}).model_aliases, ())
        self.assertEqual(self.entry(model_aliases=None).model_aliases, ())

    def test_auth_env_names_keep_their_case(self):
        self.assertEqual(self.entry(auth_env=["GLM_API_KEY", "Mixed_Case"]).auth_env, ("GLM_API_KEY", "Mixed_Case"))

    def test_an_empty_or_non_string_base_url_is_none(self):
        for value in ("", "   ", None, 42):
            self.assertIsNone(self.entry(base_url=value).base_url, value)
        self.assertEqual(self.entry(base_url=" https://h/a ").base_url, "https://h/a")

    def test_a_bad_entry_is_dropped_alone(self):
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            kept = [core.normalise_provider(e, RULES) for e in ({"name": "one"}, ["not", "a", "mapping"],
                                                                {"name": 12}, {"name": "two"})]
        self.assertEqual([p.name for p in kept if p], ["one", "two"])
