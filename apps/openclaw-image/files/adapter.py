"""The openclaw template's adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

Each A2A message is one turn of the OpenClaw CLI (installed by the agent-cli layer), run as a subprocess:
`openclaw agent --local --json --session-id <context> --model <provider/model> --message-file <prompt>`. `--local`
runs OpenClaw's embedded agent, so no gateway has to be up; one OpenClaw session per A2A context keeps each
conversation's history in ~/.openclaw (the entrypoint hook makes that folder agent's). Routing is adapter-core's
(molecule_adapter_core, beside this file in /app): as in the original, the chosen provider's key and base URL are
exported as the ANTHROPIC_* variables the CLI reads, so a vendor with an Anthropic-compatible endpoint is a
config.yaml entry with its base_url and key.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import tempfile

import molecule_adapter_core as core
from molecule_adapter_core import Provider
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

# A config.yaml beside this file, if the image ships one, is searched after /opt/adapter/config.yaml.
BESIDE_ADAPTER_REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.yaml")

# The command agent-cli installs (AGENT_CLI_COMMAND in image.json), found on PATH.
CLI = "openclaw"
# The CLI's own time limit for a turn (its default, passed so the backstop below is known to be later).
TURN_TIMEOUT_SECONDS = 600
# Past its own limit the CLI is given this long to drain, then its whole process group is killed (OpenClaw's docs
# advise a hard-kill backstop for scripted runs: a turn may leave child processes behind).
KILL_AFTER_SECONDS = 60

RULES = core.Rules(
    builtin=(
        Provider("anthropic", auth_mode="anthropic", model_prefixes=("anthropic/", "claude-"),
                 auth_env=("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"), auth_token_env="ANTHROPIC_API_KEY",
                 base_url_env="ANTHROPIC_BASE_URL"),
    ),
    default_model="claude-sonnet-4-5",
    label="openclaw",
    default_auth_mode="anthropic",
    default_token_env="ANTHROPIC_API_KEY",
    default_base_url_env="ANTHROPIC_BASE_URL",
)


def openclaw_model(selection: core.Selection) -> str:
    """OpenClaw names a model `provider/model`; a bare id runs on the provider family that serves it."""
    model = selection.model
    return model if "/" in model else f"{selection.provider.auth_mode or 'anthropic'}/{model}"


def reply_text(stdout: str) -> str:
    """The reply of `openclaw agent --json`: the text of its payloads (at the top, or under a gateway `result`)."""
    try:
        answer = json.loads(stdout)
    except ValueError as exc:
        raise RuntimeError(f"{CLI} agent --json printed no JSON: {stdout.strip()[:200]!r}") from exc
    if not isinstance(answer, dict):
        raise RuntimeError(f"{CLI} agent --json printed {type(answer).__name__}, not an object")
    payloads = answer.get("payloads")
    if payloads is None and isinstance(answer.get("result"), dict):
        payloads = answer["result"].get("payloads")
    texts = [p.get("text") for p in payloads or [] if isinstance(p, dict)]
    return "\n\n".join(t for t in texts if isinstance(t, str) and t.strip())


async def run_turn(selection: core.Selection, prompt: str, session: str) -> str:
    """One CLI turn. The prompt goes in a file (--message-file), so no text can be read as an option."""
    with tempfile.TemporaryDirectory(prefix="openclaw-turn-") as folder:
        message = os.path.join(folder, "message.md")
        with open(message, "w", encoding="utf-8") as out:
            out.write(prompt)
        process = await asyncio.create_subprocess_exec(
            CLI, "agent", "--local", "--json", "--session-id", session, "--model", openclaw_model(selection),
            "--timeout", str(TURN_TIMEOUT_SECONDS), "--message-file", message,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            start_new_session=True)  # its own process group, so a kill reaches what it started
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(),
                                                    TURN_TIMEOUT_SECONDS + KILL_AFTER_SECONDS)
        except (asyncio.CancelledError, asyncio.TimeoutError) as stopped:
            # cancel() or the backstop: nothing of the turn may outlive it.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            await process.wait()
            if isinstance(stopped, asyncio.TimeoutError):
                raise TimeoutError(f"{CLI} agent gave no reply within {TURN_TIMEOUT_SECONDS + KILL_AFTER_SECONDS} s "
                                   "(its own limit and the grace after it): killed") from None
            raise
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"{CLI} agent exited {process.returncode}: {detail[-1] if detail else '(no output)'}")
    return reply_text(stdout.decode("utf-8", "replace"))


class OpenClawAdapter(BaseAdapter):
    # What setup() chose; each turn runs on it.
    selection: core.Selection | None = None

    @staticmethod
    def name() -> str:
        return "openclaw"

    @staticmethod
    def display_name() -> str:
        return "OpenClaw"

    @staticmethod
    def description() -> str:
        return "The OpenClaw CLI's embedded agent, one session per conversation"

    @staticmethod
    def get_config_schema() -> dict:
        return core.model_schema(RULES, "Model id (claude-…, or provider/model as OpenClaw names it)",
                                 ["ANTHROPIC_API_KEY"])

    async def setup(self, config: AdapterConfig) -> None:
        if shutil.which(CLI) is None:
            raise core.ConfigError(f"the {CLI} CLI is not on PATH ({os.environ.get('PATH', '')}): the image installs "
                                   "it with the agent-cli layer; rebuild it, or put the CLI on PATH")
        self.selection = None  # chosen afresh on every setup()
        core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        await core.install_plugins(self, config)

    async def create_executor(self, config: AdapterConfig):
        selection = core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))

        async def turn(prompt: str, thread_id: str | None) -> str:
            return await run_turn(selection, prompt, thread_id or "default")

        return core.TurnExecutor(turn, self.name())


# The runtime looks for this exact attribute.
Adapter = OpenClawAdapter
