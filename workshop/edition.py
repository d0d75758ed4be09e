"""The learner edition, the repository that learners clone (``python3 -m workshop edition``, workshop/cli/edition.py).

It is made from this one, the instructor's, and holds no solution text: the notebooks without
their solution blocks and without the hints that show code of the solution the notebook does not
show anyway; the starter app; the modules of the ``workshop`` package that the learners' commands
(lab, run, test, check, catchup, join, leave) and the notebooks import, the judge and the jail
included (of grading, only what ``check all --format github-classroom`` imports; no release, no
edition); the app after steps 0 to N only, for ``catchup`` (workshop/checkpoints/); a README
without the instructor's sections; a small test suite of the learner's tools. DIR becomes a git
repository with one commit when git is there and DIR is not one yet.
"""

import re
import shutil
import subprocess
from pathlib import Path

from . import APP_NAME
from . import ROOT
from . import STEPS
from .__main__ import COMMANDS
from .catchup import CHECKPOINTS
from .imports import closure
from .imports import module_name
from .imports import module_path
from .release import render_tree

LEARNER_COMMANDS = ("lab", "run", "test", "check", "catchup", "join", "leave")
LEARNER_PACKAGES = ("workshop/judge", "workshop/jail", "workshop/app_process")  # the self-checks' judge and jail
LEARNER_DATA = ("workshop/jupyter_config/page_config.json",)
INSTRUCTOR_MODULES = {"workshop.release", "workshop.edition", "workshop.cli.release",
                      "workshop.cli.edition"}  # never shipped, even where imported lazily
