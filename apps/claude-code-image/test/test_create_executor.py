"""create_executor(): the system prompt, the model the SDK gets, and the guard against a wrong endpoint."""

import os

from adapter_testkit import AdapterTestCase, adapter, claude_sdk_executor, write


class CreateExecutor(AdapterTestCase):
    async def create(self, **fields):
        return await adapter.Adapter().create_executor(self.config(**fields))

    async def test_returns_the_sdk_executor_for_the_config_path(self):
        executor = await self.create(heartbeat="beat")
        self.assertIsInstance(executor, claude_sdk_executor.ClaudeSDKExecutor)
        self.assertEqual((executor.config_path, executor.heartbeat), (str(self.configs), "beat"))

    async def test_the_system_prompt_comes_from_the_config(self):
        write(self.configs / "system-prompt.md", "from the file")
        self.assertEqual((await self.create(system_prompt="from the config")).system_prompt, "from the config")

    async def test_else_from_system_prompt_md_in_the_config_path(self):
        write(self.configs / "system-prompt.md", "You are the reviewer.\n")
        self.assertEqual((await self.create()).system_prompt, "You are the reviewer.\n")

    async def test_no_prompt_anywhere_is_none(self):
        self.assertIsNone((await self.create()).system_prompt)

    async def test_the_model_defaults_to_sonnet(self):
        self.assertEqual((await self.create()).model, "sonnet")

    async def test_the_model_follows_env_then_runtime_config(self):
        self.assertEqual((await self.create(runtime_config={"model": "haiku"})).model, "haiku")
        os.environ["MODEL"] = "opus"
        self.assertEqual((await self.create(runtime_config={"model": "haiku"})).model, "opus")

    async def test_a_leading_anthropic_or_claude_prefix_is_stripped(self):
        self.assertEqual((await self.create(runtime_config={"model": "anthropic:claude-opus-4-7"})).model,
                         "claude-opus-4-7")
        self.assertEqual((await self.create(runtime_config={"model": "claude:haiku"})).model, "haiku")

    async def test_a_non_anthropic_endpoint_without_a_model_is_an_error(self):
        os.environ["ANTHROPIC_BASE_URL"] = "https://api.minimax.io/anthropic"
        with self.assertRaises(RuntimeError) as caught:
            await self.create()
        self.assertIn("api.minimax.io", str(caught.exception))
        self.assertIn("set MODEL or runtime_config.model", str(caught.exception))

    async def test_a_non_anthropic_endpoint_with_a_model_is_fine(self):
        os.environ["ANTHROPIC_BASE_URL"] = "https://api.minimax.io/anthropic"
        self.assertEqual((await self.create(runtime_config={"model": "MiniMax-M2.7"})).model, "MiniMax-M2.7")

    async def test_the_anthropic_endpoint_without_a_model_keeps_the_default(self):
        os.environ["ANTHROPIC_BASE_URL"] = "https://api.anthropic.com"
        self.assertEqual((await self.create()).model, "sonnet")
