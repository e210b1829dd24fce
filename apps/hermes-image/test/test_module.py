"""What the runtime sees of the hermes adapter: the Adapter alias, __init__.py, its metadata."""

import unittest

from hermes_testkit import FILES_DIR, AdapterContract


class Contract(AdapterContract, unittest.TestCase):
    files_dir = FILES_DIR
    adapter_name = "hermes"
    class_name = "HermesAdapter"
