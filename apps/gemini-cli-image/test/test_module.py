"""What the runtime sees of the gemini-cli adapter: the Adapter alias, __init__.py, its metadata."""

import unittest

from gemini_testkit import FILES_DIR, AdapterContract, adapter


class Contract(AdapterContract, unittest.TestCase):
    files_dir = FILES_DIR
    adapter_name = "gemini-cli"
    class_name = "GeminiCLIAdapter"

    def test_the_files_are_the_three_the_image_copies(self):
        # image.Dockerfile COPYs exactly these; a fourth file here would be shipped nowhere, or forgotten.
        self.assertEqual(sorted(p.name for p in FILES_DIR.iterdir()), ["__init__.py", "adapter.py", "cli_executor.py"])

    def test_the_memory_file_is_gemini_md(self):
        self.assertEqual(adapter.Adapter().memory_filename(), "GEMINI.md")
