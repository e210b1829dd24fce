"""The codex adapter's test kit: adapter-core's shared one (runtime doubles, isolated test case) and this
template's adapter module. The Codex CLI is stand-ins/codex, a real executable put first on PATH, so the adapter's
subprocess calls run for real."""

import json
import os
import sys
from pathlib import Path
from unittest import mock

TEST_DIR = Path(__file__).resolve().parent
FILES_DIR = TEST_DIR.parent / "files"
STAND_INS_DIR = TEST_DIR / "stand-ins"
sys.path.insert(0, str(next(p for p in TEST_DIR.parents if (p / "nx.json").is_file())
                       / "packages" / "adapter-core" / "test" / "support"))

from runtime_testkit import *  # noqa: E402,F401,F403  (the shared kit, re-exported for this folder's tests)
from runtime_testkit import IsolatedAdapterTestCase, load_adapter  # noqa: E402

adapter = load_adapter(TEST_DIR)


class CodexTestCase(IsolatedAdapterTestCase):
    adapter_module = adapter

    def setUp(self):
        super().setUp()
        self.record = self.tmp / "codex-runs.jsonl"
        os.environ.update(PATH=f"{STAND_INS_DIR}:/usr/local/bin:/usr/bin:/bin", CODEX_STAND_IN_RECORD=str(self.record))
        # The CLI works in the workspace volume; here a temp folder stands for /workspace.
        self.patch(mock.patch.object(adapter, "WORKSPACE_DIR", str(self.workspace)))

    def runs(self) -> list:
        """What the stand-in recorded, one dict per run."""
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines()]

