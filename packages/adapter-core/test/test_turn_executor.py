"""TurnExecutor: the A2A executor the framework adapters share: one turn at a time, errors as replies, cancel."""

import asyncio

from core_testkit import IsolatedAdapterTestCase, core, run_turn, wait_until


class Turns(IsolatedAdapterTestCase):
    def setUp(self):
        super().setUp()
        self.calls = []

    def executor(self, reply="done"):
        async def turn(prompt, thread_id):
            self.calls.append((prompt, thread_id))
            if isinstance(reply, BaseException):
                raise reply
            return reply
        return core.TurnExecutor(turn, "fw")

    async def test_the_prompt_and_the_context_id_reach_the_turn_and_its_text_comes_back(self):
        self.assertEqual(await run_turn(self.executor("  Hi there \n"), " hello ", context_id="ctx-1"), "Hi there")
        self.assertEqual(self.calls, [("hello", "ctx-1")])

    async def test_an_empty_message_gets_an_error_and_no_turn(self):
        for text in ("", "   \n"):
            self.assertEqual(await run_turn(self.executor(), text), core.NO_TEXT)
        self.assertEqual(self.calls, [])

    async def test_an_empty_or_non_text_reply_says_no_response(self):
        for reply in ("", "  ", None, 42):
            with self.subTest(reply=reply):
                self.assertEqual(await run_turn(self.executor(reply)), core.NO_RESPONSE)

    async def test_a_failed_turn_is_an_error_reply_with_the_type_and_at_most_500_characters(self):
        with self.assertLogs("molecule_adapter_core", "ERROR") as logs:
            text = await run_turn(self.executor(ValueError("bad " + "x" * 900)))
        self.assertTrue(text.startswith("Agent error (ValueError): bad xxx"))
        self.assertEqual(len(text), len("Agent error (ValueError): ") + 500)
        self.assertIn("fw turn failed: ValueError", logs.output[0])

    async def test_one_turn_at_a_time(self):
        running, release, order = [], asyncio.Event(), []

        async def turn(prompt, thread_id):
            running.append(prompt)
            order.append(("start", prompt, len(running)))
            await release.wait()
            running.remove(prompt)
            return prompt

        executor = core.TurnExecutor(turn, "fw")
        first = asyncio.create_task(run_turn(executor, "one"))
        second = asyncio.create_task(run_turn(executor, "two"))
        await wait_until(lambda: order)
        await asyncio.sleep(0.05)
        self.assertEqual(order, [("start", "one", 1)])  # the second waits for the lock
        release.set()
        self.assertEqual(await asyncio.gather(first, second), ["one", "two"])
        self.assertEqual(order, [("start", "one", 1), ("start", "two", 1)])

    async def test_cancel_stops_the_running_turn_and_the_next_turn_runs(self):
        started = asyncio.Event()

        async def turn(prompt, thread_id):
            if prompt == "slow":
                started.set()
                await asyncio.sleep(60)
            return "quick answer"

        executor = core.TurnExecutor(turn, "fw")
        slow = asyncio.create_task(run_turn(executor, "slow"))
        await started.wait()
        await executor.cancel(None, None)
        with self.assertRaises(asyncio.CancelledError):
            await asyncio.wait_for(slow, 5)
        self.assertEqual(await run_turn(executor, "next"), "quick answer")

    async def test_cancel_between_turns_does_nothing(self):
        executor = self.executor()
        await executor.cancel(None, None)
        self.assertEqual(await run_turn(executor), "done")


class TextOf(IsolatedAdapterTestCase):
    def test_a_string_is_itself(self):
        self.assertEqual(core.text_of("plain"), "plain")

    def test_text_blocks_and_strings_are_joined_and_other_blocks_left_out(self):
        content = [{"type": "text", "text": "one, "}, {"type": "tool_use", "name": "ls", "text": "no"}, "two",
                   {"type": "text", "text": 3}, {"type": "text"}]
        self.assertEqual(core.text_of(content), "one, two")

    def test_anything_else_is_no_text(self):
        for content in (None, 42, {"type": "text", "text": "a mapping is not a list"}):
            self.assertEqual(core.text_of(content), "", content)
