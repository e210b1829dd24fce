"""Model and provider resolution: which model runs and which registry entry serves it."""

import os
from types import SimpleNamespace

from adapter_testkit import AdapterTestCase, FILES_DIR, adapter


class ModelChoice(AdapterTestCase):
    def test_env_model_wins_over_runtime_config(self):
        os.environ["MODEL"] = "opus"
        self.assertEqual(adapter.chosen_model({"model": "haiku"}), "opus")

    def test_runtime_config_model_is_used_without_env(self):
        self.assertEqual(adapter.chosen_model({"model": "haiku"}), "haiku")

    def test_a_whitespace_only_env_model_counts_as_unset(self):
        os.environ["MODEL"] = "  \t "
        self.assertEqual(adapter.chosen_model({"model": "haiku"}), "haiku")

    def test_no_model_anywhere_means_none_and_setup_defaults_to_sonnet(self):
        self.assertIsNone(adapter.chosen_model({}))
        self.assertEqual(adapter.DEFAULT_MODEL, "sonnet")

    def test_runtime_config_may_be_an_object_instead_of_a_dict(self):
        self.assertEqual(adapter.chosen_model(SimpleNamespace(model="claude-opus-4-7")), "claude-opus-4-7")

    def test_anthropic_and_claude_prefixes_are_stripped(self):
        self.assertEqual(adapter.chosen_model({"model": "anthropic:claude-opus-4-7"}), "claude-opus-4-7")
        os.environ["MODEL"] = "claude:sonnet"
        self.assertEqual(adapter.chosen_model({}), "sonnet")

    def test_other_vendor_prefixes_are_left_alone(self):
        self.assertEqual(adapter.chosen_model({"model": "openai:gpt-4"}), "openai:gpt-4")


class ProviderChoice(AdapterTestCase):
    def setUp(self):
        super().setUp()
        self.use_shipped_registry()
        self.providers = adapter.load_providers(str(self.configs))

    def resolve(self, model, runtime_config=None):
        return adapter.resolve_provider(model, self.providers, runtime_config or {}).name

    def test_model_provider_env_naming_an_entry_wins(self):
        os.environ["MODEL_PROVIDER"] = "minimax"
        self.assertEqual(self.resolve("sonnet", {"provider": "zai"}), "minimax")

    def test_model_provider_aliases_map_to_registry_names(self):
        os.environ["MODEL_PROVIDER"] = "claude-code"
        self.assertEqual(self.resolve("MiniMax-M2.7"), "anthropic-oauth")
        os.environ["MODEL_PROVIDER"] = "anthropic"
        self.assertEqual(self.resolve("sonnet"), "anthropic-api")

    def test_model_provider_naming_no_entry_is_ignored_with_a_warning(self):
        os.environ["MODEL_PROVIDER"] = "no-such-provider"
        with self.assertLogs("molecule_adapter_core", "WARNING") as logs:
            self.assertEqual(self.resolve("glm-4.6"), "zai")
        self.assertIn("MODEL_PROVIDER=no-such-provider", logs.output[0])

    def test_the_configured_provider_is_used_without_env(self):
        self.assertEqual(self.resolve("sonnet", {"provider": "deepseek"}), "deepseek")
        self.assertEqual(self.resolve("sonnet", {"provider": "anthropic"}), "anthropic-api")

    def test_an_explicit_provider_missing_from_the_registry_is_an_error_saying_what_to_set(self):
        with self.assertRaises(RuntimeError) as caught:
            self.resolve("sonnet", {"provider": "openrouter"})
        message = str(caught.exception)
        self.assertIn("'openrouter'", message)
        self.assertIn("runtime_config.provider or MODEL_PROVIDER", message)
        self.assertIn("anthropic-oauth, anthropic-api, xiaomi-mimo", message)

    def test_the_first_entry_whose_prefix_starts_the_lower_cased_model(self):
        self.assertEqual(self.resolve("MiniMax-M2.7-highspeed"), "minimax")
        self.assertEqual(self.resolve("GLM-4.6"), "zai")
        self.assertEqual(self.resolve("kimi-k2"), "kimi-coding")
        self.assertEqual(self.resolve("claude-opus-4-7"), "anthropic-api")

    def test_a_prefix_match_beats_an_alias_match(self):
        providers = (adapter.Provider("by-alias", model_aliases=("mimo-v2",)),
                     adapter.Provider("by-prefix", model_prefixes=("mimo-",)))
        self.assertEqual(adapter.resolve_provider("mimo-v2", providers, {}).name, "by-prefix")

    def test_then_the_entry_whose_alias_equals_the_model(self):
        self.assertEqual(self.resolve("Opus"), "anthropic-oauth")

    def test_then_the_first_entry(self):
        providers = (adapter.Provider("first"), adapter.Provider("second", model_aliases=("other",)))
        self.assertEqual(adapter.resolve_provider("unknown-model", providers, {}).name, "first")
        self.assertEqual(self.resolve("gpt-4"), "anthropic-oauth")

    def test_every_model_in_the_shipped_catalogue_routes_to_its_vendor(self):
        import yaml
        catalogue = yaml.safe_load((FILES_DIR / "config.yaml").read_text())["runtime_config"]["models"]
        vendor_by_start = {"sonnet": "anthropic-oauth", "opus": "anthropic-oauth", "haiku": "anthropic-oauth",
                           "claude-": "anthropic-api", "mimo-": "xiaomi-mimo", "minimax-": "minimax",
                           "glm-": "zai", "kimi-": "kimi-coding", "deepseek-": "deepseek"}
        for model in catalogue:
            expected = next(v for k, v in vendor_by_start.items() if model["id"].lower().startswith(k))
            with self.subTest(model=model["id"]):
                self.assertEqual(self.resolve(model["id"]), expected)
