"""A pytest plugin that writes which of a learner's tests failed, and what they said, to a JSON file.

    pytest -p workshop.app_process.outcomes --workshop-report PATH ...

PATH gets {"failed": [test names], "errors": [why a test could not run or a file could not be collected],
"asserts": [what each failed test said], "unexplained": [the tests whose assert said nothing more than
AssertionError, as a plain assert does without pytest's assertion rewriting]}. pytest's JUnit XML report
says as much, but builds an element for every test as it goes: a twelfth of a run of the learner's tests. The
judge reads the file as a hint for its messages only (judge/step5.py), never as a verdict.
"""

import json

OPTION = "--workshop-report"
SILENT = "AssertionError"  # what a plain assert that failed says: nothing of what it compared


def pytest_addoption(parser):
    parser.addoption(OPTION, metavar="PATH", help="write the tests that failed, and why, to PATH (JSON)")


def pytest_configure(config):
    path = config.getoption(OPTION)
    if path:
        config.pluginmanager.register(Failures(path), "workshop-outcomes")


class Failures:
    """The failures of one run, written to ``path`` when the session ends."""

    def __init__(self, path):
        self.path, self.failed, self.errors, self.asserts, self.unexplained = path, [], [], [], []

    def pytest_collectreport(self, report):
        if report.failed:  # a file that could not be imported: which, and why
            self.errors.append(f"{report.nodeid}: {said(report)}")

    def pytest_runtest_logreport(self, report):
        if not report.failed:
            return
        name = report.nodeid.rpartition("::")[2]
        self.failed.append(name)
        if report.when == "call":
            self.asserts.append(said(report))
            if self.asserts[-1] == SILENT:
                self.unexplained.append(name)
        else:
            self.errors.append(f'failed on {report.when} with "{said(report)}"')

    def pytest_sessionfinish(self):
        with open(self.path, "w", encoding="utf-8") as file:
            json.dump({"failed": self.failed, "errors": self.errors, "asserts": self.asserts,
                       "unexplained": self.unexplained}, file)


def said(report):
    """What a failed report says: its exception's message (``assert 404 == 200``), else the last line that pytest
    marks as the error's (``SyntaxError: invalid syntax``), else its last line."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    lines = str(report.longrepr).strip().splitlines() or [""]
    return next((line[1:].strip() for line in reversed(lines) if line.startswith("E ")), lines[-1])
