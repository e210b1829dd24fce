"""The provider registry: which file wins, what happens when none does, and how each entry is normalised."""

from unittest import mock

from adapter_testkit import AdapterTestCase, adapter, core, provider_yaml, write


def names(providers):
    return [p.name for p in providers]


class RegistrySearch(AdapterTestCase):
    def test_searches_opt_adapter_then_beside_the_adapter_then_the_config_path(self):
        self.assertEqual(adapter.registry_paths(str(self.configs)),
                         [str(self.canonical), str(self.beside), str(self.configs / "config.yaml")])

    def test_opt_adapter_wins_over_the_other_two(self):
        write(self.canonical, provider_yaml("from-opt"))
        write(self.beside, provider_yaml("from-beside"))
        write(self.configs / "config.yaml", provider_yaml("from-configs"))
        self.assertEqual(names(adapter.load_providers(str(self.configs))), ["from-opt"])

    def test_the_file_beside_the_adapter_wins_over_the_config_path(self):
        write(self.beside, provider_yaml("from-beside"))
        write(self.configs / "config.yaml", provider_yaml("from-configs"))
        self.assertEqual(names(adapter.load_providers(str(self.configs))), ["from-beside"])

    def test_the_config_path_is_used_when_the_first_two_are_missing(self):
        write(self.configs / "config.yaml", provider_yaml("from-configs"))
        with self.assertLogs("molecule_adapter_core", "INFO") as logs:
            self.assertEqual(names(adapter.load_providers(str(self.configs))), ["from-configs"])
        self.assertIn(f"{self.canonical} not found", "\n".join(logs.output))

    def test_paths_naming_the_same_file_are_searched_once(self):
        same = self.configs / "config.yaml"
        with mock.patch.object(core, "CANONICAL_REGISTRY", str(same)), \
                mock.patch.object(adapter, "BESIDE_ADAPTER_REGISTRY", str(self.configs) + "/./config.yaml"):
            self.assertEqual(adapter.registry_paths(str(self.configs) + "/"), [str(same)])
            with self.assertLogs("molecule_adapter_core", "INFO") as logs:
                adapter.load_providers(str(self.configs))
        self.assertEqual(sum("not found" in line for line in logs.output), 1)

    def test_a_yaml_error_is_a_warning_and_the_search_moves_on(self):
        write(self.canonical, "providers: [unclosed\n")
        write(self.beside, provider_yaml("from-beside"))
        with self.assertLogs("molecule_adapter_core", "WARNING") as logs:
            self.assertEqual(names(adapter.load_providers(str(self.configs))), ["from-beside"])
        self.assertIn(str(self.canonical), "\n".join(logs.output))

    def test_a_file_without_a_valid_entry_moves_on(self):
        write(self.canonical, "providers:\n  - auth_mode: oauth\n  - 42\n")
        write(self.beside, provider_yaml("from-beside"))
        with self.assertLogs("molecule_adapter_core", "WARNING") as logs:
            self.assertEqual(names(adapter.load_providers(str(self.configs))), ["from-beside"])
        self.assertTrue(any("no valid entry" in line for line in logs.output))

    def test_files_without_a_non_empty_providers_list_move_on(self):
        write(self.canonical, "name: no providers here\n")
        write(self.beside, "providers: []\n")
        write(self.configs / "config.yaml", provider_yaml("from-configs"))
        self.assertEqual(names(adapter.load_providers(str(self.configs))), ["from-configs"])

    def test_the_built_ins_are_used_when_no_file_has_providers(self):
        providers = adapter.load_providers(str(self.configs))
        self.assertEqual(providers, adapter.BUILTIN_PROVIDERS)
        oauth, api = providers
        self.assertEqual((oauth.name, oauth.model_aliases, oauth.auth_env),
                         ("anthropic-oauth", ("sonnet", "opus", "haiku"), ("CLAUDE_CODE_OAUTH_TOKEN",)))
        self.assertEqual((api.name, api.model_prefixes, api.auth_env),
                         ("anthropic-api", ("claude-",), ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")))

    def test_the_shipped_config_yaml_loads_all_seven_providers(self):
        self.use_shipped_registry()
        providers = adapter.load_providers(str(self.configs))
        self.assertEqual(names(providers), ["anthropic-oauth", "anthropic-api", "xiaomi-mimo", "minimax", "zai",
                                            "kimi-coding", "deepseek"])
        kimi = providers[5]
        self.assertEqual(kimi.auth_token_env, "ANTHROPIC_API_KEY")
        self.assertEqual(kimi.base_url, "https://api.kimi.com/coding/")
        self.assertEqual(providers[3].auth_token_env, "ANTHROPIC_AUTH_TOKEN")


class EntryNormalisation(AdapterTestCase):
    def test_a_name_is_required_and_must_be_a_string(self):
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            self.assertIsNone(adapter.normalise_provider({"auth_mode": "oauth"}))
            self.assertIsNone(adapter.normalise_provider({"name": 7}))
            self.assertIsNone(adapter.normalise_provider({"name": "  "}))
            self.assertIsNone(adapter.normalise_provider("just-a-string"))

    def test_auth_mode_defaults_to_oauth(self):
        self.assertEqual(adapter.normalise_provider({"name": "x"}).auth_mode, "oauth")
        self.assertEqual(adapter.normalise_provider({"name": "x", "auth_mode": ""}).auth_mode, "oauth")

    def test_prefixes_and_aliases_are_lower_cased_lists(self):
        p = adapter.normalise_provider({"name": "x", "model_prefixes": ["MiniMax-"], "model_aliases": ["Fast"]})
        self.assertEqual((p.model_prefixes, p.model_aliases), (("minimax-",), ("fast",)))

    def test_a_lone_string_is_one_item_not_its_characters(self):
        p = adapter.normalise_provider({"name": "x", "model_prefixes": "Mimo-", "auth_env": "KIMI_API_KEY"})
        self.assertEqual(p.model_prefixes, ("mimo-",))
        self.assertEqual(p.auth_env, ("KIMI_API_KEY",))

    def test_non_string_items_are_dropped(self):
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            p = adapter.normalise_provider({"name": "x", "model_prefixes": ["glm-", 123, None, {"a": 1}]})
        self.assertEqual(p.model_prefixes, ("glm-",))

    def test_auth_env_names_keep_their_case(self):
        p = adapter.normalise_provider({"name": "x", "auth_env": ["GLM_API_KEY", "Mixed_Case"]})
        self.assertEqual(p.auth_env, ("GLM_API_KEY", "Mixed_Case"))

    def test_an_empty_base_url_is_none(self):
        for value in ("", "   ", None):
            self.assertIsNone(adapter.normalise_provider({"name": "x", "base_url": value}).base_url)
        self.assertEqual(adapter.normalise_provider({"name": "x", "base_url": "https://h/a"}).base_url, "https://h/a")

    def test_auth_token_env_defaults_to_anthropic_auth_token(self):
        self.assertEqual(adapter.normalise_provider({"name": "x"}).auth_token_env, "ANTHROPIC_AUTH_TOKEN")
        self.assertEqual(adapter.normalise_provider({"name": "x", "auth_token_env": ""}).auth_token_env,
                         "ANTHROPIC_AUTH_TOKEN")
        self.assertEqual(adapter.normalise_provider({"name": "x", "auth_token_env": "ANTHROPIC_API_KEY"})
                         .auth_token_env, "ANTHROPIC_API_KEY")

    def test_a_bad_entry_is_dropped_alone(self):
        write(self.configs / "config.yaml",
              "providers:\n  - name: good-one\n  - [not, a, mapping]\n  - name: 12\n  - name: good-two\n")
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            self.assertEqual(names(adapter.load_providers(str(self.configs))), ["good-one", "good-two"])

    def test_registry_files_are_read_with_safe_yaml(self):
        # A tagged object must not be constructed: the file is data, never code.
        write(self.configs / "config.yaml", "providers: !!python/object/apply:os.getcwd []\n")
        with self.assertLogs("molecule_adapter_core", "WARNING"):
            self.assertEqual(adapter.load_providers(str(self.configs)), adapter.BUILTIN_PROVIDERS)
