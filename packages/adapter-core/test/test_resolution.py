"""Model and provider resolution: which model runs and which registry entry serves it."""

import os
from types import SimpleNamespace

from core_testkit import HOSTED, LOCAL, RULES, IsolatedAdapterTestCase, core

THIRD = core.Provider("third", model_prefixes=("hx-pro",), model_aliases=("hx-1",))


class ModelChoice(IsolatedAdapterTestCase):
    def test_env_model_wins_over_runtime_config(self):
        os.environ["MODEL"] = "large"
        self.assertEqual(core.chosen_model({"model": "small"}, RULES), "large")

    def test_runtime_config_model_is_used_without_env(self):
        self.assertEqual(core.chosen_model({"model": " hx-2 "}, RULES), "hx-2")

    def test_a_whitespace_only_env_model_counts_as_unset(self):
        os.environ["MODEL"] = "  \t "
        self.assertEqual(core.chosen_model({"model": "hx-2"}, RULES), "hx-2")

    def test_no_model_anywhere_is_none(self):
        self.assertIsNone(core.chosen_model({}, RULES))
        self.assertIsNone(core.chosen_model({"model": 7}, RULES))

    def test_runtime_config_may_be_an_object_instead_of_a_dict(self):
        self.assertEqual(core.chosen_model(SimpleNamespace(model="hx-3"), RULES), "hx-3")
        self.assertIsNone(core.chosen_model(SimpleNamespace(), RULES))

    def test_the_adapters_prefixes_are_stripped_case_insensitively_and_no_other(self):
        self.assertEqual(core.chosen_model({"model": "FW:hx-3"}, RULES), "hx-3")
        self.assertEqual(core.chosen_model({"model": "anthropic:claude-x"}, RULES), "anthropic:claude-x")

    def test_a_model_that_is_only_a_prefix_is_no_model(self):
        self.assertIsNone(core.chosen_model({"model": "fw:"}, RULES))


class ProviderChoice(IsolatedAdapterTestCase):
    providers = (LOCAL, HOSTED, THIRD)

    def resolve(self, model, runtime_config=None, source=None):
        return core.resolve_provider(model, self.providers, runtime_config or {}, RULES, source=source).name

    def test_model_provider_env_naming_an_entry_wins_over_everything(self):
        os.environ["MODEL_PROVIDER"] = "Third"
        self.assertEqual(self.resolve("hx-9", {"provider": "hosted"}), "third")

    def test_the_adapters_aliases_map_to_registry_names(self):
        os.environ["MODEL_PROVIDER"] = "DEFAULT"
        self.assertEqual(self.resolve("hx-9"), "local")

    def test_model_provider_naming_no_entry_is_ignored_with_a_warning(self):
        os.environ["MODEL_PROVIDER"] = "no-such-provider"
        with self.assertLogs("molecule_adapter_core", "WARNING") as logs:
            self.assertEqual(self.resolve("hx-9"), "hosted")
        self.assertIn("MODEL_PROVIDER=no-such-provider", logs.output[0])
        self.assertIn("local, hosted, third", logs.output[0])

    def test_the_configured_provider_is_used_without_env(self):
        self.assertEqual(self.resolve("small", {"provider": "third"}), "third")
        self.assertEqual(self.resolve("hx-9", {"provider": "default"}), "local")
        self.assertEqual(self.resolve("small", SimpleNamespace(provider="hosted")), "hosted")

    def test_an_explicit_provider_missing_from_the_registry_is_an_error_saying_what_to_set(self):
        with self.assertRaises(core.ConfigError) as caught:
            self.resolve("small", {"provider": "openrouter"}, source="/configs/config.yaml")
        message = str(caught.exception)
        for part in ("'openrouter'", "runtime_config.provider or MODEL_PROVIDER", "local, hosted, third",
                     "providers list in /configs/config.yaml"):
            self.assertIn(part, message)
        self.assertIsInstance(caught.exception, RuntimeError)

    def test_the_error_says_when_the_built_ins_are_in_use(self):
        with self.assertRaises(core.ConfigError) as caught:
            self.resolve("small", {"provider": "openrouter"})
        self.assertIn("from the adapter's built-in providers", str(caught.exception))

    def test_the_first_entry_whose_prefix_starts_the_lower_cased_model(self):
        self.assertEqual(self.resolve("HX-PRO-2"), "hosted")  # hosted's hx- comes before third's hx-pro

    def test_a_prefix_match_beats_an_alias_match(self):
        self.assertEqual(self.resolve("hx-1"), "hosted")

    def test_then_the_entry_whose_alias_equals_the_model(self):
        self.assertEqual(self.resolve("Large"), "local")
        providers = (HOSTED, THIRD)
        self.assertEqual(core.resolve_provider("hx-1", (LOCAL, THIRD), {}, RULES).name, "third")
        self.assertEqual(core.resolve_provider("small", providers, {}, RULES).name, "hosted")

    def test_then_the_first_entry(self):
        self.assertEqual(self.resolve("unknown-model"), "local")
        self.assertEqual(core.resolve_provider("unknown", (THIRD, LOCAL), {}, RULES).name, "third")
