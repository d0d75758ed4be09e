"""pytest's own start made once in the warm worker, for every run of a learner's tests it forks.

``pytest.main`` begins each run by making a plugin manager and registering pytest's thirty-odd plugins in it,
each parsed for hooks and asked for its command-line options: half of what a run takes before it reads its
arguments. ``prepare()`` does that once, before any learner's code, for the runs whose plugin options are
``PLUGINS``; ``main(args, plugins)`` in a forked child runs pytest as ``pytest.main`` does, from that config when
``args`` choose the same plugins (it parses ``args``, loads the learner's conftest.py, collects and runs as
ever), from scratch otherwise. Each run also reads the fixtures of the modules registered then from
``fixtures_only`` copies of them (see ``read_fixtures_once``).
"""

import contextlib
import functools
import inspect
import types
from pathlib import Path

UNUSED = (  # pytest's own that change no run's outcome here (their options are not given): left out, faster
    "cacheprovider", "pastebin", "setuponly", "setupplan", "stepwise", "faulthandler", "unraisableexception",
    "threadexception",
)
PLUGINS = (*(f"-pno:{name}" for name in UNUSED), "-p", "pytest_timeout")  # the runs of step 5 (see judge/step5.py)

_ready = {}  # {the plugin options of args: pytest's config, its plugins registered, args not parsed yet}


def plugin_options(args):
    """The ``-p`` options of ``args``, in order: the plugins a run blocks and adds."""
    found = []
    for arg, following in zip(args, [*args[1:], None], strict=True):
        if arg == "-p" and following is not None:
            found += [arg, following]
        elif arg.startswith("-p") and arg != "-p":
            found.append(arg)
    return tuple(found)


def prepare(options=PLUGINS):
    """Register pytest's plugins once, in this process, for the runs whose plugin options are ``options``."""
    import _pytest.config  # the warm worker's: the judge, which only names the options, never imports pytest

    with contextlib.suppress(ImportError):  # pytest's capture plugin imports it as each run starts: 2 ms
        import readline  # noqa: F401
    config = _pytest.config.get_config(list(options))  # pytest's own, less those blocked
    config.pluginmanager.consider_preparse(list(options))  # and those added
    _ready[plugin_options(options)] = config
    read_fixtures_once(config.pluginmanager.get_plugins())


def fixtures_only(module):
    """A module of the same name that holds only the fixtures of ``module``."""
    from _pytest.fixtures import getfixturemarker

    copy = types.ModuleType(module.__name__)
    for name in dir(module):
        value = getattr(module, name, None)
        if getfixturemarker(value) is not None:
            setattr(copy, name, value)
    return copy


def read_fixtures_once(plugins):
    """Each run of pytest reads every plugin for fixtures when it starts: each name a module or an object holds,
    unwrapped and checked (8 ms of a run for pytest's own modules, 3 ms more for its objects). From now on, in this
    process and those it forks, pytest reads the modules among ``plugins`` (pytest's own and those named, none of the
    learner's) from ``fixtures_only`` copies, made once, and a plugin object of a class of its own (or the workshop's)
    that holds no fixture as an empty module: the same fixtures, registered the same way."""
    from _pytest.fixtures import FixtureManager

    copies = {id(plugin): (plugin, fixtures_only(plugin)) for plugin in plugins if isinstance(plugin, types.ModuleType)}
    parse = FixtureManager.parsefactories

    def copy_of(holder):
        plugin, fixtures = copies.get(id(holder), (None, None))
        if plugin is holder:
            return fixtures
        return NOTHING if not isinstance(holder, (type, types.ModuleType)) and fixtureless(type(holder)) else holder

    def parsefactories(self, *args, **kwargs):  # a plugin: pytest 9 (holder=, node=), 8 (node_or_obj, nodeid)
        if "holder" in kwargs:
            kwargs["holder"] = copy_of(kwargs["holder"])
        elif len(args) > 1 or "nodeid" in kwargs:
            args = (copy_of(args[0]), *args[1:])
        return parse(self, *args, **kwargs)

    FixtureManager.parsefactories = parsefactories


NOTHING = types.ModuleType("nothing")  # what a plugin without fixtures is read as
OWN = ("_pytest", "pytest_timeout", "workshop")


@functools.lru_cache(maxsize=64)
def fixtureless(kind):
    """Whether the class ``kind`` is pytest's own (or the workshop's) and holds no fixture, wrapped or not."""
    from _pytest.fixtures import getfixturemarker

    if str(getattr(kind, "__module__", "")).partition(".")[0] not in OWN:
        return False
    for name in dir(kind):
        value = getattr(kind, name, None)
        try:
            unwrapped = inspect.unwrap(value) if callable(value) else value
        except ValueError:  # a loop of wrappers
            return False
        if getfixturemarker(value) is not None or getfixturemarker(unwrapped) is not None:
            return False
    return True


def main(args, plugins=None):
    """``pytest.main(args, plugins)``, from the config ``prepare`` made if it fits ``args``: the exit code."""
    import _pytest.config
    import pytest

    config = _ready.pop(plugin_options(args), None)
    if config is None:
        return pytest.main(args, plugins)
    config.invocation_params = _pytest.config.Config.InvocationParams(args=args, plugins=plugins, dir=Path.cwd())
    fresh = _pytest.config.get_config
    _pytest.config.get_config = lambda *_, **__: config  # for this run only
    try:
        return pytest.main(args, plugins)
    finally:
        _pytest.config.get_config = fresh
