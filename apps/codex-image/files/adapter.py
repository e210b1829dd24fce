"""The codex template's adapter: what the Molecule runtime loads through ADAPTER_MODULE=adapter.

Each A2A turn is one run of the Codex CLI, `codex exec`, as a child process: the prompt as its last argument, the
reply read from the file `--output-last-message` writes. Its `--json` events name the CLI's thread, which the next
turn of the same A2A context resumes (`codex exec resume <thread>`), so a context keeps its conversation. Routing is
adapter-core's (molecule_adapter_core, beside this file in /app): the built-in OpenAI provider is the CLI's own
(OPENAI_API_KEY, or the ChatGPT sign-in an entrypoint hook writes to ~/.codex/auth.json); a registry entry with a
`base_url` becomes a `model_providers.<name>` override on the command line, its key in the entry's token variable.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import tempfile

import molecule_adapter_core as core
from molecule_adapter_core import Provider
from molecule_runtime.adapters.base import AdapterConfig, BaseAdapter

# A config.yaml beside this file, if the image ships one, is searched after /opt/adapter/config.yaml.
BESIDE_ADAPTER_REGISTRY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.yaml")

# The CLI, found on PATH (agent-cli installs it globally); a module attribute so tests can name another.
CODEX_COMMAND = "codex"
# Where the CLI works: the workspace volume when it is there, else the runtime's own folder.
WORKSPACE_DIR = "/workspace"
# A turn that outlives this many seconds (CODEX_TURN_TIMEOUT_SEC; not a positive number: 1800) is stopped
# (SIGTERM, then SIGKILL) and answered with an error, so one stuck run cannot hold the one-turn-at-a-time lock.
def _turn_timeout(raw: str | None) -> float:
    try:
        value = float(raw or "")
    except ValueError:
        return 1800.0
    return value if value > 0 else 1800.0


TURN_TIMEOUT_SEC = _turn_timeout(os.environ.get("CODEX_TURN_TIMEOUT_SEC"))

RULES = core.Rules(
    builtin=(
        Provider("openai", auth_mode="openai", model_prefixes=("gpt-", "o1", "o3", "o4", "codex-"),
                 auth_env=("OPENAI_API_KEY",), auth_token_env="OPENAI_API_KEY"),
    ),
    # The original's config.yaml default, live-verified with codex-cli 0.130.0.
    default_model="gpt-5.5",
    label="codex",
    default_auth_mode="openai",
    default_token_env="OPENAI_API_KEY",
    strip_model_prefixes=("openai:",),
)

# A provider name as codex's config keys accept it (it becomes part of `model_providers.<name>`).
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_string(value: str) -> str:
    """A TOML basic string: `-c key=value` parses value as TOML, so a URL must be quoted (JSON's escaping fits)."""
    return json.dumps(value)


def codex_arguments(selection: core.Selection, thread: str | None, prompt: str, last_message: str) -> list:
    """The argument vector of one turn (after the command): exec's flags, then `resume <thread>` when the context
    has one, then the prompt after `--` (so a prompt starting with - is never read as a flag)."""
    args = ["exec", "--json", "--skip-git-repo-check", "--output-last-message", last_message,
            "--model", selection.model,
            # The original's sandbox_mode=danger-full-access (core#2128): codex's inner sandbox cannot start in
            # the container, which is the sandbox; exec never asks for approvals.
            "--dangerously-bypass-approvals-and-sandbox"]
    provider = selection.provider
    if selection.base_url and provider.name != "openai":
        if not SAFE_NAME.match(provider.name):
            raise core.ConfigError(f"provider name {provider.name!r} cannot be a codex model_providers key: "
                                   "use letters, digits, - and _ in config.yaml")
        key = f"model_providers.{provider.name}"
        args += ["-c", f"model_provider={toml_string(provider.name)}",
                 "-c", f"{key}.name={toml_string(provider.name)}",
                 "-c", f"{key}.base_url={toml_string(selection.base_url)}"]
        if provider.auth_token_env:
            args += ["-c", f"{key}.env_key={toml_string(provider.auth_token_env)}"]
    if thread:
        args += ["resume", thread]
    return args + ["--", prompt]


def read_events(events: str) -> tuple[str | None, list]:
    """The thread id and the error messages of the CLI's --json events (one JSON object a line; other lines,
    such as its warnings, are ignored)."""
    thread, errors = None, []
    for line in events.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict):
            continue
        if event.get("type") == "thread.started" and event.get("thread_id"):
            thread = str(event["thread_id"])
        elif event.get("type") == "error" and event.get("message"):
            errors.append(str(event["message"]))
    return thread, errors


async def run_codex(args: list, cwd: str, timeout: float) -> tuple[int, str, str]:
    """Run the CLI to its end: (exit code, stdout, stderr). Stopped when it outlives `timeout`."""
    process = await asyncio.create_subprocess_exec(CODEX_COMMAND, *args, cwd=cwd, stdin=asyncio.subprocess.DEVNULL,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout)
    except (asyncio.TimeoutError, asyncio.CancelledError) as stopped:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 5)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()
        if isinstance(stopped, asyncio.TimeoutError):
            raise RuntimeError(f"codex did not finish within {timeout:g} s and was stopped") from None
        raise
    return process.returncode, out.decode(errors="replace"), err.decode(errors="replace")


class CodexAdapter(BaseAdapter):
    # What setup() chose; create_executor() runs the CLI with it.
    selection: core.Selection | None = None

    @staticmethod
    def name() -> str:
        return "codex"

    @staticmethod
    def display_name() -> str:
        return "OpenAI Codex CLI"

    @staticmethod
    def description() -> str:
        return "The OpenAI Codex CLI (codex exec), one resumable thread per conversation"

    @staticmethod
    def get_config_schema() -> dict:
        return core.model_schema(RULES, "Model id (gpt-…, or a config.yaml provider's model)",
                                 ["OPENAI_API_KEY"])

    async def setup(self, config: AdapterConfig) -> None:
        self.selection = None  # chosen afresh on every setup()
        core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        await core.install_plugins(self, config)

    async def create_executor(self, config: AdapterConfig):
        selection = core.selection_of(self, config, RULES, (BESIDE_ADAPTER_REGISTRY,))
        cwd = WORKSPACE_DIR if os.path.isdir(WORKSPACE_DIR) else os.getcwd()
        threads: dict = {}  # A2A context id -> codex thread id

        async def turn(prompt: str, context_id: str | None) -> str:
            with tempfile.TemporaryDirectory(prefix="codex-turn-") as folder:
                last = os.path.join(folder, "last-message.txt")
                code, out, err = await run_codex(codex_arguments(selection, threads.get(context_id), prompt, last),
                                                 cwd, TURN_TIMEOUT_SEC)
                thread, errors = read_events(out)
                if thread:
                    threads[context_id] = thread
                reply = open(last, encoding="utf-8", errors="replace").read() if os.path.exists(last) else ""
            if code != 0 or (errors and not reply.strip()):
                detail = errors[-1:] or err.strip().splitlines()[-1:] or ["no output"]
                raise RuntimeError(f"codex exited {code}: {detail[0]}")
            return reply

        return core.TurnExecutor(turn, self.name())


# The runtime looks for this exact attribute.
Adapter = CodexAdapter
