"""The Gemini CLI as a subprocess: one prompt in, the CLI's answer out.

The gemini-cli template has no Python SDK to call: each A2A turn runs `gemini --yolo [--model M] -p <prompt>` once,
non-interactively, and its standard output is the reply. The adapter wraps `run_turn` in adapter-core's
TurnExecutor, which runs one turn at a time, turns an exception into one error reply and cancels the running turn;
this module only has to start the CLI, wait for it, and never leave it running.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
from typing import Mapping

logger = logging.getLogger(__name__)

COMMAND = "gemini"
# --yolo approves every tool call: a non-interactive run has nobody to ask, and would stop at the first one.
BASE_ARGS = ("--yolo",)
# The CLI works in the cloned repository when /workspace has one, else among the agent's configs (as the original).
# Module attributes so tests can point them at temp folders.
WORKSPACE_MOUNT = "/workspace"
CONFIG_MOUNT = "/configs"
# How much of the CLI's standard error goes into the log when it fails (it may be long; it names no secret of ours,
# but the reply to the caller gets only the exit status).
STDERR_LOG_CHARS = 2000


class GeminiCLIError(RuntimeError):
    """The CLI could not answer: not installed, failed without output, or over its time limit."""


def command(prompt: str, model: str | None, extra_args=()) -> list:
    """The argv of one turn. The prompt goes last, after -p, as one argument: never through a shell."""
    args = [COMMAND, *BASE_ARGS]
    if model:
        args += ["--model", model]
    return args + [str(a) for a in extra_args] + ["-p", prompt]


def working_dir() -> str:
    """/workspace when it exists and is not empty (a cloned repository), else /configs."""
    try:
        if os.path.isdir(WORKSPACE_MOUNT) and os.listdir(WORKSPACE_MOUNT):
            return WORKSPACE_MOUNT
    except OSError:  # unreadable: treat as no repository
        pass
    return CONFIG_MOUNT


async def _stop(proc) -> None:
    """Kill the CLI's whole process group: the tools it runs (a shell, a build) are its children, and would
    otherwise run on, holding its output pipes open."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:  # already gone, children too
        pass
    await proc.wait()


async def run(argv: list, cwd: str, timeout: float | None = None, env: Mapping[str, str] | None = None) -> str:
    """Run the CLI once and return its standard output, stripped.

    A non-zero exit with output still answers (the CLI may report a tool failure and exit 1 after its reply); a
    non-zero exit without output, a missing command and the time limit (seconds; None or 0: none) are a
    GeminiCLIError. Cancelled or timed out, the CLI and every process it started (its own session and process
    group) are killed, and the CLI reaped, before this returns.
    """
    environ = dict(os.environ if env is None else env)
    if shutil.which(argv[0], path=environ.get("PATH")) is None:
        raise GeminiCLIError(f"{argv[0]} is not on PATH ({environ.get('PATH', '')}): the image's agent-cli layer "
                             f"installs it; rebuild the image")
    proc = await asyncio.create_subprocess_exec(
        *argv, cwd=cwd, env=environ, start_new_session=True,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout or None)
    except asyncio.TimeoutError:
        await _stop(proc)
        raise GeminiCLIError(f"{argv[0]} gave no answer within {timeout} s and was stopped") from None
    except BaseException:  # cancelled: the turn is over, the CLI must not run on unobserved
        await _stop(proc)
        raise
    text = stdout.decode(errors="replace").strip()
    if proc.returncode != 0:
        logger.error("%s exited %s%s; its stderr: %s", argv[0], proc.returncode, " with output" if text else "",
                     stderr.decode(errors="replace")[-STDERR_LOG_CHARS:].strip() or "(empty)")
        if not text:
            raise GeminiCLIError(f"{argv[0]} exited {proc.returncode} without an answer (its stderr is in the "
                                 f"workspace log)")
    return text


async def run_turn(prompt: str, model: str | None, timeout: float | None = None) -> str:
    """One turn: the CLI on this prompt and model, in working_dir(), with the process's environment (where the
    adapter's setup() put the provider's key and endpoint)."""
    return await run(command(prompt, model), working_dir(), timeout)
