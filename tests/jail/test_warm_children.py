"""What a process forked from the warm worker starts with (workshop/app_process/zygote.py): the libraries' objects
frozen out of garbage collection, each URL rule's builder compiled once (url_builders.py), and pytest's plugins
registered for the runs of step 5 (pytest_start.py)."""

import pytest

from workshop.app_process import pytest_start
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


PREPARED_TEST = '''
import os
import pathlib

import _pytest.config


def test_kiwi(request):  # pytest started from the config the warm worker made
    config = request.config
    assert _pytest.config.get_config.__name__ == "<lambda>"  # pytest_start.main's, for this run only
    assert config.invocation_params.dir == config.rootpath == pathlib.Path.cwd()
    assert config.getini("timeout") == "3" and config.pluginmanager.has_plugin("pytest_timeout")
    assert config.pluginmanager.is_blocked("stepwise") and not config.pluginmanager.has_plugin("cacheprovider")
    assert config.option.keyword in config.invocation_params.args  # this run's


def test_mango():
    assert os.environ["RUN"] == "passes"
'''

OWN_FIXTURES_TEST = '''
import logging
import warnings

from _pytest.fixtures import FixtureManager


def test_pytests_own_fixtures(tmp_path, tmpdir, tmp_path_factory, monkeypatch, capsys, caplog, recwarn, request,
                              pytestconfig, record_property, doctest_namespace):
    assert FixtureManager.parsefactories.__module__ == "workshop.app_process.pytest_start"  # read from copies
    monkeypatch.setenv("FRUIT", "kiwi")
    print("said")
    logging.getLogger("fruit").warning("logged")
    warnings.warn("warned")
    assert capsys.readouterr().out == "said\\n" and "logged" in caplog.text and len(recwarn) == 1
    assert tmp_path.is_dir() and tmpdir.isdir() and request.node.name == "test_pytests_own_fixtures"
'''


def run_in(folder, args, **env):
    return {"args": args, "cwd": folder, "env": sandbox.scrubbed_env(folder, **env), "path": [], "mutant": ""}


def forked_runs(folder, runs):
    warm = worker.Worker(Jail(), sandbox.scrubbed_env(folder), sandbox.Limits(seconds=30))
    try:
        return [(outcome.returncode, outcome.timed_out) for outcome in warm.pytest(runs, 20)]
    finally:
        warm.stop()


@pytest.mark.skipif(not worker.AVAILABLE, reason="no warm worker here (it forks)")
def test_a_run_forked_from_the_warm_worker_starts_with_what_was_shared(tmp_path):
    (tmp_path / "test_child.py").write_text(CHILD_TEST, encoding="utf-8")
    assert forked_runs(tmp_path, [run_in(tmp_path, ["-q", "-p", "no:cacheprovider", str(tmp_path)])]) == [(0, False)]


@pytest.mark.skipif(not worker.AVAILABLE, reason="no warm worker here (it forks)")
def test_runs_with_step_5s_plugins_start_from_pytests_config_made_once(tmp_path):
    (tmp_path / "test_fruit.py").write_text(PREPARED_TEST, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    args = ["-q", "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), *pytest_start.PLUGINS, "-o",
            "timeout=3", str(tmp_path)]
    env = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # as step 5's runs
    runs = [run_in(tmp_path, [*args, "-k", "kiwi or mango"], RUN="passes", **env),  # each child its own copy
            run_in(tmp_path, [*args, "-k", "mango"], RUN="fails", **env),
            run_in(tmp_path, [*args, "-k", "kiwi"], RUN="fails", **env)]
    assert forked_runs(tmp_path, runs) == [(0, False), (1, False), (0, False)]
    other = run_in(tmp_path, [*args[:-1], "-pno:doctest", args[-1]], RUN="passes", **env)  # other plugins: from scratch
    assert forked_runs(tmp_path, [other]) == [(1, False)]


@pytest.mark.skipif(not worker.AVAILABLE, reason="no warm worker here (it forks)")
def test_runs_forked_from_the_warm_worker_have_every_fixture_of_pytests_own(tmp_path):
    (tmp_path / "test_own.py").write_text(OWN_FIXTURES_TEST, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    args = ["-q", "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), *pytest_start.PLUGINS, str(tmp_path)]
    assert forked_runs(tmp_path, [run_in(tmp_path, args, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")]) == [(0, False)]


PLUGIN_OBJECT_CONFTEST = '''
import pytest


class Fruit:
    @pytest.fixture
    def fruit(self):
        return "kiwi"


def pytest_configure(config):
    config.pluginmanager.register(Fruit(), "fruit")
'''


@pytest.mark.skipif(not worker.AVAILABLE, reason="no warm worker here (it forks)")
def test_a_plugin_object_of_the_learners_keeps_its_fixtures(tmp_path):
    (tmp_path / "conftest.py").write_text(PLUGIN_OBJECT_CONFTEST, encoding="utf-8")
    (tmp_path / "test_fruit.py").write_text("def test_fruit(fruit):\n    assert fruit == 'kiwi'\n", encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    args = ["-q", "-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path), *pytest_start.PLUGINS, str(tmp_path)]
    assert forked_runs(tmp_path, [run_in(tmp_path, args, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")]) == [(0, False)]


def test_only_pytests_own_plugin_objects_without_fixtures_are_read_as_empty():
    import _pytest.legacypath
    import _pytest.terminal

    class Fruit:
        __module__ = "conftest"

    assert pytest_start.fixtureless(_pytest.terminal.TerminalReporter)
    assert not pytest_start.fixtureless(_pytest.legacypath.LegacyTmpdirPlugin)  # tmpdir, tmpdir_factory
    assert not pytest_start.fixtureless(Fruit)  # the learner's: read as it is


def test_a_plugins_module_is_read_from_a_copy_with_its_fixtures_alone():
    import _pytest.tmpdir

    copy = pytest_start.fixtures_only(_pytest.tmpdir)
    assert copy.__name__ == "_pytest.tmpdir"
    assert {name for name in vars(copy) if not name.startswith("__")} == {"tmp_path", "tmp_path_factory"}
    assert copy.tmp_path is _pytest.tmpdir.tmp_path


def test_a_runs_plugin_options_are_its_p_options():
    assert pytest_start.plugin_options(["-q", "-p", "no:x", "-pno:y", "-c", "f", "-p", "z", "-k", "p"]) == (
        "-p", "no:x", "-pno:y", "-p", "z")
    assert pytest_start.plugin_options(list(pytest_start.PLUGINS)) == pytest_start.PLUGINS
