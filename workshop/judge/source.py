"""The learner's code read as text (parsed with ``ast``, never run)."""

import ast
from pathlib import Path

from .. import APP_NAME


def modules(app_parent):
    """(path, syntax tree) of each Python file of the app that parses."""
    for path in sorted(Path(app_parent, APP_NAME).rglob("*.py")):
        try:
            yield path, ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError, OSError):
            continue


def constants(app_parent):
    """Every string and bytes literal in the app's code, once each."""
    found = {}
    for _, tree in modules(app_parent):
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and node.value:
                found.setdefault(node.value, None)
    return list(found)


def imports_of(app_parent, name):
    """The files of the app (relative to ``app_parent``) that import ``name`` or one of its modules."""
    found = []
    for path, tree in modules(app_parent):
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            called = isinstance(node, ast.Call) and isinstance(node.args[0] if node.args else None, ast.Constant)
            if called and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("__import__", "import_module"):
                names.append(str(node.args[0].value))
            if any(n == name or n.startswith(name + ".") for n in names):
                found.append(path.relative_to(app_parent).as_posix())
                break
    return found