COPIED = ("requirements.txt", "pyproject.toml", ".gitignore", ".gitattributes")
# The README's sections (with their subsections) that are not for learners
INSTRUCTOR_SECTIONS = ("For instructors: the learner edition", "Repository layout", "Instructor's guide")
LEARNER_TESTS = ROOT / "workshop" / "edition_tests.py"  # the edition's tests/test_workshop.py
LEFT_OUT = "*The solution, and hints that show its code, are not in this edition: ask your instructor.*\n\n"
DETAILS = re.compile(r"<details>\s*<summary>(?P<summary>.*?)</summary>(?P<body>.*?)</details>\s*", re.S)
HEADING = re.compile(r"^(#+)\s+(.*?)\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def normal(text):
    """``text`` with each run of white space made one space (for comparing code across layouts)."""
    return " ".join(text.split())


def text_lines(tree):
    """The lines of a tree's text files, normalised."""
    return {normal(line) for content in tree.values() if isinstance(content, str) for line in content.splitlines()}


def solution_lines():
    """Each line that the solution adds to the starter in some step and that holds code (2 words or more)."""
    added = set().union(*(text_lines(render_tree(step)) for step in STEPS)) - text_lines(render_tree(0))
    return {line for line in added if len(re.findall(r"\w+", line)) >= 2}


def notebook_roots():
    """The workshop's modules that the notebooks import."""
    found = set()
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        found.update(re.findall(r"(?:from|import) (workshop(?:\.\w+)*)", notebook.read_text(encoding="utf-8")))
    return {name for name in found if module_path(name)}


def learner_files():
    """The files of the ``workshop`` package that learners need, relative to the repository."""
    roots = {"workshop.__main__", *(COMMANDS[c][0] for c in LEARNER_COMMANDS), *notebook_roots()}
    roots.update(module_name(p) for folder in LEARNER_PACKAGES for p in (ROOT / folder).glob("*.py"))
    shipped = closure(roots, left_out=INSTRUCTOR_MODULES)
    return sorted({module_path(name).relative_to(ROOT).as_posix() for name in shipped} | set(LEARNER_DATA))


def taught_text(notebook):
    """What a notebook shows outside its unfoldable blocks, normalised."""
    return normal("\n".join(DETAILS.sub("", cell.source) for cell in notebook.cells))


def learner_notebook(path, hidden):
    """The notebook at ``path`` without its solution blocks, and without the hints that show a line of
    ``hidden`` that the notebook does not show anyway."""
    import nbformat  # here, not at the top: it takes 1.7 s to import, and `--help` needs none of it

    notebook = nbformat.read(path, as_version=4)
    shown = taught_text(notebook)
    hidden = {line for line in hidden if line not in shown}

    def kept(match):
        body = normal(match["body"])
        gives_away = match["summary"].strip().startswith("Solution") or any(line in body for line in hidden)
        return "\0" if gives_away else match[0]

    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            source = DETAILS.sub(kept, cell.source)
            cell.source = source.replace("\0", LEFT_OUT, 1).replace("\0", "").rstrip("\n")
    return nbformat.writes(notebook) + "\n"


def learner_readme(text):
    """The README without the instructor's sections (each with its subsections)."""
    out, dropping_level, in_code = [], None, False
    for line in text.splitlines(keepends=True):
        if FENCE.match(line):
            in_code = not in_code
        heading = None if in_code else HEADING.match(line)
        if heading:
            level = len(heading[1])
            if dropping_level is not None and level <= dropping_level:
                dropping_level = None
            if dropping_level is None and heading[2] in INSTRUCTOR_SECTIONS:
                dropping_level = level
        if dropping_level is None:
            out.append(line)
    return "".join(out).rstrip("\n") + "\n"


def edition_tree(catchup):
    """Map each relative path of the learner edition to its content (str or bytes)."""
    hidden = solution_lines()
    tree = {name: (ROOT / name).read_bytes() for name in [*COPIED, *learner_files()]}
    tree["README.md"] = learner_readme((ROOT / "README.md").read_text(encoding="utf-8"))
    tree["tests/test_workshop.py"] = LEARNER_TESTS.read_text(encoding="utf-8")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        tree[f"notebooks/{path.name}"] = learner_notebook(path, hidden)
    tree.update({f"{APP_NAME}/{name}": content for name, content in render_tree(0).items()})
    checkpoints = CHECKPOINTS.relative_to(ROOT).as_posix()
    for step in range(0, catchup + 1):
        tree.update({f"{checkpoints}/{step}/{name}": content for name, content in render_tree(step).items()})
    return tree


def refuse(out):
    """Why the edition may not be written into ``out``, or "": it must be new, empty (but for .git) or an edition."""
    out = Path(out)
    if (out / "solutions").exists() or out.resolve() == ROOT:
        return f"{out} holds solutions/: the learner edition goes into a folder of its own."
    earlier = (out / CHECKPOINTS.relative_to(ROOT) / "0").is_dir()
    if out.is_dir() and {p.name for p in out.iterdir()} - {".git"} and not earlier:
        return f"{out} holds files but no learner edition: choose a new or empty folder, or an earlier edition."
    if out.exists() and not out.is_dir():
        return f"{out} is a file: choose a new or empty folder."
    return ""


def write(out, catchup=0, extra=None):
    """Write the learner edition (and the files of ``extra``, {relative path: text}) into ``out`` (see ``refuse``).

    The edition's folders are replaced whole, so that nothing of an earlier edition stays (checkpoints
    of later steps, say); its .git is kept.
    """
    out = Path(out)
    tree = {**edition_tree(catchup), **(extra or {})}
    for top in {name.split("/")[0] for name in tree if "/" in name}:
        if (out / top).is_dir() and top != ".github":
            shutil.rmtree(out / top)
    out.mkdir(parents=True, exist_ok=True)
    for name, content in tree.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
    return tree


def commit(out, message):
    """Make ``out`` a git repository with one commit, when git is there and it is not one yet; whether it did."""
    git = shutil.which("git")
    if not git or (Path(out) / ".git").exists():
        return False
    identity = ["-c", "user.name=Flask workshop", "-c", "user.email=workshop@localhost", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", message]):
        subprocess.run([git, *command], cwd=out, check=True, stdout=subprocess.DEVNULL)
    return True


def size(out):
    """(files, bytes) of what ``out`` holds, .git left out."""
    files = [p for p in Path(out).rglob("*") if p.is_file() and ".git" not in p.relative_to(out).parts[:1]]
    return len(files), sum(p.stat().st_size for p in files)
