"""The learner edition: no solution text anywhere in it, and a fresh clone of it works as a learner uses it."""

import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
import zlib
from pathlib import Path

import pytest

from workshop import APP_NAME
from workshop import bootstrap
from workshop import ROOT
from workshop import SOLUTION_DIR
from workshop import STEPS
from workshop.apptree import read_tree
from workshop.apptree import write_tree
from workshop.edition import write as write_edition
from workshop.release import MARKER
from workshop.release import render_tree

CATCHUP = 3  # the edition ships the app after steps 0 to 3
PYTHON = getattr(sys, "_base_executable", sys.executable)  # `python3 -m workshop`, as a learner types it
# Lines of the solution that the checks hold too, as the checks' own code (not a copy of the app's)
CHECKS_OWN_LINES = {
    'session["name"] = name',  # step4.sign_in writes the session when signing in fails
    'response = client.get(f"/hello/{name}")',  # step3 asks for the greeting as test_pages.py does
}
DETAILS = re.compile(r"<details>.*?</details>", re.S)
pytestmark = pytest.mark.skipif(not shutil.which("git"), reason="the edition is cloned with git")


def normal(text):
    return " ".join(text.split())


def region_lines(after):
    """The lines of the solution's regions for the steps after ``after``, with the step of each."""
    found = {}
    for path in (SOLUTION_DIR / APP_NAME).rglob("*"):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        step = None
        for line in path.read_text(encoding="utf-8").splitlines():
            match = MARKER.match(line)
            if match:
                step = int(match["step"]) if match["step"] else None
            elif step is not None and step > after:
                found.setdefault(normal(line), step)
    return found


def taught_text():
    """What the notebooks show as the course itself: their cells outside the unfoldable hints and solutions."""
    notebooks = [json.loads(path.read_text(encoding="utf-8")) for path in (ROOT / "notebooks").glob("*.ipynb")]
    cells = [cell for notebook in notebooks for cell in notebook["cells"]]
    return normal("\n".join(DETAILS.sub("", "".join(cell["source"])) for cell in cells))


def forbidden_lines(after):
    """The solution's code that a learner may not find in an edition with checkpoints up to ``after``: its lines
    for later steps, but not those the shipped apps hold too (the starter's given code), nor what the notebooks
    teach, nor trivial ones (blank, ``pass``, brackets: fewer than two words)."""
    shipped = normal("\n".join(t for k in range(after + 1) for t in render_tree(k).values() if isinstance(t, str)))
    allowed = [shipped, taught_text(), *CHECKS_OWN_LINES]
    return {line: step for line, step in region_lines(after).items()
            if len(re.findall(r"\w+", line)) >= 2 and not any(line in text for text in allowed)}


def readable(name, data):
    """(name, text) for each readable thing in a file's bytes: the file, the strings of its JSON, the members
    of a zip or tar archive, a zlib stream (git's objects), recursively."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from readable(f"{name}!{member}", archive.read(member))
        return
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive.getmembers():
                if member.isfile():
                    yield from readable(f"{name}!{member.name}", archive.extractfile(member).read())
        return
    except tarfile.TarError:
        pass
    try:
        data = zlib.decompress(data)
    except zlib.error:
        pass
    text = data.decode("utf-8", "replace")
    yield name, text
    try:
        parsed = json.loads(text)
    except ValueError:
        return
    yield f"{name} (JSON strings)", "".join(json_strings(parsed))


def json_strings(value):
    """Every string inside a parsed JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from json_strings(item)


