"""setup(), create_executor() and the turns of the deepagents adapter. deepagents is not installed here, so
build_agent() is filled with doubles/ (see its README)."""

import os

from deepagents_testkit import DeepAgentsTestCase, adapter, core, framework, plugins_double, run_turn, write

SECRET = "planted-secret-value-0123456789"


class Setup(DeepAgentsTestCase):
    async def selection(self, **runtime_config):
        instance = adapter.Adapter()
        messages = await self.set_up(instance, self.config(runtime_config=runtime_config))
        return instance.selection, messages

    async def test_the_default_is_claude_sonnet_on_anthropic(self):
        os.environ["ANTHROPIC_API_KEY"] = SECRET
        selection, messages = await self.selection()
        self.assertEqual((selection.model, selection.provider.name), ("claude-sonnet-4-5", "anthropic"))
        self.assertIn("deepagents setup: model=claude-sonnet-4-5 provider=anthropic auth_mode=anthropic "
                      "base_url_host=<default> auth_set=[ANTHROPIC_API_KEY]", messages)
        self.assertNotIn(SECRET, "\n".join(messages))

    async def test_each_family_by_prefix_and_by_model_provider(self):
        for env, provider in (({"MODEL": "gpt-5"}, "openai"), ({"MODEL": "gemini-2.5-pro"}, "google_genai"),
                              ({"MODEL": "x", "MODEL_PROVIDER": "google"}, "google_genai")):
            with self.subTest(env=env):
                os.environ.clear()
                os.environ.update(HOME=str(self.home), **env)
                self.assertEqual((await self.selection())[0].provider.name, provider)

    async def test_a_registry_vendor_is_openai_compatible_by_default(self):
        write(self.beside, "providers:\n  - name: glm\n    model_prefixes: [glm-]\n"
                           "    base_url: https://api.z.ai/api/paas/v4\n    auth_env: [GLM_API_KEY]\n")
        os.environ.update(MODEL="glm-4.6", GLM_API_KEY=SECRET)
        selection, _ = await self.selection()
        self.assertEqual((selection.provider.auth_mode, os.environ["OPENAI_API_KEY"], os.environ["OPENAI_BASE_URL"]),
                         ("openai", SECRET, "https://api.z.ai/api/paas/v4"))

    async def test_plugins_load_through_the_runtime(self):
        await self.selection()
        self.assertEqual(len(plugins_double.calls), 1)


class Executor(DeepAgentsTestCase):
    async def executor(self, **fields):
        return await self.executor_of(adapter.Adapter(), self.config(**fields))

    def made(self):
        [created] = framework.created
        return created

    async def test_the_model_goes_as_family_and_model_with_the_system_prompt(self):
        for model, spec in (("claude-opus-4-7", "anthropic:claude-opus-4-7"),
                            ("anthropic:claude-haiku-4-5", "anthropic:claude-haiku-4-5"),
                            ("gpt-4.1", "openai:gpt-4.1"), ("gemini-2.5-flash", "google_genai:gemini-2.5-flash")):
            with self.subTest(model=model):
                framework.created.clear()
                os.environ["MODEL"] = model
                await self.executor(system_prompt="Plan first.")
                self.assertEqual((self.made()["model"], self.made()["system_prompt"], self.made()["tools"]),
                                 (spec, "Plan first.", []))

    async def test_an_auth_mode_the_template_cannot_serve_is_an_error_saying_what_to_set(self):
        write(self.beside, "providers:\n  - name: odd\n    auth_mode: bedrock\n")
        with self.assertRaises(core.ConfigError) as caught:
            await self.executor()
        self.assertIn("provider odd has auth_mode 'bedrock'", str(caught.exception))
        self.assertIn("anthropic, openai, google_genai", str(caught.exception))

    async def test_each_context_keeps_its_own_conversation(self):
        executor = await self.executor()
        framework.replies.extend(["A1", "B1", [{"type": "text", "text": "A2"}]])
        self.assertEqual(await run_turn(executor, "a-one", context_id="a"), "A1")
        self.assertEqual(await run_turn(executor, "b-one", context_id="b"), "B1")
        self.assertEqual(await run_turn(executor, "a-two", context_id="a"), "A2")
        third = self.made()["agent"].calls[2]["messages"]
        # The second turn of context a carries its first turn, and nothing of context b.
        self.assertEqual([m["content"] if isinstance(m, dict) else m.content for m in third],
                         ["a-one", "A1", "a-two"])

    async def test_a_failed_turn_is_the_reply_and_leaves_the_history_as_it_was(self):
        executor = await self.executor()
        framework.replies.extend(["ok", ValueError("tool loop exceeded"), "fine"])
        await run_turn(executor, "one", context_id="a")
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            self.assertEqual(await run_turn(executor, "two", context_id="a"),
                             "Agent error (ValueError): tool loop exceeded")
        await run_turn(executor, "three", context_id="a")
        self.assertEqual(len(self.made()["agent"].calls[2]["messages"]), 3)  # one, ok, three

    async def test_create_executor_without_setup_still_routes(self):
        # A runtime that skips setup() still gets the chosen model and provider.
        os.environ["MODEL"] = "gemini-2.5-pro"
        with self.assertLogs(level="INFO"):
            await adapter.Adapter().create_executor(self.config())
        self.assertEqual(self.made()["model"], "google_genai:gemini-2.5-pro")
