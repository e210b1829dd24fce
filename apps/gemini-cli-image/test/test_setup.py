"""setup(): which provider serves the model, what the CLI will find in the environment, GEMINI.md."""

import os

from gemini_testkit import GeminiTestCase, adapter, core, plugins_double, write

SECRET = "planted-secret-value-0123456789"


class Routing(GeminiTestCase):
    async def setup_with(self, **runtime_config):
        instance = adapter.Adapter()
        messages = await self.set_up(instance, self.config(runtime_config=runtime_config))
        return instance.selection, messages

    async def test_the_default_model_runs_on_gemini_with_its_key(self):
        os.environ["GEMINI_API_KEY"] = SECRET
        selection, messages = await self.setup_with()
        self.assertEqual((selection.model, selection.provider.name), ("gemini-2.5-pro", "gemini"))
        self.assertIn("gemini-cli setup: model=gemini-2.5-pro provider=gemini auth_mode=gemini_api_key "
                      "base_url_host=<default> auth_set=[GEMINI_API_KEY]", messages)
        self.assertNotIn(SECRET, "\n".join(messages))

    async def test_model_from_env_beats_runtime_config_and_prefixes_are_stripped(self):
        self.assertEqual((await self.setup_with(model="gemini-2.5-flash"))[0].model, "gemini-2.5-flash")
        os.environ["MODEL"] = "google:gemini-2.5-flash-lite"
        self.assertEqual((await self.setup_with(model="gemini-2.5-flash"))[0].model, "gemini-2.5-flash-lite")

    async def test_google_api_key_is_copied_to_the_variable_the_cli_reads(self):
        os.environ["GOOGLE_API_KEY"] = SECRET
        selection, messages = await self.setup_with()
        self.assertEqual((os.environ["GEMINI_API_KEY"], selection.copied), (SECRET, ("GOOGLE_API_KEY", "GEMINI_API_KEY")))
        self.assertNotIn(SECRET, "\n".join(messages))

    async def test_an_operators_key_is_never_overwritten(self):
        os.environ.update(GEMINI_API_KEY="operator", GOOGLE_API_KEY=SECRET)
        await self.setup_with()
        self.assertEqual(os.environ["GEMINI_API_KEY"], "operator")

    async def test_no_key_is_a_warning_naming_what_to_set(self):
        _, messages = await self.setup_with()
        self.assertIn("provider gemini has no credentials: set one of GEMINI_API_KEY, GOOGLE_API_KEY as a "
                      "workspace secret", messages)

    async def test_a_registry_entry_gives_the_cli_its_endpoint_and_key(self):
        write(self.beside, "providers:\n  - name: gateway\n    model_prefixes: [gemini-]\n"
                           "    base_url: https://gemini-proxy.example/\n    auth_env: [GATEWAY_KEY]\n")
        os.environ["GATEWAY_KEY"] = SECRET
        selection, _ = await self.setup_with()
        # This template's defaults: the key into GEMINI_API_KEY, the URL into GOOGLE_GEMINI_BASE_URL.
        self.assertEqual((selection.provider.name, os.environ["GEMINI_API_KEY"], os.environ["GOOGLE_GEMINI_BASE_URL"]),
                         ("gateway", SECRET, "https://gemini-proxy.example/"))

    async def test_provider_aliases(self):
        os.environ.update(MODEL_PROVIDER="google", MODEL="gemini-2.5-pro")
        self.assertEqual((await self.setup_with())[0].provider.name, "gemini")

    async def test_an_unknown_configured_provider_is_an_error_saying_what_to_set(self):
        with self.assertRaises(core.ConfigError) as caught, self.assertLogs(level="INFO"):
            await adapter.Adapter().setup(self.config(runtime_config={"provider": "bedrock"}))
        self.assertIn("'bedrock' from runtime_config.provider is not in the provider registry (gemini",
                      str(caught.exception))

    async def test_plugins_load_through_the_runtime(self):
        await self.setup_with()
        self.assertEqual(plugins_double.calls, [{"workspace_plugins_dir": str(self.configs / "plugins"),
                                                 "shared_plugins_dir": "/plugins"}])


class MemoryFile(GeminiTestCase):
    async def test_gemini_md_is_written_from_the_system_prompt(self):
        write(self.configs / "system-prompt.md", "You are the reviewer.\n")
        await self.set_up(adapter.Adapter())
        self.assertEqual((self.configs / "GEMINI.md").read_text(), "You are the reviewer.\n")

    async def test_the_configs_prompt_wins_over_the_file(self):
        write(self.configs / "system-prompt.md", "from the file\n")
        await self.set_up(adapter.Adapter(), self.config(system_prompt="from the config"))
        self.assertEqual((self.configs / "GEMINI.md").read_text(), "from the config")

    async def test_an_existing_gemini_md_is_left_as_it_is(self):
        write(self.configs / "system-prompt.md", "new role\n")
        write(self.configs / "GEMINI.md", "what the agent wrote\n")
        await self.set_up(adapter.Adapter())
        self.assertEqual((self.configs / "GEMINI.md").read_text(), "what the agent wrote\n")

    async def test_a_link_in_its_place_is_not_followed(self):
        # /configs is the agent's volume: a link there must not make setup() write through it.
        target = self.tmp / "elsewhere"
        (self.configs / "GEMINI.md").symlink_to(target)
        write(self.configs / "system-prompt.md", "role\n")
        await self.set_up(adapter.Adapter())
        self.assertFalse(target.exists())

    async def test_without_a_prompt_nothing_is_written(self):
        await self.set_up(adapter.Adapter())
        self.assertFalse((self.configs / "GEMINI.md").exists())

    async def test_a_config_folder_it_cannot_write_is_a_warning_not_a_failed_start(self):
        # A config mount missing or read-only: open() fails; the workspace still starts (root ignores 0555, so
        # the folder is one that does not exist).
        missing = self.tmp / "not-mounted"
        messages = await self.set_up(adapter.Adapter(), self.config(config_path=str(missing), system_prompt="role"))
        self.assertTrue(any(m.startswith(f"gemini-cli: could not write {missing}/GEMINI.md") for m in messages),
                        messages)
