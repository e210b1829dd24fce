"""What the runtime sees of the openclaw adapter: the Adapter alias, __init__.py, its metadata."""

import unittest

from openclaw_testkit import FILES_DIR, AdapterContract


class Contract(AdapterContract, unittest.TestCase):
    files_dir = FILES_DIR
    adapter_name = "openclaw"
    class_name = "OpenClawAdapter"
