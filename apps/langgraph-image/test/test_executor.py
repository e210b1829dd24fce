"""create_executor() and the turns: the ReAct agent on the chosen chat model, one conversation per context.
LangGraph is not installed here, so build_agent() and the chat model are filled with doubles/ (see its README)."""

import os

from langgraph_testkit import LangGraphTestCase, adapter, core, graphs, run_turn, write


class CreateExecutor(LangGraphTestCase):
    async def executor(self, **fields):
        return await self.executor_of(adapter.Adapter(), self.config(**fields))

    def made(self):
        [created] = graphs.created
        return created

    async def test_the_chat_model_family_and_id_follow_the_provider(self):
        for model, family, model_id in (("claude-opus-4-7", "ChatAnthropic", "claude-opus-4-7"),
                                        ("anthropic:claude-haiku-4-5", "ChatAnthropic", "claude-haiku-4-5"),
                                        ("openai:gpt-4.1", "ChatOpenAI", "gpt-4.1"),
                                        ("gemini-2.5-pro", "ChatGoogleGenerativeAI", "gemini-2.5-pro")):
            with self.subTest(model=model):
                graphs.created.clear()
                os.environ["MODEL"] = model
                await self.executor()
                chat = self.made()["model"]
                self.assertEqual((type(chat).__name__, chat.model), (family, model_id))

    async def test_the_chat_model_sees_the_projected_key_and_endpoint(self):
        write(self.beside, "providers:\n  - name: vendor\n    base_url: https://llm.example/v1\n"
                           "    auth_env: [VENDOR_API_KEY]\n")
        os.environ.update(MODEL="vendor-large", VENDOR_API_KEY="k")
        await self.executor()
        chat = self.made()["model"]
        self.assertEqual((type(chat).__name__, chat.environ["OPENAI_API_KEY"], chat.environ["OPENAI_BASE_URL"]),
                         ("ChatOpenAI", "k", "https://llm.example/v1"))

    async def test_an_auth_mode_the_template_cannot_serve_is_an_error_saying_what_to_set(self):
        write(self.beside, "providers:\n  - name: odd\n    auth_mode: bedrock\n")
        with self.assertRaises(core.ConfigError) as caught:
            await self.executor()
        self.assertIn("provider odd has auth_mode 'bedrock'", str(caught.exception))
        self.assertIn("anthropic, openai, google_genai", str(caught.exception))

    async def test_the_system_prompt_and_an_in_memory_checkpointer_reach_the_agent(self):
        write(self.configs / "system-prompt.md", "You are the reviewer.\n")
        await self.executor()
        made = self.made()
        self.assertEqual((made["prompt"], made["tools"], type(made["checkpointer"]).__name__),
                         ("You are the reviewer.\n", [], "MemorySaver"))

    async def test_a_turn_sends_the_prompt_on_the_contexts_thread_and_returns_the_reply_text(self):
        executor = await self.executor()
        graphs.replies.extend(["first answer", [{"type": "text", "text": "second "}, {"type": "text", "text": "one"}],
                               "other context"])
        self.assertEqual(await run_turn(executor, "hello", context_id="ctx-1"), "first answer")
        self.assertEqual(await run_turn(executor, "again", context_id="ctx-1"), "second one")
        self.assertEqual(await run_turn(executor, "hi", context_id="ctx-2"), "other context")
        agent = self.made()["agent"]
        self.assertEqual([c[1]["configurable"]["thread_id"] for c in agent.calls], ["ctx-1", "ctx-1", "ctx-2"])
        self.assertEqual(agent.calls[0][0], {"messages": [{"role": "user", "content": "hello"}]})
        # The checkpointer holds both turns of ctx-1 (user, AI, user, AI) and ctx-2 apart.
        self.assertEqual([len(h) for h in agent.checkpointer.threads.values()], [4, 2])

    async def test_a_request_without_a_context_uses_one_default_thread(self):
        executor = await self.executor()
        graphs.replies.append("ok")
        await run_turn(executor, "hello")
        self.assertEqual(self.made()["agent"].calls[0][1], {"configurable": {"thread_id": "default"}})

    async def test_a_framework_error_is_the_reply(self):
        executor = await self.executor()
        graphs.replies.append(ValueError("model not found"))
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            self.assertEqual(await run_turn(executor), "Agent error (ValueError): model not found")

    async def test_create_executor_without_setup_still_routes(self):
        # A runtime that skips setup() (older ones built the executor first) still gets the chosen provider.
        os.environ["MODEL"] = "gpt-4o"
        with self.assertLogs(level="INFO"):
            await adapter.Adapter().create_executor(self.config())
        self.assertEqual(type(self.made()["model"]).__name__, "ChatOpenAI")
