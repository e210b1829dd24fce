"""transcript_lines(): a window of the newest Claude Code session log, for watching the agent live."""

import json
import os

from adapter_testkit import AdapterTestCase, adapter, write


class Transcript(AdapterTestCase):
    def project_dir(self, cwd):
        return self.home / ".claude" / "projects" / cwd.replace("/", "-")

    def session(self, cwd, name, lines, mtime=None):
        path = write(self.project_dir(cwd) / name, "".join(line + "\n" for line in lines))
        if mtime is not None:
            os.utime(path, (mtime, mtime))
        return path

    async def read(self, since=0, limit=100):
        return await adapter.Adapter().transcript_lines(since=since, limit=limit)

    async def test_reads_the_newest_jsonl_of_the_project_cwd_folder(self):
        os.environ["CLAUDE_PROJECT_CWD"] = "/srv/project"
        self.session("/srv/project", "old.jsonl", ['{"n": "old"}'], mtime=1_000)
        newest = self.session("/srv/project", "new.jsonl", ['{"n": 1}', '{"n": 2}'], mtime=2_000)
        write(self.project_dir("/srv/project") / "notes.txt", "not a transcript")
        result = await self.read()
        self.assertEqual(result, {"runtime": "claude-code", "supported": True, "lines": [{"n": 1}, {"n": 2}],
                                  "cursor": 2, "more": False, "source": str(newest)})
        self.assertTrue((self.home / ".claude/projects/-srv-project").is_dir())

    async def test_cwd_is_the_workspace_when_it_is_not_empty(self):
        write(self.workspace / "repo" / "README.md", "x")
        self.session(str(self.workspace), "s.jsonl", ['{"from": "workspace"}'])
        self.assertEqual((await self.read())["lines"], [{"from": "workspace"}])

    async def test_cwd_is_configs_when_the_workspace_is_empty(self):
        self.session(str(self.configs), "s.jsonl", ['{"from": "configs"}'])
        self.assertEqual((await self.read())["lines"], [{"from": "configs"}])

    async def test_a_trailing_slash_in_the_cwd_does_not_change_the_folder(self):
        os.environ["CLAUDE_PROJECT_CWD"] = "/srv/project/"
        self.session("/srv/project", "s.jsonl", ['{"a": 1}'])
        self.assertEqual((await self.read())["lines"], [{"a": 1}])

    async def test_since_and_limit_select_a_window_with_cursor_and_more(self):
        os.environ["CLAUDE_PROJECT_CWD"] = "/p"
        self.session("/p", "s.jsonl", [json.dumps({"i": i}) for i in range(10)])
        first = await self.read(since=0, limit=4)
        self.assertEqual(([x["i"] for x in first["lines"]], first["cursor"], first["more"]), ([0, 1, 2, 3], 4, True))
        middle = await self.read(since=first["cursor"], limit=4)
        self.assertEqual(([x["i"] for x in middle["lines"]], middle["cursor"], middle["more"]), ([4, 5, 6, 7], 8, True))
        last = await self.read(since=middle["cursor"], limit=4)
        self.assertEqual(([x["i"] for x in last["lines"]], last["cursor"], last["more"]), ([8, 9], 10, False))
        past = await self.read(since=50, limit=4)
        self.assertEqual((past["lines"], past["cursor"], past["more"]), ([], 50, False))

    async def test_an_exact_fit_window_has_no_more(self):
        os.environ["CLAUDE_PROJECT_CWD"] = "/p"
        self.session("/p", "s.jsonl", ['{"i": 0}', '{"i": 1}'])
        result = await self.read(limit=2)
        self.assertEqual((len(result["lines"]), result["more"]), (2, False))

    async def test_limit_is_clamped_to_1_through_1000(self):
        os.environ["CLAUDE_PROJECT_CWD"] = "/p"
        self.session("/p", "s.jsonl", [json.dumps({"i": i}) for i in range(1005)])
        for asked, got in ((0, 1), (-5, 1), (1000, 1000), (999_999, 1000)):
            with self.subTest(limit=asked):
                result = await self.read(limit=asked)
                self.assertEqual((len(result["lines"]), result["cursor"], result["more"]), (got, got, True))

    async def test_a_malformed_line_becomes_a_marked_entry_with_at_most_200_characters(self):
        os.environ["CLAUDE_PROJECT_CWD"] = "/p"
        broken = "{not json " + "x" * 500
        self.session("/p", "s.jsonl", ['{"ok": 1}', broken, '{"ok": 2}'])
        result = await self.read()
        self.assertEqual(result["lines"][0], {"ok": 1})
        self.assertEqual(result["lines"][1], {"_parse_error": True, "_raw": broken[:200]})
        self.assertEqual(len(result["lines"][1]["_raw"]), 200)
        self.assertEqual((result["lines"][2], result["cursor"]), ({"ok": 2}, 3))

    async def test_blank_lines_are_skipped_but_counted_by_the_cursor(self):
        os.environ["CLAUDE_PROJECT_CWD"] = "/p"
        self.session("/p", "s.jsonl", ['{"a": 1}', "", '{"a": 2}'])
        result = await self.read()
        self.assertEqual((result["lines"], result["cursor"]), ([{"a": 1}, {"a": 2}], 3))

    async def test_supported_is_true_when_no_transcript_exists_yet(self):
        os.environ["CLAUDE_PROJECT_CWD"] = "/nothing/yet"
        result = await self.read(since=3)
        self.assertEqual(result, {"runtime": "claude-code", "supported": True, "lines": [], "cursor": 3,
                                  "more": False, "source": str(self.project_dir("/nothing/yet"))})
        self.project_dir("/nothing/yet").mkdir(parents=True)
        self.assertEqual((await self.read())["lines"], [])
