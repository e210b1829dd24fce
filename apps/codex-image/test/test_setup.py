"""setup(): which model and provider codex runs with, and what the CLI finds in the environment."""

import os
from unittest import mock

from codex_testkit import FILES_DIR, CodexTestCase, adapter, plugins_double, write

SECRET = "planted-secret-value-0123456789"


class Routing(CodexTestCase):
    async def setup_with(self, **runtime_config):
        instance = adapter.Adapter()
        messages = await self.set_up(instance, self.config(runtime_config=runtime_config))
        return instance.selection, messages

    async def test_the_default_model_is_the_originals_on_the_clis_own_openai_provider(self):
        os.environ["OPENAI_API_KEY"] = SECRET
        selection, messages = await self.setup_with()
        self.assertEqual((selection.model, selection.provider.name, selection.base_url), ("gpt-5.5", "openai", None))
        self.assertIn("codex setup: model=gpt-5.5 provider=openai auth_mode=openai base_url_host=<default> "
                      "auth_set=[OPENAI_API_KEY]", messages)
        self.assertNotIn(SECRET, "\n".join(messages))

    async def test_the_shipped_config_yaml_is_a_registry_the_adapter_reads(self):
        # The image's own config.yaml, beside adapter.py in /app (the test case points the adapter elsewhere).
        self.patch(mock.patch.object(adapter, "BESIDE_ADAPTER_REGISTRY", str(FILES_DIR / "config.yaml")))
        os.environ["MODEL"] = "openai:gpt-5.4"
        selection, _ = await self.setup_with()
        self.assertEqual((selection.model, selection.provider.name, selection.provider.auth_token_env),
                         ("gpt-5.4", "openai", "OPENAI_API_KEY"))

    async def test_a_vendor_entry_gets_its_key_copied_into_its_token_variable(self):
        write(self.beside, "providers:\n  - name: vendor\n    model_prefixes: [vendor-]\n"
                           "    base_url: https://llm.example/v1\n    auth_env: [VENDOR_KEY]\n"
                           "    auth_token_env: VENDOR_API_KEY\n")
        os.environ.update(MODEL="vendor-large", VENDOR_KEY=SECRET)
        selection, messages = await self.setup_with()
        self.assertEqual((selection.provider.name, selection.base_url, os.environ["VENDOR_API_KEY"]),
                         ("vendor", "https://llm.example/v1", SECRET))
        self.assertNotIn(SECRET, "\n".join(messages))

    async def test_no_credential_is_a_warning_naming_what_to_set(self):
        with self.assertLogs("molecule_adapter_core", "WARNING") as logs:
            await adapter.Adapter().setup(self.config())
        self.assertIn("provider openai has no credentials: set one of OPENAI_API_KEY as a workspace secret",
                      [r.getMessage() for r in logs.records])

    async def test_plugins_load_through_the_runtime(self):
        await self.setup_with()
        self.assertEqual(plugins_double.calls, [{"workspace_plugins_dir": str(self.configs / "plugins"),
                                                 "shared_plugins_dir": "/plugins"}])

