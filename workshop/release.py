"""Generate the learner's starter and the checkpoint after each step from the solution.

Solution regions in ``solutions/part1_basic_app`` are marked by comment lines::

    # SOLUTION step 3        (or {# SOLUTION step 3 #} in a template)
    ...code once step 3 is done...
    # SOLUTION step 1
    ...code once step 1 is done...
    # STARTER
    ...the TODO and stub a learner starts from...
    # END SOLUTION

The copy "after step k" keeps, for each region, the first variant whose step is at
most k (the starter is step 0). A file that renders empty is left out.
"""

import re

from . import APP_NAME
from . import SOLUTION_DIR
from .apptree import read_tree
from .apptree import SKIPPED
from .apptree import write_tree  # noqa: F401 (the tests write the trees rendered here)

MARKER = re.compile(
    r"^\s*(?:#|\{#)\s*(?:SOLUTION step (?P<step>\d+)|(?P<starter>STARTER)|(?P<end>END SOLUTION))\s*(?:#\})?\s*$"
)


class MarkerError(ValueError):
    """The solution's region markers are malformed."""


def render_text(text, step, name="<text>"):
    """The text with each solution region resolved for the copy after ``step``."""
    out, variants, current = [], None, None
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        match = MARKER.match(line)
        if not match:
            (current if variants is not None else out).append(line)
            continue
        if match["end"]:
            if variants is None:
                raise MarkerError(f"{name}:{number}: END SOLUTION without SOLUTION")
            out.extend(next((lines for s, lines in variants if s <= step), []))
            variants = None
            continue
        variant_step = 0 if match["starter"] else int(match["step"])
        if variants is None:
            variants = []
        elif variant_step >= variants[-1][0]:
            raise MarkerError(f"{name}:{number}: variants must go from the latest step down to STARTER")
        current = []
        variants.append((variant_step, current))
    if variants is not None:
        raise MarkerError(f"{name}: a SOLUTION region is not closed by END SOLUTION")
    return "".join(out)


def render_tree(step, source=SOLUTION_DIR / APP_NAME):
    """Map each relative path of the app to its content after ``step`` (str, or bytes)."""
    tree = {}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or SKIPPED.intersection(relative.parts):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            tree[relative.as_posix()] = path.read_bytes()
            continue
        rendered = render_text(text, step, relative.as_posix())
        if rendered.strip() or not text.strip():
            tree[relative.as_posix()] = rendered
    return tree


def changed_files(tree, folder):
    """The relative paths whose content in ``folder`` differs from ``tree``, missing and extra ones included."""
    present = read_tree(folder)
    return sorted(path for path in tree.keys() | present.keys() if tree.get(path) != present.get(path))
