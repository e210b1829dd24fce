"""ClaudeSDKExecutor: one turn at a time through the Claude Agent SDK, with resume, retries and cancel."""

import asyncio
from unittest import mock

# The testkit first: it puts the runtime doubles (a2a among them) on sys.path.
from adapter_testkit import (AdapterTestCase, ScriptedStream, claude_agent_sdk as sdk, claude_sdk_executor, reply,
                             run_turn, write)
from a2a.server.agent_execution import RequestContext
from a2a.server.events import EventQueue


class ExecutorTestCase(AdapterTestCase):
    def setUp(self):
        super().setUp()
        self.streams = []  # what query() hands out, in order; a test fills it
        self.calls = []  # (prompt, options) of each query() call
        self.sleeps = []

        def query(*, prompt, options=None):
            self.calls.append((prompt, options))
            return self.streams.pop(0)

        # The executor's retry warnings and error lines are expected here; keep them out of the test output.
        for patcher in (mock.patch.object(sdk, "query", query),
                        mock.patch.object(claude_sdk_executor.logger, "disabled", True)):
            patcher.start()
            self.addCleanup(patcher.stop)
        self.executor = self.make_executor()

    def make_executor(self, **kwargs):
        async def sleep(seconds):
            self.sleeps.append(seconds)
        return claude_sdk_executor.ClaudeSDKExecutor(system_prompt="be brief", config_path=str(self.configs),
                                                     model="sonnet", sleep=sleep, **kwargs)

    async def turn(self, text="hello"):
        return await run_turn(self.executor, text)


class Turns(ExecutorTestCase):
    async def test_a_turn_returns_the_result_text(self):
        self.streams.append(ScriptedStream(reply("Hi there")))
        self.assertEqual(await self.turn("hello"), "Hi there")
        self.assertEqual(self.calls[0][0], "hello")

    async def test_the_result_is_preferred_over_text_streamed_before_tools(self):
        self.streams.append(ScriptedStream([sdk.AssistantMessage([sdk.TextBlock("Let me look at the repo. ")]),
                                            sdk.AssistantMessage([sdk.TextBlock("Done: 3 files.")]),
                                            sdk.ResultMessage(session_id="s", result="Done: 3 files.")]))
        self.assertEqual(await self.turn(), "Done: 3 files.")

    async def test_streamed_text_is_used_when_there_is_no_result(self):
        self.streams.append(ScriptedStream([sdk.AssistantMessage([sdk.TextBlock("part one, "), sdk.TextBlock("two")]),
                                            sdk.ResultMessage(session_id="s", result=None)]))
        self.assertEqual(await self.turn(), "part one, two")

    async def test_an_empty_message_gets_an_error_and_no_turn(self):
        self.assertEqual(await self.turn("   "), claude_sdk_executor.NO_TEXT)
        self.assertEqual(self.calls, [])

    async def test_options_carry_model_prompt_and_bypass_permissions(self):
        self.streams.append(ScriptedStream(reply("ok")))
        await self.turn()
        options = self.calls[0][1]
        self.assertEqual((options.model, options.system_prompt, options.permission_mode),
                         ("sonnet", "be brief", "bypassPermissions"))

    async def test_cwd_is_configs_while_the_workspace_is_empty(self):
        self.streams.append(ScriptedStream(reply("ok")))
        await self.turn()
        self.assertEqual(self.calls[0][1].cwd, str(self.configs))

    async def test_cwd_is_the_workspace_once_it_has_content(self):
        write(self.workspace / "repo" / "main.py", "")
        self.streams.append(ScriptedStream(reply("ok")))
        await self.turn()
        self.assertEqual(self.calls[0][1].cwd, str(self.workspace))

    async def test_the_next_turn_resumes_the_previous_session(self):
        self.streams += [ScriptedStream(reply("one", session_id="s-1")), ScriptedStream(reply("two", "s-2")),
                         ScriptedStream(reply("three", "s-3"))]
        await self.turn()
        await self.turn()
        await self.turn()
        self.assertEqual([options.resume for _, options in self.calls], [None, "s-1", "s-2"])

    async def test_turns_run_one_at_a_time(self):
        first = ScriptedStream(reply("first"), hold=True)
        self.streams += [first, ScriptedStream(reply("second"))]
        one = asyncio.create_task(self.turn("one"))
        two = asyncio.create_task(self.turn("two"))
        await first.started.wait()
        for _ in range(20):  # give the second turn every chance to start if nothing held it back
            await asyncio.sleep(0)
        self.assertEqual([prompt for prompt, _ in self.calls], ["one"])
        first.release.set()
        self.assertEqual(await asyncio.gather(one, two), ["first", "second"])
        self.assertEqual([prompt for prompt, _ in self.calls], ["one", "two"])


