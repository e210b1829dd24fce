"""What the runtime sees of the langgraph adapter: the Adapter alias, __init__.py, its metadata."""

import unittest

from langgraph_testkit import FILES_DIR, AdapterContract


class Contract(AdapterContract, unittest.TestCase):
    files_dir = FILES_DIR
    adapter_name = "langgraph"
    class_name = "LangGraphAdapter"
