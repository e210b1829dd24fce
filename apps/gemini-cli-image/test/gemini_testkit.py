"""The gemini-cli adapter's test kit: adapter-core's shared one (runtime doubles, isolated test case), this
template's adapter module, and a stand-in `gemini` executable: a real program on PATH, so cli_executor starts a real
process (the real CLI needs a Gemini key and the network)."""

import os
import stat
import sys
from pathlib import Path

TEST_DIR = Path(__file__).resolve().parent
FILES_DIR = TEST_DIR.parent / "files"
sys.path.insert(0, str(next(p for p in TEST_DIR.parents if (p / "nx.json").is_file())
                       / "packages" / "adapter-core" / "test" / "support"))

from runtime_testkit import *  # noqa: E402,F401,F403  (the shared kit, re-exported for this folder's tests)
from runtime_testkit import IsolatedAdapterTestCase, load_adapter  # noqa: E402

adapter = load_adapter(TEST_DIR)

import cli_executor  # noqa: E402  (from files/, which load_adapter put first on sys.path)

# The stand-in: records its arguments (one a line), working folder, pid and the key variables' presence, then
# acts as GEMINI_STANDIN_MODE says. It reads its settings from the environment the executor hands it.
STANDIN = r"""#!/bin/sh
record="${GEMINI_STANDIN_RECORD:?}"
{
  printf 'pid=%s\n' "$$"
  printf 'cwd=%s\n' "$(pwd)"
  printf 'key=%s\n' "${GEMINI_API_KEY:+set}"
  printf 'base_url=%s\n' "${GOOGLE_GEMINI_BASE_URL:-}"
  for arg in "$@"; do printf 'arg=%s\n' "$arg"; done
} > "$record.tmp"
mv "$record.tmp" "$record"
case "${GEMINI_STANDIN_MODE:-answer}" in
  answer) printf '  the answer\n' ;;
  fail) echo "quota exceeded for the key" >&2; exit 3 ;;
  fail-with-output) echo "partial answer"; echo "a tool failed" >&2; exit 1 ;;
  silent) ;;
  hang) sleep 60 & echo "$!" > "$(dirname "$record")/gemini.child"; wait "$!" ;;
esac
"""


class GeminiTestCase(IsolatedAdapterTestCase):
    """Each test: the stand-in as `gemini` first on PATH, the mounts in temp folders."""

    adapter_module = adapter

    def setUp(self):
        super().setUp()
        bin_dir = self.tmp / "bin"
        bin_dir.mkdir()
        standin = bin_dir / "gemini"
        standin.write_text(STANDIN, encoding="utf-8")
        standin.chmod(standin.stat().st_mode | stat.S_IXUSR)
        self.record = self.tmp / "gemini.record"
        # /bin and /usr/bin for the shell the stand-in runs in and its sleep; the stand-in comes first.
        os.environ.update(PATH=f"{bin_dir}:/usr/bin:/bin", GEMINI_STANDIN_RECORD=str(self.record))
        from unittest import mock
        self.patch(mock.patch.object(cli_executor, "WORKSPACE_MOUNT", str(self.workspace)))
        self.patch(mock.patch.object(cli_executor, "CONFIG_MOUNT", str(self.configs)))

    def recorded(self) -> dict:
        """What the stand-in recorded: each key's values in order (arg repeats)."""
        lines = self.record.read_text(encoding="utf-8").splitlines()
        out: dict = {}
        for line in lines:
            key, _, value = line.partition("=")
            out.setdefault(key, []).append(value)
        return out
