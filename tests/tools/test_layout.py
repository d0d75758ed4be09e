"""The package's layout: no import cycle, the library apart from the command line, every command's help complete."""

import ast
import subprocess
import sys

import pytest

from workshop import ROOT
from workshop.__main__ import available
from workshop.__main__ import COMMANDS

PACKAGE = ROOT / "workshop"
# The sub-commands that each command's --help names (lab, run and test pass --help on to JupyterLab, Flask and pytest)
SUBCOMMANDS = {"check": ["all"], "grade": ["merge"], "export": ["gradescope", "github-classroom"]}
PASSED_ON = {"lab", "run", "test"}


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {module_name(path): path for path in PACKAGE.rglob("*.py") if "checkpoints" not in path.parts}


def imports(path, known):
    """The workshop modules that the module at ``path`` imports, anywhere in it (in functions too).

    ``from package import name`` imports the module package.name when there is one, else the package.
    """
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {name for name in found if name in known}


def import_graph():
    known = modules()
    return {name: imports(path, known) for name, path in known.items()}


def cycle(graph):
    """One import cycle of ``graph`` as a list of modules, or None."""
    state, stack = {}, []

    def visit(name):
        state[name] = "open"
        stack.append(name)
        for imported in sorted(graph[name]):
            if state.get(imported) == "open":
                return stack[stack.index(imported):] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        state[name] = "done"
        stack.pop()
        return None

    return next(filter(None, (visit(name) for name in sorted(graph) if name not in state)), None)


def test_the_package_has_no_import_cycle():
    assert cycle(import_graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_library_modules_import_nothing_from_the_command_line():
    graph = import_graph()
    # the entry points, and the learner edition's tests (its tests/test_workshop.py), may call the commands
    callers = {"workshop.__main__", "workshop.grading.__main__", "workshop.edition_tests"}
    library = [name for name in graph if not name.startswith("workshop.cli") and name not in callers]
    found = {name: sorted(i for i in graph[name] if i.startswith("workshop.cli")) for name in library}
    assert {name: imported for name, imported in found.items() if imported} == {}


def test_the_workshops_help_shows_no_rest_quotes():
    done = subprocess.run([sys.executable, "-m", "workshop", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "grade merge" in done.stdout
    assert "``" not in done.stdout


def test_every_command_has_a_module_in_the_cli_package():
    assert {module for module, _ in COMMANDS.values()} == {f"workshop.cli.{command}" for command in COMMANDS}
    assert all(available(command) for command in COMMANDS)


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - PASSED_ON))
def test_every_command_help_names_its_subcommands(command):
    done = subprocess.run([sys.executable, "-m", "workshop", command, "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python3 -m workshop {command}")
    assert "``" not in done.stdout, "reST quotes in the help"
    for subcommand in SUBCOMMANDS.get(command, []):
        assert f"{command} {subcommand}" in done.stdout
