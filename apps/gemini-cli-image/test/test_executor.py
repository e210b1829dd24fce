"""create_executor() and the turns: the Gemini CLI run as a real process (a stand-in `gemini` on PATH, see
gemini_testkit.py), its argv, working folder, environment, answers, failures, time limit and cancellation."""

import asyncio
import os

from gemini_testkit import GeminiTestCase, adapter, cli_executor, run_turn, wait_until, write


def alive(pid: int) -> bool:
    """Running, not a zombie: a killed orphan stays a zombie until init reaps it, which is not ours to wait on."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def gone(pid: int) -> bool:
    """Whether the process is dead within a second (SIGKILL is delivered asynchronously)."""
    for _ in range(100):
        if not alive(pid):
            return True
        await asyncio.sleep(0.01)
    return False


class Turns(GeminiTestCase):
    async def executor(self, **fields):
        return await self.executor_of(adapter.Adapter(), self.config(**fields))

    async def test_a_turn_runs_gemini_yolo_with_the_model_and_the_prompt_as_one_argument(self):
        os.environ["MODEL"] = "gemini-2.5-flash"
        executor = await self.executor()
        prompt = "fix the bug; then $(touch /tmp/x) 'quoted' \"too\""
        self.assertEqual(await run_turn(executor, prompt), "the answer")
        self.assertEqual(self.recorded()["arg"], ["--yolo", "--model", "gemini-2.5-flash", "-p", prompt])

    async def test_the_cli_sees_the_projected_key_and_endpoint_never_in_its_arguments(self):
        write(self.beside, "providers:\n  - name: gateway\n    base_url: https://gemini-proxy.example/\n"
                           "    auth_env: [GATEWAY_KEY]\n")
        os.environ["GATEWAY_KEY"] = "k-0123"
        executor = await self.executor()
        await run_turn(executor)
        record = self.recorded()
        self.assertEqual((record["key"], record["base_url"]), (["set"], ["https://gemini-proxy.example/"]))
        self.assertNotIn("k-0123", "\n".join(record["arg"]))

    async def test_it_works_in_the_workspace_when_it_holds_a_repository_else_in_configs(self):
        executor = await self.executor()
        await run_turn(executor)
        self.assertEqual(self.recorded()["cwd"], [str(self.configs)])
        write(self.workspace / "repo" / "README.md", "x\n")
        await run_turn(executor)
        self.assertEqual(self.recorded()["cwd"], [str(self.workspace)])

    async def test_a_failure_without_output_is_one_error_reply_and_the_stderr_goes_to_the_log(self):
        executor = await self.executor()
        os.environ["GEMINI_STANDIN_MODE"] = "fail"
        with self.assertLogs(level="ERROR") as logs:
            reply = await run_turn(executor)
        self.assertEqual(reply, "Agent error (GeminiCLIError): gemini exited 3 without an answer (its stderr is in "
                                "the workspace log)")
        self.assertIn("quota exceeded for the key", "\n".join(logs.output))

    async def test_a_failure_with_output_still_answers(self):
        executor = await self.executor()
        os.environ["GEMINI_STANDIN_MODE"] = "fail-with-output"
        with self.assertLogs("cli_executor", "ERROR"):
            self.assertEqual(await run_turn(executor), "partial answer")

    async def test_no_output_is_the_no_response_reply(self):
        executor = await self.executor()
        os.environ["GEMINI_STANDIN_MODE"] = "silent"
        self.assertEqual(await run_turn(executor), "(no response generated)")

    async def test_over_the_time_limit_the_cli_is_killed_and_the_reply_says_so(self):
        # 3 s: long enough for the stand-in to start and record itself on a loaded machine (at 0.5 s it could be
        # killed before writing its pid, and the test erred instead of proving the kill).
        executor = await self.executor(runtime_config={"timeout": 3})
        os.environ["GEMINI_STANDIN_MODE"] = "hang"
        with self.assertLogs(level="ERROR"):
            reply = await run_turn(executor)
        self.assertEqual(reply, "Agent error (GeminiCLIError): gemini gave no answer within 3.0 s and was stopped")
        self.assertFalse(alive(int(self.recorded()["pid"][0])))
        self.assertTrue(await gone(int(self.record.with_name("gemini.child").read_text())))

    async def test_cancel_kills_the_running_cli(self):
        executor = await self.executor()
        os.environ["GEMINI_STANDIN_MODE"] = "hang"
        turn = asyncio.ensure_future(run_turn(executor))
        # Cancel once the stand-in is in its hang, its tool started and recorded: cancelled before that, on a
        # loaded machine, there was no child to prove gone and the test erred instead.
        await wait_until(self.record.with_name("gemini.child").exists)
        pid = int(self.recorded()["pid"][0])
        self.assertTrue(alive(pid))
        await executor.cancel(None, None)
        with self.assertRaises(asyncio.CancelledError):
            await turn
        self.assertFalse(alive(pid))
        # The tool the CLI was running (the stand-in's sleep) goes with it.
        self.assertTrue(await gone(int(self.record.with_name("gemini.child").read_text())))

    async def test_a_missing_cli_is_an_error_reply_naming_the_layer(self):
        executor = await self.executor()
        os.environ["PATH"] = str(self.tmp / "empty")
        with self.assertLogs(level="ERROR"):
            reply = await run_turn(executor)
        self.assertTrue(reply.startswith("Agent error (GeminiCLIError): gemini is not on PATH"), reply)
        self.assertIn("agent-cli layer", reply)

    async def test_create_executor_without_setup_still_routes(self):
        # A runtime that skips setup() still gets the chosen model on the command line.
        os.environ["MODEL"] = "gemini-2.5-flash-lite"
        with self.assertLogs(level="INFO"):
            executor = await adapter.Adapter().create_executor(self.config())
        await run_turn(executor)
        self.assertEqual(self.recorded()["arg"][:3], ["--yolo", "--model", "gemini-2.5-flash-lite"])


class Timeouts(GeminiTestCase):
    def test_timeout_of(self):
        for value, want in ((None, None), (0, None), ("0", None), (300, 300.0), ("45", 45.0), (-1, None)):
            with self.subTest(value=value):
                self.assertEqual(adapter.timeout_of({"timeout": value}), want)
        with self.assertLogs(level="WARNING"):
            self.assertIsNone(adapter.timeout_of({"timeout": "soon"}))

    def test_command_without_a_model_leaves_the_flag_out(self):
        self.assertEqual(cli_executor.command("hi", None), ["gemini", "--yolo", "-p", "hi"])
