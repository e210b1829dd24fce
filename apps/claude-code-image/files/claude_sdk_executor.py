"""The A2A executor that runs each incoming message as one Claude Code turn through the Claude Agent SDK.

It lives in /app so that it shadows the same-named module older runtime versions shipped.
"""

from __future__ import annotations

import asyncio
import logging
import os

import claude_agent_sdk as sdk
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.utils import new_agent_text_message

logger = logging.getLogger(__name__)

# Module attributes so tests can point them at temp folders.
WORKSPACE_DIR = "/workspace"
CONFIGS_DIR = "/configs"

# Waits before each retry of a transient failure; their count bounds the retries.
RETRY_DELAYS_S = (5, 10, 20)
# Lower-cased fragments of the errors a provider gives when it is rate-limiting or overloaded.
TRANSIENT_MARKERS = ("rate limit", "rate_limit", "ratelimit", "429", "too many requests",
                     "overloaded", "529", "capacity")

NO_TEXT = "Error: the message contained no text."
NO_RESPONSE = "(no response generated)"


def agent_cwd() -> str:
    """/workspace once something is in it (a cloned repo), else /configs. The transcript reader shares it."""
    try:
        if os.listdir(WORKSPACE_DIR):
            return WORKSPACE_DIR
    except OSError:
        pass
    return CONFIGS_DIR


def is_transient(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(marker in text for marker in TRANSIENT_MARKERS)


def is_subprocess_failure(exc: BaseException) -> bool:
    return isinstance(exc, (sdk.ProcessError, sdk.CLIConnectionError)) or getattr(exc, "exit_code", None) is not None


class ClaudeSDKExecutor(AgentExecutor):
    def __init__(self, system_prompt: str | None, config_path: str, heartbeat=None, model: str = "sonnet",
                 sleep=asyncio.sleep):
        # config_path and heartbeat keep the constructor the runtime's own executor had, which callers still use.
        self.system_prompt = system_prompt
        self.config_path = config_path
        self.heartbeat = heartbeat
        self.model = model
        self._sleep = sleep  # injected so tests need not wait out the backoff
        self._session_id: str | None = None
        self._stream = None
        self._stream_task = None
        # One turn at a time: the session id and the active stream belong to the turn that holds the lock.
        self._lock = asyncio.Lock()

    def _options(self):
        return sdk.ClaudeAgentOptions(
            model=self.model,
            system_prompt=self.system_prompt,
            cwd=agent_cwd(),
            # The container is the sandbox; there is no one to answer permission prompts.
            permission_mode="bypassPermissions",
            resume=self._session_id,
        )

    async def _run_once(self, prompt: str) -> str:
        chunks, result = [], None
        self._stream = sdk.query(prompt=prompt, options=self._options())
        self._stream_task = asyncio.current_task()
        try:
            async for message in self._stream:
                if isinstance(message, sdk.AssistantMessage):
                    chunks += [b.text for b in message.content if isinstance(b, sdk.TextBlock)]
                elif isinstance(message, sdk.ResultMessage):
                    self._session_id = message.session_id or self._session_id
                    result = message.result
        finally:
            self._stream = self._stream_task = None
        # The result message holds the final answer; the streamed text also holds the reasoning before tools.
        return result if result is not None else "".join(chunks)

    async def _turn(self, prompt: str) -> str:
        retries = 0
        while True:
            try:
                return await self._run_once(prompt) or NO_RESPONSE
            except Exception as exc:  # the SDK raises plain Exception for some CLI failures
                if is_subprocess_failure(exc) and self._session_id:
                    # A crashed CLI can leave its session unresumable; resuming it would fail the same way.
                    logger.info("clearing session %s after %s", self._session_id, type(exc).__name__)
                    self._session_id = None
                if retries < len(RETRY_DELAYS_S) and is_transient(exc):
                    delay = RETRY_DELAYS_S[retries]
                    retries += 1
                    logger.warning("transient error (retry %d in %d s): %s", retries, delay, exc)
                    await self._sleep(delay)
                    continue
                logger.error("turn failed: %s: %s", type(exc).__name__, exc)
                return f"Agent error ({type(exc).__name__}): {str(exc)[:500]}"

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        prompt = (context.get_user_input() or "").strip()
        if not prompt:
            await event_queue.enqueue_event(new_agent_text_message(NO_TEXT))
            return
        async with self._lock:
            reply = await self._turn(prompt)
        await event_queue.enqueue_event(new_agent_text_message(reply))

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        """Stop whatever turn is running now by closing its stream; nothing to do between turns."""
        stream, task = self._stream, self._stream_task
        if stream is None:
            return
        try:
            await stream.aclose()
        except RuntimeError:
            # An async generator busy awaiting its next message refuses aclose(): stop the turn's task instead.
            if task is not None:
                task.cancel()
