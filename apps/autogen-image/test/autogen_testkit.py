"""The autogen adapter's test kit: adapter-core's shared one (runtime doubles, isolated test case), this
template's framework doubles (doubles/: AutoGen is not installed here and PyPI is out of reach, so the adapter's
framework seam is filled with them) and its adapter module."""

import sys
from pathlib import Path

TEST_DIR = Path(__file__).resolve().parent
FILES_DIR = TEST_DIR.parent / "files"
sys.path.insert(0, str(next(p for p in TEST_DIR.parents if (p / "nx.json").is_file())
                       / "packages" / "adapter-core" / "test" / "support"))

from runtime_testkit import *  # noqa: E402,F401,F403  (the shared kit, re-exported for this folder's tests)
from runtime_testkit import IsolatedAdapterTestCase, load_adapter  # noqa: E402

adapter = load_adapter(TEST_DIR)

import autogen_agentchat.agents as agents  # noqa: E402  (the double, after load_adapter put it first on sys.path)


class AutoGenTestCase(IsolatedAdapterTestCase):
    adapter_module = adapter

    def setUp(self):
        super().setUp()
        agents.created.clear()
        agents.replies.clear()
