"""What the runtime sees of the codex adapter: the Adapter alias, __init__.py, its metadata."""

import unittest

from codex_testkit import FILES_DIR, AdapterContract


class Contract(AdapterContract, unittest.TestCase):
    files_dir = FILES_DIR
    adapter_name = "codex"
    class_name = "CodexAdapter"
