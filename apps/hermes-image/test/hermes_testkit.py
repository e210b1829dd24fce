"""The hermes adapter's test kit: adapter-core's shared one (runtime doubles, isolated test case), this adapter's
module and a stand-in gateway.

The real hermes gateway (hermes-agent from PyPI, installed by its installer from GitHub) is out of reach here. The
adapter reaches it only over HTTP, so the seam is its address, HERMES_API_BASE: StandInGateway is a real HTTP
server on 127.0.0.1 that speaks the one request the adapter makes (POST /v1/chat/completions), records what it
got and answers what the test queued.
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TEST_DIR = Path(__file__).resolve().parent
FILES_DIR = TEST_DIR.parent / "files"
sys.path.insert(0, str(next(p for p in TEST_DIR.parents if (p / "nx.json").is_file())
                       / "packages" / "adapter-core" / "test" / "support"))

from runtime_testkit import *  # noqa: E402,F401,F403  (the shared kit, re-exported for this folder's tests)
from runtime_testkit import IsolatedAdapterTestCase, load_adapter  # noqa: E402

adapter = load_adapter(TEST_DIR)


def completion(text) -> dict:
    """An OpenAI-style chat-completions answer carrying this content."""
    return {"id": "chatcmpl-1", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}


class StandInGateway:
    """A real HTTP server standing in for `hermes gateway`'s API server. `answers` holds (status, body) pairs,
    served in order; a body that is a dict is sent as JSON, bytes as they are. `requests` records (path, headers,
    parsed JSON body) of each request."""

    def __init__(self):
        self.answers: list = []
        self.requests: list = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                gateway.requests.append((self.path, dict(self.headers), json.loads(body or b"null")))
                status, answer = gateway.answers.pop(0) if gateway.answers else (500, b"no answer queued")
                data = json.dumps(answer).encode() if isinstance(answer, dict) else answer
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep the test output to the tests' own
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class HermesTestCase(IsolatedAdapterTestCase):
    """Each test has a stand-in gateway of its own, and HERMES_API_BASE pointing at it (the environment is
    otherwise empty, as the shared test case makes it)."""

    adapter_module = None  # the adapter reads no registry file: nothing to redirect

    def setUp(self):
        super().setUp()
        self.gateway = StandInGateway()
        self.addCleanup(self.gateway.close)
        os.environ["HERMES_API_BASE"] = self.gateway.base

    async def executor(self, **fields):
        return await self.executor_of(adapter.Adapter(), self.config(**fields))
