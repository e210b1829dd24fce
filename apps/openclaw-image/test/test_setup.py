"""setup(): the CLI must be on PATH; which provider serves the model and what the CLI finds in the environment."""

import os

from openclaw_testkit import OpenClawTestCase, adapter, core, plugins_double, write

SECRET = "planted-secret-value-0123456789"


class Setup(OpenClawTestCase):
    async def setup_with(self, **runtime_config):
        instance = adapter.Adapter()
        messages = await self.set_up(instance, self.config(runtime_config=runtime_config))
        return instance.selection, messages

    async def test_the_default_model_runs_on_anthropic_and_the_log_names_variables_not_values(self):
        os.environ["ANTHROPIC_API_KEY"] = SECRET
        selection, messages = await self.setup_with()
        self.assertEqual((selection.model, selection.provider.name), ("claude-sonnet-4-5", "anthropic"))
        self.assertIn("openclaw setup: model=claude-sonnet-4-5 provider=anthropic auth_mode=anthropic "
                      "base_url_host=<default> auth_set=[ANTHROPIC_API_KEY]", messages)
        self.assertNotIn(SECRET, "\n".join(messages))

    async def test_without_the_cli_on_path_setup_fails_saying_where_it_comes_from(self):
        os.environ["PATH"] = str(self.tmp / "empty-bin")
        with self.assertRaises(core.ConfigError) as caught:
            await adapter.Adapter().setup(self.config())
        self.assertIn("the openclaw CLI is not on PATH", str(caught.exception))
        self.assertIn("agent-cli layer", str(caught.exception))

    async def test_a_registry_vendor_gets_its_key_and_endpoint_as_the_anthropic_variables(self):
        # The original routes third-party models by exporting ANTHROPIC_BASE_URL for the picked MODEL.
        write(self.beside, "providers:\n  - name: minimax\n    model_prefixes: [minimax-]\n"
                           "    base_url: https://api.minimax.io/anthropic\n    auth_env: [MINIMAX_API_KEY]\n")
        os.environ.update(MODEL="MiniMax-M2", MINIMAX_API_KEY=SECRET)
        selection, messages = await self.setup_with()
        self.assertEqual(selection.provider.name, "minimax")
        self.assertEqual((os.environ["ANTHROPIC_API_KEY"], os.environ["ANTHROPIC_BASE_URL"]),
                         (SECRET, "https://api.minimax.io/anthropic"))
        self.assertEqual(adapter.openclaw_model(selection), "anthropic/MiniMax-M2")

    async def test_an_operator_base_url_wins_over_the_registry(self):
        write(self.beside, "providers:\n  - name: glm\n    model_prefixes: [glm-]\n"
                           "    base_url: https://open.bigmodel.cn/api/anthropic\n    auth_env: [GLM_API_KEY]\n")
        os.environ.update(MODEL="glm-4.6", GLM_API_KEY="k", ANTHROPIC_BASE_URL="https://regional.example/anthropic")
        await self.setup_with()
        self.assertEqual(os.environ["ANTHROPIC_BASE_URL"], "https://regional.example/anthropic")

    async def test_an_unknown_configured_provider_is_an_error_saying_what_to_set(self):
        with self.assertRaises(core.ConfigError) as caught, self.assertLogs(level="INFO"):
            await adapter.Adapter().setup(self.config(runtime_config={"provider": "bedrock"}))
        self.assertIn("bedrock", str(caught.exception))

    async def test_plugins_load_through_the_runtime(self):
        await self.setup_with()
        self.assertEqual(plugins_double.calls, [{"workspace_plugins_dir": str(self.configs / "plugins"),
                                                 "shared_plugins_dir": "/plugins"}])
