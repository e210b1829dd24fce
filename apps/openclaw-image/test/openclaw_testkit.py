"""The openclaw adapter's test kit: adapter-core's shared one (runtime doubles, isolated test case), the adapter
module, and the CLI stand-in (standin/openclaw, a real executable) first on PATH for each test."""

import json
import sys
from pathlib import Path

TEST_DIR = Path(__file__).resolve().parent
FILES_DIR = TEST_DIR.parent / "files"
STANDIN_DIR = TEST_DIR / "standin"
sys.path.insert(0, str(next(p for p in TEST_DIR.parents if (p / "nx.json").is_file())
                       / "packages" / "adapter-core" / "test" / "support"))

from runtime_testkit import *  # noqa: E402,F401,F403  (the shared kit, re-exported for this folder's tests)
from runtime_testkit import IsolatedAdapterTestCase, load_adapter  # noqa: E402

adapter = load_adapter(TEST_DIR)


class OpenClawTestCase(IsolatedAdapterTestCase):
    """The stand-in CLI on PATH (then the system's, for python3 and sleep), recording its runs in self.log."""

    adapter_module = adapter

    def setUp(self):
        super().setUp()
        import os
        self.log = self.tmp / "openclaw-runs.jsonl"
        os.environ.update(PATH=f"{STANDIN_DIR}:/usr/local/bin:/usr/bin:/bin", OPENCLAW_STANDIN_LOG=str(self.log))

    def runs(self) -> list:
        """Each run of the stand-in: its arguments, the message it read, the ANTHROPIC_* it saw, its process group."""
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]
