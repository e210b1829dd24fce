"""Runs a project's Python unittest suite and writes its counts as JSON for `npm test`'s closing line.

Usage: python3 run_python_tests.py <test-dir> <report.json>
Tests are discovered as test_*.py with <test-dir> as the top-level folder, so they import their
own helpers (doubles/, fixtures) by plain module name.

Counting: each test is one result, and a test with subtests is one result per subtest instead (its
subtests are what it checks), so no count can go negative: passed + failed + skipped is the number of
results. An `expectedFailure` that fails is a pass (it is what the test says); one that passes is a
failure (the test's claim no longer holds). A skip is neither: it is counted as skipped and named, so
the closing line says what did not run.
"""
import json
import sys
import unittest


class CountingResult(unittest.TextTestResult):
    """Keeps one outcome per test id, and per subtest where a test has subtests."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}  # test id -> "passed" | "failed"
        self.subtest_outcomes = {}  # test id -> list of "passed" | "failed"
        self.skipped_names = []
        self.failed_names = []  # named at the end of `npm test`, where CI's reader looks

    def _set(self, test, outcome):
        # A test that passed its body but failed in tearDown is reported twice: the failure wins.
        if self.outcomes.get(test.id()) != "failed":
            self.outcomes[test.id()] = outcome

    def addSuccess(self, test):
        super().addSuccess(test)
        self._set(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._set(test, "failed")
        self.failed_names.append(test.id())

    def addError(self, test, err):
        super().addError(test, err)
        # setUpClass / setUpModule errors arrive as a _ErrorHolder without subtests: one failure each.
        self._set(test, "failed")
        self.failed_names.append(f"{test.id()}: {err[0].__name__}")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._set(test, "passed")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._set(test, "failed")
        self.failed_names.append(f"{test.id()}: passed, but is marked expectedFailure")

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.skipped_names.append(f"{test.id()}: {reason}")
        self.outcomes[test.id()] = "skipped"

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        self.subtest_outcomes.setdefault(test.id(), []).append("passed" if err is None else "failed")
        if err is not None:
            self.failed_names.append(subtest.id())

    def counts(self):
        passed = failed = 0
        for test_id, outcome in self.outcomes.items():
            subtests = self.subtest_outcomes.pop(test_id, None)
            if outcome == "skipped":
                continue
            if subtests:
                passed += subtests.count("passed")
                failed += subtests.count("failed")
                # The test body can still fail outside its subtests (an assert after the loop): one more failure.
                if outcome == "failed" and "failed" not in subtests:
                    failed += 1
            elif outcome == "passed":
                passed += 1
            else:
                failed += 1
        # A test whose subtests failed reports no outcome of its own (unittest adds neither success nor failure).
        for subtests in self.subtest_outcomes.values():
            passed += subtests.count("passed")
            failed += subtests.count("failed")
        return passed, failed


def main() -> int:
    test_dir, report = sys.argv[1], sys.argv[2]
    suite = unittest.defaultTestLoader.discover(test_dir, pattern="test_*.py", top_level_dir=test_dir)
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout, resultclass=CountingResult)
    result = runner.run(suite)
    passed, failed = result.counts()
    skipped = result.skipped_names
    with open(report, "w", encoding="utf-8") as out:
        json.dump(
            {"passed": passed, "failed": failed, "skipped": skipped, "failures": result.failed_names}, out
        )
    return 0 if failed == 0 and passed + len(skipped) > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
