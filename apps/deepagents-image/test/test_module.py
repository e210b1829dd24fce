"""What the runtime sees of the deepagents adapter: the Adapter alias, __init__.py, its metadata."""

import unittest

from deepagents_testkit import FILES_DIR, AdapterContract


class Contract(AdapterContract, unittest.TestCase):
    files_dir = FILES_DIR
    adapter_name = "deepagents"
    class_name = "DeepAgentsAdapter"
