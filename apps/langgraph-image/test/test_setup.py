"""setup(): which provider serves the model and what its chat model finds in the environment."""

import os

from langgraph_testkit import LangGraphTestCase, adapter, core, plugins_double, write

SECRET = "planted-secret-value-0123456789"


class Routing(LangGraphTestCase):
    async def setup_with(self, **runtime_config):
        instance = adapter.Adapter()
        messages = await self.set_up(instance, self.config(runtime_config=runtime_config))
        return instance.selection, messages

    async def test_the_default_model_runs_on_anthropic(self):
        os.environ["ANTHROPIC_API_KEY"] = SECRET
        selection, messages = await self.setup_with()
        self.assertEqual((selection.model, selection.provider.name), ("claude-sonnet-4-5", "anthropic"))
        self.assertIn("langgraph setup: model=claude-sonnet-4-5 provider=anthropic auth_mode=anthropic "
                      "base_url_host=<default> auth_set=[ANTHROPIC_API_KEY]", messages)

    async def test_built_in_prefixes_route_each_family(self):
        for model, provider in (("gpt-4o", "openai"), ("o3-mini", "openai"), ("gemini-2.5-pro", "google_genai"),
                                ("anthropic:claude-opus-4-7", "anthropic"), ("openai:gpt-4.1", "openai")):
            with self.subTest(model=model):
                os.environ["MODEL"] = model
                self.assertEqual((await self.setup_with())[0].provider.name, provider)

    async def test_model_provider_aliases(self):
        os.environ.update(MODEL_PROVIDER="gemini", MODEL="whatever")
        self.assertEqual((await self.setup_with())[0].provider.name, "google_genai")

    async def test_gemini_api_key_is_copied_to_google_api_key(self):
        os.environ.update(MODEL="gemini-2.5-flash", GEMINI_API_KEY=SECRET)
        selection, messages = await self.setup_with()
        self.assertEqual(os.environ["GOOGLE_API_KEY"], SECRET)
        self.assertNotIn(SECRET, "\n".join(messages))

    async def test_a_registry_entry_makes_an_openai_compatible_vendor_with_its_endpoint(self):
        write(self.beside, "providers:\n  - name: deepseek\n    model_prefixes: [deepseek-]\n"
                           "    base_url: https://api.deepseek.com/v1\n    auth_env: [DEEPSEEK_API_KEY]\n")
        os.environ.update(MODEL="deepseek-chat", DEEPSEEK_API_KEY=SECRET)
        selection, _ = await self.setup_with()
        # Defaults of this template: auth_mode openai, the key into OPENAI_API_KEY, the URL into OPENAI_BASE_URL.
        self.assertEqual((selection.provider.auth_mode, os.environ["OPENAI_API_KEY"], os.environ["OPENAI_BASE_URL"]),
                         ("openai", SECRET, "https://api.deepseek.com/v1"))

    async def test_an_unknown_configured_provider_is_an_error_saying_what_to_set(self):
        with self.assertRaises(core.ConfigError) as caught, self.assertLogs(level="INFO"):
            await adapter.Adapter().setup(self.config(runtime_config={"provider": "bedrock"}))
        self.assertIn("anthropic, openai, google_genai", str(caught.exception))

    async def test_plugins_load_through_the_runtime(self):
        await self.setup_with()
        self.assertEqual(plugins_double.calls, [{"workspace_plugins_dir": str(self.configs / "plugins"),
                                                 "shared_plugins_dir": "/plugins"}])
