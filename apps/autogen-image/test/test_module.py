"""What the runtime sees of the autogen adapter: the Adapter alias, __init__.py, its metadata."""

import unittest

from autogen_testkit import FILES_DIR, AdapterContract


class Contract(AdapterContract, unittest.TestCase):
    files_dir = FILES_DIR
    adapter_name = "autogen"
    class_name = "AutoGenAdapter"
