"""What a process forked from the warm worker starts with (workshop/app_process/zygote.py): the libraries' objects
frozen out of garbage collection, and each URL rule's builder compiled once (url_builders.py)."""

import pytest

from workshop.jail import sandbox
from workshop.jail.isolation import Jail
from workshop.judge import worker

CHILD_TEST = '''
import gc

from werkzeug.routing import Rule


def test_the_libraries_objects_are_frozen():
    assert gc.get_freeze_count() > 10_000


def test_url_rules_builders_are_compiled_once():
    assert Rule._compile_builder.__module__ == "workshop.app_process.url_builders"
'''


@pytest.mark.skipif(not worker.AVAILABLE, reason="no warm worker here (it forks)")
def test_a_run_forked_from_the_warm_worker_starts_with_what_was_shared(tmp_path):
    (tmp_path / "test_child.py").write_text(CHILD_TEST, encoding="utf-8")
    run = {"args": ["-q", "-p", "no:cacheprovider", str(tmp_path)], "cwd": tmp_path,
           "env": sandbox.scrubbed_env(tmp_path), "path": [], "mutant": ""}
    warm = worker.Worker(Jail(), sandbox.scrubbed_env(tmp_path), sandbox.Limits(seconds=30))
    try:
        [outcome] = warm.pytest([run], 20)
    finally:
        warm.stop()
    assert (outcome.returncode, outcome.timed_out) == (0, False)
