"""setup(), create_executor() and the turns of the autogen adapter. AutoGen is not installed here, so
build_agent() is filled with doubles/ (see its README)."""

import os

from autogen_testkit import AutoGenTestCase, adapter, agents, core, plugins_double, run_turn, write

SECRET = "planted-secret-value-0123456789"


class Setup(AutoGenTestCase):
    async def selection(self, **runtime_config):
        instance = adapter.Adapter()
        messages = await self.set_up(instance, self.config(runtime_config=runtime_config))
        return instance.selection, messages

    async def test_the_default_is_gpt_4o_on_openai_with_no_secret_in_the_log(self):
        os.environ["OPENAI_API_KEY"] = SECRET
        selection, messages = await self.selection()
        self.assertEqual((selection.model, selection.provider.name), ("gpt-4o", "openai"))
        self.assertIn("autogen setup: model=gpt-4o provider=openai auth_mode=openai base_url_host=<default> "
                      "auth_set=[OPENAI_API_KEY]", messages)
        self.assertNotIn(SECRET, "\n".join(messages))

    async def test_an_openai_prefix_is_stripped_and_runtime_config_picks_the_model(self):
        self.assertEqual((await self.selection(model="openai:gpt-4.1-mini"))[0].model, "gpt-4.1-mini")

    async def test_no_key_is_a_warning_naming_openai_api_key(self):
        _, messages = await self.selection()
        self.assertIn("provider openai has no credentials: set one of OPENAI_API_KEY as a workspace secret", messages)

    async def test_a_registry_vendor_gets_its_key_and_endpoint_under_the_openai_names(self):
        write(self.beside, "providers:\n  - name: openai\n  - name: kimi\n    model_prefixes: [kimi-]\n"
                           "    base_url: https://api.moonshot.ai/v1\n    auth_env: [KIMI_API_KEY]\n")
        os.environ.update(MODEL="kimi-k2", KIMI_API_KEY=SECRET)
        selection, _ = await self.selection()
        self.assertEqual((selection.provider.name, os.environ["OPENAI_API_KEY"], os.environ["OPENAI_BASE_URL"]),
                         ("kimi", SECRET, "https://api.moonshot.ai/v1"))

    async def test_plugins_load_through_the_runtime(self):
        await self.selection()
        self.assertEqual(len(plugins_double.calls), 1)


class Executor(AutoGenTestCase):
    async def executor(self, **fields):
        return await self.executor_of(adapter.Adapter(), self.config(**fields))

    def agent(self):
        [agent] = agents.created
        return agent

    async def test_the_agent_gets_the_model_and_the_system_prompt(self):
        await self.executor(system_prompt="Be terse.")
        agent = self.agent()
        self.assertEqual((agent.name, agent.system_message, agent.model_client.model, agent.model_client.kwargs),
                         ("agent", "Be terse.", "gpt-4o", {}))

    async def test_without_a_prompt_the_agent_gets_a_neutral_one(self):
        await self.executor()
        self.assertEqual(self.agent().system_message, "You are a helpful assistant.")

    async def test_a_vendor_endpoint_gets_model_info_and_the_client_sees_the_endpoint(self):
        write(self.beside, "providers:\n  - name: local\n    base_url: http://127.0.0.1:11434/v1\n")
        os.environ["MODEL"] = "qwen3"
        await self.executor()
        client = self.agent().model_client
        self.assertEqual(client.kwargs, {"model_info": adapter.COMPATIBLE_MODEL_INFO})
        self.assertEqual(client.environ["OPENAI_BASE_URL"], "http://127.0.0.1:11434/v1")

    async def test_an_operators_base_url_also_counts_as_a_vendor_endpoint(self):
        os.environ["OPENAI_BASE_URL"] = "https://proxy.internal/v1"
        await self.executor()
        self.assertIn("model_info", self.agent().model_client.kwargs)

    async def test_a_provider_that_is_not_openai_compatible_is_an_error_saying_what_to_set(self):
        write(self.beside, "providers:\n  - name: claude\n    auth_mode: anthropic\n")
        with self.assertRaises(core.ConfigError) as caught:
            await self.executor()
        self.assertIn("provider claude has auth_mode 'anthropic'", str(caught.exception))
        self.assertIn("set its auth_mode to openai in config.yaml", str(caught.exception))

    async def test_turns_share_one_conversation_and_return_the_agents_answer(self):
        executor = await self.executor()
        agents.replies.extend(["four", "eight"])
        self.assertEqual(await run_turn(executor, "2+2?", context_id="a"), "four")
        self.assertEqual(await run_turn(executor, "double it", context_id="a"), "eight")
        self.assertEqual([m.content for m in self.agent().history], ["2+2?", "four", "double it", "eight"])

    async def test_a_framework_error_is_the_reply(self):
        executor = await self.executor()
        agents.replies.append(RuntimeError("401 invalid api key"))
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            self.assertEqual(await run_turn(executor), "Agent error (RuntimeError): 401 invalid api key")

    async def test_create_executor_without_setup_still_routes(self):
        # A runtime that skips setup() still gets the chosen model and provider.
        os.environ["MODEL"] = "gpt-4.1"
        with self.assertLogs(level="INFO"):
            await adapter.Adapter().create_executor(self.config())
        self.assertEqual(self.agent().model_client.model, "gpt-4.1")