class Retries(ExecutorTestCase):
    async def test_rate_limit_errors_are_retried_after_5_10_and_20_seconds(self):
        self.streams += [ScriptedStream(error=Exception("429 Too Many Requests: rate limit")) for _ in range(3)]
        self.streams.append(ScriptedStream(reply("finally")))
        self.assertEqual(await self.turn(), "finally")
        self.assertEqual(self.sleeps, [5, 10, 20])
        self.assertEqual(len(self.calls), 4)

    async def test_retries_are_bounded_at_three(self):
        self.streams += [ScriptedStream(error=Exception("API Error: 529 overloaded_error")) for _ in range(5)]
        answer = await self.turn()
        self.assertEqual(self.sleeps, [5, 10, 20])
        self.assertEqual(len(self.calls), 4)
        self.assertIn("Agent error (Exception)", answer)
        self.assertIn("overloaded", answer)

    async def test_overload_and_capacity_shapes_count_as_transient(self):
        for error in (Exception("Overloaded"), Exception("server at capacity"), sdk.ClaudeSDKError("rate_limit_error")):
            with self.subTest(error=str(error)):
                self.assertTrue(claude_sdk_executor.is_transient(error))

    async def test_other_errors_are_not_retried(self):
        self.assertFalse(claude_sdk_executor.is_transient(Exception("invalid model name")))
        self.streams.append(ScriptedStream(error=ValueError("invalid model name")))
        self.assertEqual(await self.turn(), "Agent error (ValueError): invalid model name")
        self.assertEqual((self.sleeps, len(self.calls)), ([], 1))

    async def test_a_transient_error_keeps_the_session(self):
        self.streams += [ScriptedStream(reply("one", "s-1")), ScriptedStream(error=Exception("rate limit")),
                         ScriptedStream(reply("two", "s-1"))]
        await self.turn()
        await self.turn()
        self.assertEqual([options.resume for _, options in self.calls], [None, "s-1", "s-1"])

    async def test_the_session_is_cleared_after_a_subprocess_failure(self):
        self.streams += [ScriptedStream(reply("one", "s-1")),
                         ScriptedStream(error=sdk.ProcessError("Command failed", exit_code=1, stderr="boom")),
                         ScriptedStream(reply("three", "s-3"))]
        await self.turn()
        self.assertIn("ProcessError", await self.turn())
        await self.turn()
        self.assertEqual([options.resume for _, options in self.calls], [None, "s-1", None])

    async def test_a_cli_connection_error_also_clears_the_session(self):
        self.assertTrue(claude_sdk_executor.is_subprocess_failure(sdk.CLIConnectionError("gone")))
        self.assertFalse(claude_sdk_executor.is_subprocess_failure(Exception("rate limit")))


class Cancel(ExecutorTestCase):
    async def test_cancel_closes_the_active_stream_and_the_turn_ends(self):
        stream = ScriptedStream(reply("never sent"), hold=True)
        self.streams.append(stream)
        running = asyncio.create_task(self.turn())
        await stream.started.wait()
        await self.executor.cancel(RequestContext(), EventQueue())
        self.assertTrue(stream.closed)
        self.assertEqual(await asyncio.wait_for(running, 5), claude_sdk_executor.NO_RESPONSE)

    async def test_cancel_between_turns_does_nothing(self):
        await self.executor.cancel(RequestContext(), EventQueue())
        self.streams.append(ScriptedStream(reply("fine")))
        self.assertEqual(await self.turn(), "fine")

    async def test_a_busy_async_generator_that_refuses_aclose_gets_its_turn_cancelled(self):
        waiting = asyncio.Event()

        async def busy_stream():
            waiting.set()
            await asyncio.Event().wait()  # awaiting the CLI: aclose() now raises "already running"
            yield None

        self.streams.append(busy_stream())
        running = asyncio.create_task(self.turn())
        await waiting.wait()
        await self.executor.cancel(RequestContext(), EventQueue())
        with self.assertRaises(asyncio.CancelledError):
            await asyncio.wait_for(running, 5)
