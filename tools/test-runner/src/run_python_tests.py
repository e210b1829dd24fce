"""Runs a project's Python unittest suite and writes its counts as JSON for `npm test`'s closing line.

Usage: python3 run_python_tests.py <test-dir> <report.json>
Tests are discovered as test_*.py with <test-dir> as the top-level folder, so they import their
own helpers (doubles/, fixtures) by plain module name.
"""
import json
import sys
import unittest


def main() -> int:
    test_dir, report = sys.argv[1], sys.argv[2]
    suite = unittest.defaultTestLoader.discover(test_dir, pattern="test_*.py", top_level_dir=test_dir)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    # A skipped test is not a pass: the project's rule is no silent skips, so it counts as failed.
    failed += len(result.skipped)
    passed = result.testsRun - failed
    with open(report, "w", encoding="utf-8") as out:
        json.dump({"passed": passed, "failed": failed}, out)
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
