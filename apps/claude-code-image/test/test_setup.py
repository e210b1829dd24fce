"""setup(): credentials and endpoint for the chosen provider, one log line without secrets, then plugins."""

import os

from adapter_testkit import AdapterTestCase, adapter, plugins_double, write

SECRET = "sk-planted-secret-value-0123456789"


class Setup(AdapterTestCase):
    def setUp(self):
        super().setUp()
        self.use_shipped_registry()
        self.adapter = adapter.Adapter()

    async def run_setup(self, level="INFO", **runtime_config):
        with self.assertLogs(level=level) as logs:  # the root logger: every record, whoever logs it
            await self.adapter.setup(self.config(runtime_config=runtime_config))
        return logs

    def summary_lines(self, logs):
        return [r.getMessage() for r in logs.records if r.getMessage().startswith("claude-code setup:")]

    async def test_a_vendor_key_is_copied_into_the_providers_token_variable(self):
        os.environ.update(MODEL="MiniMax-M2.7", MINIMAX_API_KEY=SECRET)
        await self.run_setup()
        self.assertEqual(os.environ["ANTHROPIC_AUTH_TOKEN"], SECRET)

    async def test_an_operator_token_is_never_overwritten(self):
        os.environ.update(MODEL="glm-4.6", GLM_API_KEY=SECRET, ANTHROPIC_AUTH_TOKEN="operator-token")
        await self.run_setup()
        self.assertEqual(os.environ["ANTHROPIC_AUTH_TOKEN"], "operator-token")

    async def test_an_empty_token_variable_counts_as_unset(self):
        os.environ.update(MODEL="deepseek-v4-pro", DEEPSEEK_API_KEY=SECRET, ANTHROPIC_AUTH_TOKEN="")
        await self.run_setup()
        self.assertEqual(os.environ["ANTHROPIC_AUTH_TOKEN"], SECRET)

    async def test_kimi_coding_copies_into_anthropic_api_key(self):
        os.environ.update(MODEL="kimi-k2", KIMI_API_KEY=SECRET)
        await self.run_setup()
        self.assertEqual(os.environ["ANTHROPIC_API_KEY"], SECRET)
        self.assertNotIn("ANTHROPIC_AUTH_TOKEN", os.environ)

    async def test_only_vendor_keys_are_copied(self):
        # xiaomi-mimo lists only ANTHROPIC_* names: nothing to copy, the API key is not moved across.
        os.environ.update(MODEL="mimo-v2-pro", ANTHROPIC_API_KEY=SECRET)
        await self.run_setup()
        self.assertNotIn("ANTHROPIC_AUTH_TOKEN", os.environ)

    async def test_the_providers_base_url_is_exported(self):
        os.environ.update(MODEL="glm-4.6", GLM_API_KEY=SECRET)
        await self.run_setup()
        self.assertEqual(os.environ["ANTHROPIC_BASE_URL"], "https://api.z.ai/api/anthropic")

    async def test_an_operators_base_url_wins(self):
        os.environ.update(MODEL="glm-4.6", GLM_API_KEY=SECRET, ANTHROPIC_BASE_URL="https://proxy.internal/x")
        await self.run_setup()
        self.assertEqual(os.environ["ANTHROPIC_BASE_URL"], "https://proxy.internal/x")

    async def test_anthropic_providers_leave_the_base_url_unset(self):
        os.environ.update(CLAUDE_CODE_OAUTH_TOKEN=SECRET)
        await self.run_setup()
        self.assertNotIn("ANTHROPIC_BASE_URL", os.environ)

    async def test_one_log_line_names_model_provider_mode_host_and_set_variables(self):
        os.environ.update(MODEL="kimi-k2", KIMI_API_KEY=SECRET, CLAUDE_CODE_OAUTH_TOKEN=SECRET)
        logs = await self.run_setup()
        [line] = self.summary_lines(logs)
        for part in ("model=kimi-k2", "provider=kimi-coding", "auth_mode=third_party_anthropic_compat",
                     "base_url_host=api.kimi.com", "CLAUDE_CODE_OAUTH_TOKEN", "KIMI_API_KEY", "ANTHROPIC_API_KEY",
                     "copied=KIMI_API_KEY->ANTHROPIC_API_KEY"):
            self.assertIn(part, line)
        self.assertNotIn("DEEPSEEK_API_KEY", line)

    async def test_the_default_model_is_sonnet_on_anthropic_oauth(self):
        os.environ.update(CLAUDE_CODE_OAUTH_TOKEN=SECRET)
        [line] = self.summary_lines(await self.run_setup())
        self.assertIn("model=sonnet provider=anthropic-oauth auth_mode=oauth base_url_host=<default>", line)

    async def test_a_planted_secret_never_appears_in_any_log_record(self):
        for var in ("KIMI_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY", "MINIMAX_API_KEY"):
            os.environ[var] = f"{SECRET}-{var}"
        os.environ["MODEL"] = "kimi-k2"
        logs = await self.run_setup(level="DEBUG")
        self.assertTrue(logs.records)
        self.assertNotIn(SECRET, "\n".join(logs.output))

    async def test_no_credentials_is_a_warning_that_says_what_to_set(self):
        logs = await self.run_setup()
        warnings = [r.getMessage() for r in logs.records if r.levelname == "WARNING"]
        self.assertTrue(any("anthropic-oauth has no credentials" in w and "CLAUDE_CODE_OAUTH_TOKEN" in w
                            for w in warnings), warnings)

    async def test_credentials_present_means_no_warning(self):
        os.environ.update(CLAUDE_CODE_OAUTH_TOKEN=SECRET)
        logs = await self.run_setup()
        self.assertFalse([r for r in logs.records if r.levelname == "WARNING"])

    async def test_a_third_party_provider_without_a_base_url_is_an_error(self):
        # /opt/adapter comes first in the search, so this registry wins over the shipped one.
        write(self.canonical, "providers:\n  - name: bare-vendor\n    auth_mode: third_party_anthropic_compat\n"
                              "    model_prefixes: [bare-]\n    auth_env: [ANTHROPIC_AUTH_TOKEN]\n")
        os.environ.update(MODEL="bare-1", ANTHROPIC_AUTH_TOKEN=SECRET)
        with self.assertRaises(RuntimeError) as caught, self.assertLogs(level="INFO"):
            await self.adapter.setup(self.config())
        self.assertIn("add base_url to its entry in config.yaml or set ANTHROPIC_BASE_URL", str(caught.exception))
        self.assertEqual(plugins_double.calls, [])

    async def test_an_unknown_configured_provider_fails_setup(self):
        with self.assertRaises(RuntimeError):
            await self.adapter.setup(self.config(runtime_config={"provider": "nobody"}))

    async def test_plugins_load_from_the_config_path_and_the_default_shared_folder(self):
        os.environ.update(CLAUDE_CODE_OAUTH_TOKEN=SECRET)
        config = self.config()
        with self.assertLogs(level="INFO"):
            await self.adapter.setup(config)
        self.assertEqual(plugins_double.calls, [{"workspace_plugins_dir": str(self.configs / "plugins"),
                                                 "shared_plugins_dir": "/plugins"}])
        [(installed_config, plugins)] = self.adapter.installed_plugins
        self.assertIs(installed_config, config)
        self.assertEqual(plugins.workspace_plugins_dir, str(self.configs / "plugins"))

    async def test_plugins_dir_overrides_the_shared_folder(self):
        os.environ.update(CLAUDE_CODE_OAUTH_TOKEN=SECRET, PLUGINS_DIR=str(self.tmp / "shared-plugins"))
        await self.run_setup()
        self.assertEqual(plugins_double.calls[0]["shared_plugins_dir"], str(self.tmp / "shared-plugins"))
