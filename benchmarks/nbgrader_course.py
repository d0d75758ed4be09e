"""nbgrader beside the grader: a course of small Flask notebooks, autograded by nbgrader in a venv of its own.

``install()`` makes that venv once (under .cache/, reused when present); ``make_course(folder, n)`` writes an
nbgrader course whose one assignment is a notebook with a Flask app (the solution cell) and an autograded test
cell, generates the assignment and puts ``n`` learners' submissions of it, each with the app finished;
``autograde(course)`` runs ``nbgrader autograde`` on them all: (seconds, CPU seconds or None, submissions with
full marks).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from cpu_time import run
from nbformat.v4 import new_code_cell
from nbformat.v4 import new_markdown_cell
from nbformat.v4 import new_notebook

VERSION = "0.9.6"
VENV = Path(__file__).resolve().parent.parent / ".cache" / f"nbgrader-{VERSION}"
ASSIGNMENT = "flask_app"
APP = """from flask import Flask

app = Flask(__name__)

### BEGIN SOLUTION
@app.get("/")
def index():
    return "Hello, Flask!"


@app.get("/hello/<name>")
def hello(name):
    return f"Hello, {name}!"
### END SOLUTION"""
TESTS = """client = app.test_client()
assert client.get("/").get_data(as_text=True) == "Hello, Flask!"
assert client.get("/hello/Ada").get_data(as_text=True) == "Hello, Ada!"
### BEGIN HIDDEN TESTS
assert client.get("/nowhere").status_code == 404
assert client.post("/").status_code == 405
### END HIDDEN TESTS"""
SCORE = """import json, sys
from nbgrader.api import Gradebook
with Gradebook(sys.argv[1]) as gradebook:
    scores = [(s.score, s.max_score) for s in gradebook.assignment_submissions(sys.argv[2])]
print(json.dumps(sum(score == top > 0 for score, top in scores)))"""


def python():
    return VENV / "bin" / "python"


def install():
    """The venv with nbgrader (and Flask for its kernel), made once: its Python."""
    if not python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python()), "-m", "pip", "install", "-q", f"nbgrader=={VERSION}", "flask"], check=True)
    return python()


def graded(source, grade_id, points=0):
    """A cell with nbgrader's metadata: a solution cell (no points) or an autograded test cell (``points``)."""
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "schema_version": 3, "task": False,
                                 "solution": not points, "grade": bool(points), "locked": bool(points),
                                 **({"points": points} if points else {})}
    return cell


def nbgrader(course, *args):
    """Run an nbgrader command on ``course``: its CPU seconds (or None, see cpu_time.py)."""
    env = {**os.environ, "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}  # it runs alembic
    done, cpu = run([str(python()), "-m", "nbgrader", *args, "--course-dir", str(course), "--log-level=ERROR"],
                    cwd=course, env=env, capture_output=True)
    done.check_returncode()
    return cpu


def make_course(folder, count):
    """An nbgrader course with the assignment generated and ``count`` finished submissions: its folder."""
    course = Path(folder)
    notebook = new_notebook(cells=[
        new_markdown_cell("Write a Flask app with a home page and a greeting."),
        graded(APP, "app"), graded(TESTS, "test_app", points=2),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    nbformat.write(notebook, source / f"{ASSIGNMENT}.ipynb")
    (course / "nbgrader_config.py").write_text(f"c.CourseDirectory.course_id = {'benchmark'!r}\n")
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    released = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for cell in released.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "app":
            cell.source = APP.replace("### BEGIN SOLUTION\n", "").replace("\n### END SOLUTION", "")
    for number in range(count):
        submitted = course / "submitted" / f"learner-{number:03d}" / ASSIGNMENT
        submitted.mkdir(parents=True)
        nbformat.write(released, submitted / f"{ASSIGNMENT}.ipynb")
    return course


def autograde(course):
    """``nbgrader autograde`` of every submission: (seconds, CPU seconds or None, how many scored full marks)."""
    started = time.perf_counter()
    cpu = nbgrader(course, "autograde", ASSIGNMENT)
    seconds = time.perf_counter() - started
    done = subprocess.run([str(python()), "-c", SCORE, f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT],
                          check=True, capture_output=True, text=True)
    return seconds, cpu, json.loads(done.stdout)
