"""Which of the workshop's own modules a module imports, read from its source with ``ast`` (never run).

The learner edition ships what the learners' commands import (edition.py), a grade's fingerprint covers what the
checks import (grading/batch.py), and a test keeps the package free of import cycles (tests/tools/test_layout.py).
"""

import ast
from pathlib import Path

from . import ROOT


def module_name(path: Path, top: Path = ROOT) -> str:
    """``workshop.judge.core`` for workshop/judge/core.py (``workshop.judge`` for its __init__.py)."""
    parts = path.relative_to(top).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_path(name: str, top: Path = ROOT) -> Path | None:
    """The file of module ``name`` under ``top``, or None."""
    base = top.joinpath(*name.split("."))
    return next((p for p in (base.with_suffix(".py"), base / "__init__.py") if p.is_file()), None)


def imported(path: Path, top: Path = ROOT) -> set[str]:
    """The workshop's modules that the module at ``path`` imports, anywhere in it (in functions too).

    ``from package import name`` imports the module package.name when there is one, else the package.
    """
    package = module_name(path, top)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: set[str] = set()
    for node in statements(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[:len(parts) - node.level + 1], *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if module_path(f"{base}.{alias.name}", top) else base)
    return {name for name in found if name.split(".")[0] == "workshop" and module_path(name, top)}


def statements(node):
    """Every statement in ``node``, at any depth (imports are statements: no expression is walked)."""
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, field, ()):
            if isinstance(child, ast.stmt):
                yield child
            yield from statements(child)


def with_packages(name: str, top: Path = ROOT) -> list[str]:
    """``name`` and each package on its way (importing a module runs their __init__.py first)."""
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts) + 1) if module_path(".".join(parts[:end]), top)]


def closure(roots, top: Path = ROOT, left_out=frozenset()) -> set[str]:
    """``roots`` and every module they import, at any depth, with their packages; ``left_out`` and what only they
    import excepted."""
    seen, todo = set(), [name for root in roots for name in with_packages(root, top)]
    while todo:
        name = todo.pop()
        path = module_path(name, top)
        if name in seen or name in left_out or path is None:
            continue
        seen.add(name)
        todo += [package for found in imported(path, top) for package in with_packages(found, top)]
    return seen