def leaks(folder, after=CATCHUP):
    """``{file: [solution lines found in it]}`` for every file under ``folder``, .git's objects included."""
    forbidden = forbidden_lines(after)
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(folder).as_posix()
        if path.suffix in (".pyc", ".pyo"):
            found[relative] = ["a compiled file"]
            continue
        for name, text in readable(relative, path.read_bytes()):
            flat = normal(text)
            hits = sorted(line for line in forbidden if line in flat)
            if hits:
                found[name] = hits
    return found


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "flask-workshop"
    done = subprocess.run([sys.executable, "-m", "workshop", "edition", "--out", str(out), "--catchup", str(CATCHUP)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    print(done.stdout)
    return out


@pytest.fixture(scope="module")
def clone(edition, tmp_path_factory):
    """A fresh clone of the edition, using this venv (same requirements.txt: nothing is installed)."""
    folder = tmp_path_factory.mktemp("clone") / "flask-workshop"
    subprocess.run(["git", "clone", "-q", str(edition), str(folder)], check=True)
    assert (folder / "requirements.txt").read_bytes() == (ROOT / "requirements.txt").read_bytes()
    return folder


def workshop(clone, *args, timeout=120):
    env = {**os.environ, "WORKSHOP_VENV": str(bootstrap.VENV)}
    env.pop("PYTHONPATH", None)
    return subprocess.run([PYTHON, "-m", "workshop", *args], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def test_the_walk_finds_solution_text(tmp_path):
    """The walk can fail: it finds the solution in solutions/, in the notebooks' solution blocks, in a zip."""
    assert forbidden_lines(CATCHUP) and forbidden_lines(0)
    shutil.copytree(SOLUTION_DIR, tmp_path / "solutions")
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    with zipfile.ZipFile(tmp_path / "app.zip", "w") as archive:
        archive.writestr("api.py", render_tree(6)["api.py"])
    found = leaks(tmp_path, after=0)
    assert any(name.startswith("solutions/") for name in found)
    assert "notebooks/02_routing_and_rest.ipynb (JSON strings)" in found
    assert "app.zip!api.py" in found


def test_the_edition_holds_no_solution_text(edition):
    assert leaks(edition) == {}


def test_the_edition_is_what_learners_need(edition):
    assert read_tree(edition / APP_NAME) == render_tree(0)
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (edition / "notebooks").iterdir()) == notebooks
    assert sorted(p.name for p in (edition / "workshop/checkpoints").iterdir()) == [str(s) for s in range(CATCHUP + 1)]
    instructors = ("workshop/release.py", "workshop/edition.py", "workshop/cli/grade.py", "workshop/board/app.py")
    for absent in ("solutions", *instructors):
        assert not (edition / absent).exists(), absent
    assert not list(edition.rglob("__pycache__"))
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert "## Quick start" in readme and "python3 -m workshop test" in readme
    assert "Instructor's guide" not in readme and "solutions/" not in readme
    log = subprocess.run(["git", "log", "--oneline"], cwd=edition, capture_output=True, text=True, check=True).stdout
    assert len(log.splitlines()) == 1
    assert not subprocess.run(["git", "status", "--porcelain"], cwd=edition, capture_output=True, text=True).stdout


def test_a_hint_in_words_stays_and_solutions_go(edition):
    notebook = (edition / "notebooks" / "02_routing_and_rest.ipynb").read_text(encoding="utf-8")
    assert "<summary>Hint 1</summary>" in notebook  # read_note() and ** in words
    assert "<summary>Solution" not in notebook


def test_the_starter_fails_and_the_reference_app_passes_every_check_in_a_fresh_clone(clone):
    for step in STEPS:
        done = workshop(clone, "check", str(step))
        assert done.returncode == 1 and "❌" in done.stdout, done.stdout + done.stderr
    finished = clone.parent / "finished"
    write_tree(render_tree(6), finished / APP_NAME)
    done = workshop(clone, "check", "all", str(finished))
    assert done.returncode == 0 and "❌" not in done.stdout, done.stdout + done.stderr
    assert done.stdout.count("✅") >= 32


def test_catchup_in_a_fresh_clone_goes_up_to_the_steps_shipped(clone):
    app_parent = clone.parent / "catching-up"
    done = workshop(clone, "catchup", str(CATCHUP), "--yes", "--app-parent", str(app_parent))
    assert done.returncode == 0, done.stdout + done.stderr
    assert read_tree(app_parent / APP_NAME) == render_tree(CATCHUP)
    done = workshop(clone, "catchup", str(CATCHUP + 1), "--app-parent", str(app_parent))
    assert done.returncode == 1 and "turned off" in done.stdout
    assert read_tree(app_parent / APP_NAME) == render_tree(CATCHUP)


def test_the_readmes_test_command_passes_in_a_fresh_clone(clone):
    done = workshop(clone, "test", "-q")
    assert done.returncode == 0, done.stdout + done.stderr


def test_only_the_learners_commands_are_offered(clone):
    said = workshop(clone, "--help").stdout
    assert "check N" in said and "catchup N" in said and "join URL" in said
    offered = {line.split()[0] for line in said.splitlines()[1:] if line[:1].isalpha()}
    assert offered == {"lab", "run", "test", "check", "catchup", "join", "leave", "COMMAND"}
    assert workshop(clone, "grade", "x").returncode == 2


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_jupyterlab_opens_on_a_fresh_clone(clone, tmp_path):
    url, token = f"http://127.0.0.1:{free_port()}", secrets.token_hex(16)
    names = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")
    folders = {name: str(tmp_path / name.lower()) for name in names}
    env = {**os.environ, **folders, "WORKSHOP_VENV": str(bootstrap.VENV)}
    env.pop("PYTHONPATH", None)
    command = [PYTHON, "-m", "workshop", "lab", "--no-browser", f"--port={url.rsplit(':', 1)[1]}",
               "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"]
    log = tmp_path / "lab.log"

    def get(path, method="GET"):
        request = urllib.request.Request(url + path, method=method, headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read() or b"{}")

    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=clone, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                get("/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.25)
        names = {item["name"] for item in get("/api/contents/")["content"]}
        assert {"notebooks", APP_NAME, "workshop"} <= names and "solutions" not in names
    finally:
        try:
            get("/api/shutdown", "POST")
            process.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = tmp_path_factory.mktemp("classroom") / "template"
    done = subprocess.run([sys.executable, "-m", "workshop", "export", "github-classroom", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out


def test_the_github_classroom_template_is_an_edition_without_solution_text(template):
    assert (template / ".github" / "workflows" / "classroom.yml").is_file()
    assert sorted(p.name for p in (template / "workshop" / "checkpoints").iterdir()) == ["0"]
    assert leaks(template, after=0) == {}


def test_the_workflows_command_runs_in_the_github_classroom_template(template):
    done = workshop(template, "check", "all", "--format", "github-classroom")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("result=") and "❌" in done.stderr


def test_an_edition_written_again_keeps_no_later_checkpoint(tmp_path):
    write_edition(tmp_path, catchup=2)
    write_edition(tmp_path, catchup=1)
    assert sorted(p.name for p in (tmp_path / "workshop/checkpoints").iterdir()) == ["0", "1"]


def test_an_edition_never_goes_into_a_folder_of_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    done = subprocess.run([sys.executable, "-m", "workshop", "edition", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no learner edition" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_the_github_classroom_export_refuses_a_folder_with_solutions(tmp_path):
    (tmp_path / "solutions").mkdir()
    done = subprocess.run([sys.executable, "-m", "workshop", "export", "github-classroom", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "solutions/" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["solutions"]
