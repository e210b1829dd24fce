"""The turns: each A2A message is one run of the CLI (standin/openclaw, a real executable on PATH)."""

import asyncio
import os
from unittest import mock

from openclaw_testkit import OpenClawTestCase, adapter, run_turn, wait_until


class Turns(OpenClawTestCase):
    async def executor(self):
        return await self.executor_of(adapter.Adapter(), self.config())

    async def test_a_turn_runs_the_embedded_agent_on_the_contexts_session_and_returns_its_reply(self):
        executor = await self.executor()
        self.assertEqual(await run_turn(executor, "hello there", context_id="ctx-1"), "echo: hello there")
        [run] = self.runs()
        args = run["args"]
        self.assertEqual(args[:3], ["agent", "--local", "--json"])
        self.assertEqual(args[args.index("--session-id") + 1], "ctx-1")
        self.assertEqual(args[args.index("--model") + 1], "anthropic/claude-sonnet-4-5")
        self.assertEqual(args[args.index("--timeout") + 1], "600")
        self.assertEqual(run["message"], "hello there")

    async def test_each_context_keeps_its_own_session_and_none_is_the_default_one(self):
        executor = await self.executor()
        await run_turn(executor, "a", context_id="ctx-1")
        await run_turn(executor, "b", context_id="ctx-2")
        await run_turn(executor, "c")
        sessions = [r["args"][r["args"].index("--session-id") + 1] for r in self.runs()]
        self.assertEqual(sessions, ["ctx-1", "ctx-2", "default"])

    async def test_a_prompt_that_looks_like_an_option_reaches_the_cli_as_text_in_a_file(self):
        executor = await self.executor()
        prompt = "--model evil/x\nsecond line"
        self.assertEqual(await run_turn(executor, prompt), f"echo: {prompt}")
        [run] = self.runs()
        self.assertNotIn(prompt, run["args"])
        self.assertEqual(run["args"][run["args"].index("--model") + 1], "anthropic/claude-sonnet-4-5")
        # The prompt file is removed after the turn.
        self.assertFalse(os.path.exists(run["args"][run["args"].index("--message-file") + 1]))

    async def test_a_provider_model_id_is_passed_as_it_is(self):
        os.environ["MODEL"] = "openai/gpt-5.4"
        executor = await self.executor()
        await run_turn(executor)
        [run] = self.runs()
        self.assertEqual(run["args"][run["args"].index("--model") + 1], "openai/gpt-5.4")

    async def test_the_cli_sees_the_projected_credentials(self):
        write_registry = "providers:\n  - name: kimi\n    model_prefixes: [kimi-]\n" \
                         "    base_url: https://api.moonshot.ai/anthropic\n    auth_env: [KIMI_API_KEY]\n"
        self.beside.parent.mkdir(parents=True, exist_ok=True)
        self.beside.write_text(write_registry, encoding="utf-8")
        os.environ.update(MODEL="kimi-k2", KIMI_API_KEY="kimi-key")
        executor = await self.executor()
        await run_turn(executor)
        [run] = self.runs()
        self.assertEqual(run["env"], {"ANTHROPIC_API_KEY": "kimi-key",
                                      "ANTHROPIC_BASE_URL": "https://api.moonshot.ai/anthropic"})

    async def test_a_gateway_shaped_answer_and_several_payloads_are_read(self):
        executor = await self.executor()
        os.environ["OPENCLAW_STANDIN_MODE"] = "gateway"
        self.assertEqual(await run_turn(executor, "x"), "echo: x")
        os.environ.update(OPENCLAW_STANDIN_MODE="raw",
                          OPENCLAW_STANDIN_STDOUT='{"payloads": [{"text": "one"}, {"mediaUrl": "u"}, {"text": "two"}]}')
        self.assertEqual(await run_turn(executor, "y"), "one\n\ntwo")

    async def test_an_answer_without_text_is_the_no_response_reply(self):
        executor = await self.executor()
        os.environ.update(OPENCLAW_STANDIN_MODE="raw", OPENCLAW_STANDIN_STDOUT='{"payloads": []}')
        self.assertEqual(await run_turn(executor), "(no response generated)")

    async def test_output_that_is_not_json_is_an_error_reply_quoting_it(self):
        executor = await self.executor()
        os.environ.update(OPENCLAW_STANDIN_MODE="raw", OPENCLAW_STANDIN_STDOUT="Gateway banner, not JSON")
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertEqual(reply, "Agent error (RuntimeError): openclaw agent --json printed no JSON: "
                                "'Gateway banner, not JSON'")

    async def test_a_failed_run_is_an_error_reply_with_its_exit_code_and_last_stderr_line(self):
        executor = await self.executor()
        os.environ["OPENCLAW_STANDIN_MODE"] = "fail"
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertEqual(reply, "Agent error (RuntimeError): openclaw agent exited 3: "
                                "openclaw: no API key for provider anthropic")

    async def test_cancel_kills_the_cli_and_what_it_started(self):
        executor = await self.executor()
        os.environ["OPENCLAW_STANDIN_MODE"] = "hang"
        child_file = self.log.with_name(self.log.name + ".child")
        turn = asyncio.ensure_future(run_turn(executor, "long"))
        await wait_until(lambda: child_file.exists() and child_file.read_text())
        [run] = self.runs()
        child = int(child_file.read_text())
        await executor.cancel(None, None)
        with self.assertRaises(asyncio.CancelledError):
            await turn
        for pid in (run["pid"], child):
            with self.subTest(pid=pid):
                await wait_until(lambda: not alive(pid))

    async def test_the_backstop_kills_a_cli_that_outlives_its_own_time_limit(self):
        # 3 s, not less: the stand-in must have started and recorded itself on a loaded machine before it is killed.
        self.patch(mock.patch.multiple(adapter, TURN_TIMEOUT_SECONDS=0, KILL_AFTER_SECONDS=3))
        executor = await self.executor()
        os.environ["OPENCLAW_STANDIN_MODE"] = "hang"
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertEqual(reply, "Agent error (TimeoutError): openclaw agent gave no reply within 3 s "
                                "(its own limit and the grace after it): killed")
        [run] = self.runs()
        await wait_until(lambda: not alive(run["pid"]))


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, reaped by nobody here, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False
