"""Notebook 05's solution block shows the reference tests as they are, file by file."""

import re

import nbformat

from workshop import ROOT
from workshop.release import render_tree

SHOWN_FILE = re.compile(r"^`(tests/[\w.]+)`:\n\n```python\n(.*?)^```", re.S | re.M)


def solution_block(notebook):
    """The text of the notebook's <details> block whose summary is "Solution"."""
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    return text.split("<summary>Solution</summary>", 1)[1].split("</details>", 1)[0]


def test_the_solution_shows_every_test_file_of_the_app_after_step_5():
    notebook = nbformat.read(ROOT / "notebooks" / "05_testing.ipynb", as_version=4)
    shown = dict(SHOWN_FILE.findall(solution_block(notebook)))
    tests = {path: text for path, text in render_tree(5).items()
             if path.startswith("tests/") and path != "tests/__init__.py"}
    assert shown == tests, "Notebook 05's solution differs from solutions/part1_basic_app/tests/: show it as it is."
