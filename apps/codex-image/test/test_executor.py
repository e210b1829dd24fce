"""create_executor() and the turns: each turn one run of the Codex CLI as a child process. The CLI is
stand-ins/codex, a real executable on PATH (see its docstring), so arguments, working folder, exit codes, the
--json events and the last-message file all cross a real process boundary."""

import asyncio
import os
from unittest import mock

from codex_testkit import CodexTestCase, adapter, run_turn, wait_until, write


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes (asyncio reaps it); read its state.
    with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


class Turns(CodexTestCase):
    async def executor(self, **fields):
        return await self.executor_of(adapter.Adapter(), self.config(**fields))

    async def test_a_turn_runs_codex_exec_in_the_workspace_and_returns_the_last_message(self):
        os.environ["OPENAI_API_KEY"] = "k"
        executor = await self.executor()
        self.assertEqual(await run_turn(executor, "fix the bug", context_id="ctx-1"), "reply to: fix the bug")
        [run] = self.runs()
        args = run["args"]
        self.assertEqual(args[0], "exec")
        self.assertEqual(args[-2:], ["--", "fix the bug"])
        for flag in ("--json", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"):
            self.assertIn(flag, args)
        self.assertEqual(args[args.index("--model") + 1], "gpt-5.5")
        self.assertNotIn("resume", args)
        self.assertNotIn("-c", args)  # the CLI's own OpenAI provider needs no override
        self.assertEqual((run["cwd"], run["env"]["OPENAI_API_KEY"]), (str(self.workspace), "k"))

    async def test_the_next_turn_of_a_context_resumes_its_thread_another_context_starts_its_own(self):
        executor = await self.executor()
        await run_turn(executor, "first", context_id="ctx-1")
        await run_turn(executor, "second", context_id="ctx-1")
        await run_turn(executor, "other", context_id="ctx-2")
        first, second, other = self.runs()
        thread = f"thread-{first['pid']}"
        self.assertEqual(second["args"][second["args"].index("resume"):][:2], ["resume", thread])
        self.assertLess(second["args"].index("resume"), second["args"].index("--"))
        self.assertNotIn("resume", other["args"])

    async def test_a_prompt_that_looks_like_a_flag_stays_the_prompt(self):
        executor = await self.executor()
        self.assertEqual(await run_turn(executor, "--version please"), "reply to: --version please")

    async def test_a_vendor_entry_reaches_codex_as_a_model_providers_override(self):
        write(self.beside, "providers:\n  - name: vendor\n    model_prefixes: [vendor-]\n"
                           "    base_url: https://llm.example/v1\n    auth_env: [VENDOR_API_KEY]\n"
                           "    auth_token_env: VENDOR_API_KEY\n")
        os.environ.update(MODEL="vendor-large", VENDOR_API_KEY="vk")
        await run_turn(await self.executor())
        [run] = self.runs()
        overrides = [run["args"][i + 1] for i, a in enumerate(run["args"]) if a == "-c"]
        self.assertEqual(overrides, ['model_provider="vendor"', 'model_providers.vendor.name="vendor"',
                                     'model_providers.vendor.base_url="https://llm.example/v1"',
                                     'model_providers.vendor.env_key="VENDOR_API_KEY"'])
        self.assertEqual(run["env"]["VENDOR_API_KEY"], "vk")

    async def test_a_provider_name_codex_cannot_take_as_a_key_is_an_error_saying_what_to_use(self):
        write(self.beside, "providers:\n  - name: 'bad.name'\n    base_url: https://llm.example/v1\n")
        executor = await self.executor()
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertIn("cannot be a codex model_providers key: use letters, digits, - and _", reply)
        self.assertEqual(self.runs(), [])

    async def test_a_failed_run_is_the_reply_with_its_exit_code_and_last_line(self):
        os.environ["CODEX_STAND_IN_MODE"] = "fail"
        executor = await self.executor()
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertEqual(reply, "Agent error (RuntimeError): codex exited 3: codex: something went wrong")

    async def test_an_error_event_without_a_reply_is_the_reply(self):
        os.environ["CODEX_STAND_IN_MODE"] = "error-event"
        executor = await self.executor()
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertEqual(reply, "Agent error (RuntimeError): codex exited 0: "
                                "Missing environment variable: `VENDOR_API_KEY`.")

    async def test_a_missing_cli_is_the_reply_not_a_crash(self):
        os.environ["PATH"] = str(self.tmp)  # no codex there
        executor = await self.executor()
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertIn("Agent error (FileNotFoundError)", reply)

    async def test_a_turn_that_outlives_its_time_is_stopped_and_answered(self):
        os.environ["CODEX_STAND_IN_MODE"] = "hang"
        # 3 s, not less: the stand-in must have started and recorded itself on a loaded machine before it is stopped.
        self.patch(mock.patch.object(adapter, "TURN_TIMEOUT_SEC", 3))
        executor = await self.executor()
        with self.assertLogs("molecule_adapter_core", "ERROR"):
            reply = await run_turn(executor)
        self.assertEqual(reply, "Agent error (RuntimeError): codex did not finish within 3 s and was stopped")
        [run] = self.runs()
        self.assertFalse(alive(run["pid"]))

    async def test_cancel_stops_the_running_cli(self):
        os.environ["CODEX_STAND_IN_MODE"] = "hang"
        executor = await self.executor()
        turn = asyncio.create_task(run_turn(executor))
        await wait_until(lambda: self.runs())
        [run] = self.runs()
        self.assertTrue(alive(run["pid"]))
        await executor.cancel(None, None)
        with self.assertRaises(asyncio.CancelledError):
            await turn
        self.assertFalse(alive(run["pid"]))

    def test_the_turn_time_limit_is_a_positive_number_of_seconds_else_the_default(self):
        self.assertEqual([adapter._turn_timeout(raw) for raw in ("90", "2.5", None, "", "soon", "0", "-5")],
                         [90.0, 2.5, 1800.0, 1800.0, 1800.0, 1800.0, 1800.0])

    async def test_without_a_workspace_volume_the_cli_works_in_the_runtimes_folder(self):
        self.patch(mock.patch.object(adapter, "WORKSPACE_DIR", str(self.tmp / "absent")))
        await run_turn(await self.executor())
        self.assertEqual(self.runs()[0]["cwd"], os.getcwd())

    async def test_create_executor_without_setup_still_routes(self):
        os.environ["MODEL"] = "gpt-4.1"
        with self.assertLogs(level="INFO"):
            executor = await adapter.Adapter().create_executor(self.config())
        await run_turn(executor)
        args = self.runs()[0]["args"]
        self.assertEqual(args[args.index("--model") + 1], "gpt-4.1")
