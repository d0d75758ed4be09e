"""The package's layout: no import cycle, the library apart from the command line, every command's help complete."""

import subprocess
import sys
import textwrap

import pytest

from workshop import ROOT
from workshop.__main__ import available
from workshop.__main__ import COMMANDS
from workshop.imports import imported
from workshop.imports import module_name

PACKAGE = ROOT / "workshop"
# The sub-commands that each command's --help names (lab, run and test pass --help on to JupyterLab, Flask and pytest)
SUBCOMMANDS = {"check": ["all"], "grade": ["merge"], "export": ["gradescope", "github-classroom"]}
PASSED_ON = {"lab", "run", "test"}


def modules():
    return {module_name(path): path for path in PACKAGE.rglob("*.py") if "checkpoints" not in path.parts}


def import_graph():
    """Each module's imports of other modules (``from package import name``: package.name, else the package)."""
    return {name: imported(path) for name, path in modules().items()}


def cycle(graph):
    """One import cycle of ``graph`` as a list of modules, or None."""
    state, stack = {}, []

    def visit(name):
        state[name] = "open"
        stack.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                return stack[stack.index(other):] + [other]
            if other not in state and (found := visit(other)):
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


def test_imports_are_found_wherever_a_statement_may_stand(tmp_path):
    module = tmp_path / "workshop" / "probe.py"
    module.parent.mkdir()
    for name in ("wire", "jailfiles", "edition", "imports", "catchup", "early", "atomic"):
        (module.parent / f"{name}.py").write_text("", encoding="utf-8")
    module.write_text(textwrap.dedent("""
        import workshop.wire
        def f():
            from workshop import jailfiles
        class C:
            if True:
                pass
            else:
                import workshop.edition
        try:
            pass
        except ImportError:
            import workshop.imports
        finally:
            import workshop.catchup
        with open(__file__):
            match 1:
                case 1:
                    from . import early
        value = [x for x in "workshop.atomic"]  # not an import
    """), encoding="utf-8")
    assert imported(module, tmp_path) == {f"workshop.{name}" for name in ("wire", "jailfiles", "edition", "imports",
                                                                           "catchup", "early")}


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
