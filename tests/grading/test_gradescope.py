"""The Gradescope autograder: the exported zip set up and run as Gradescope runs it.

The zip is unpacked into a folder laid out as Gradescope's /autograder (source/, submission/,
results/, run_autograder beside them); setup.sh runs there from source/ in a clean environment,
then run_autograder for each kind of upload. Every results.json must follow the specification
(a JSON schema written from it) and give the grader's points for the same app.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers.grading_submissions import zip_folder
from helpers.platform_submissions import grader_points
from helpers.platform_submissions import KINDS
from helpers.platform_submissions import MISTAKE
from helpers.platform_submissions import start_grader
from helpers.platform_submissions import write_points
from jsonschema import Draft202012Validator

from workshop import ROOT
from workshop.grading.outputs import points
from workshop.judge import CHECKS

TIMEOUT = 20  # seconds for a submission's checks: the loop at import costs this much
SCHEMA = json.loads((Path(__file__).parent / "gradescope_results.schema.json").read_text(encoding="utf-8"))
NAMES = {"finished": "Ada Lovelace"}  # in submission_metadata.json; the others have none


def clean_env(home, bin_folder):
    """What a fresh machine has: a PATH, a HOME, and where this machine's packages come from."""
    return {
        "PATH": os.pathsep.join([str(bin_folder), "/usr/local/bin", "/usr/bin", "/bin"]), "HOME": str(home),
        **{name: value for name, value in os.environ.items() if name.startswith(("PIP_", "UV_"))},
    }


def programs(folder):
    """A folder holding the image's python3 (the Python these tests run with) and the uv they run with, if
    any (its cache makes setup.sh fast)."""
    folder.mkdir()
    (folder / "python3").symlink_to(sys._base_executable)
    uv = Path(sys.executable).with_name("uv")
    uv = uv if uv.exists() else shutil.which("uv")
    if uv:
        (folder / "uv").symlink_to(uv)
    return folder


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    """The autograder, unpacked and set up as Gradescope does; with the export's points file and the time setup took."""
    base = tmp_path_factory.mktemp("gradescope")
    points_file = write_points(base)
    zip_path = base / "autograder.zip"
    done = subprocess.run([sys.executable, "-m", "workshop", "export", "gradescope", "--out", str(zip_path),
                           "--points", str(points_file), "--timeout", str(TIMEOUT)], cwd=ROOT, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    autograder = base / "autograder"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(autograder / "source")
    for name in ("setup.sh", "run_autograder"):
        os.chmod(autograder / "source" / name, 0o755)  # zipfile does not restore modes; Gradescope does
    shutil.copy2(autograder / "source" / "run_autograder", autograder / "run_autograder")
    bin_folder = programs(base / "bin")
    env = clean_env(Path.home(), bin_folder)  # this machine's uv cache; the venv itself is made afresh
    started = time.monotonic()
    setup = subprocess.run(["bash", "setup.sh"], cwd=autograder / "source", env=env, capture_output=True, text=True,
                           timeout=600)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    (base / "home").mkdir()
    return autograder, points.load(points_file), time.monotonic() - started, clean_env(base / "home", bin_folder)


def run_upload(autograder, env, write, name=None):
    """Lay out ``write``'s upload (and the learner's ``name``) as Gradescope does, run run_autograder:
    (results.json, the seconds it took)."""
    for folder in ("submission", "results"):
        shutil.rmtree(autograder / folder, ignore_errors=True)
        (autograder / folder).mkdir()
    write(autograder / "submission")
    metadata = {"users": [{"name": name}]} if name else {}
    (autograder / "submission_metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    started = time.monotonic()
    run = subprocess.run([str(autograder / "run_autograder")], cwd=autograder, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads((autograder / "results" / "results.json").read_text(encoding="utf-8")), time.monotonic() - started


@pytest.fixture(scope="module")
def gradescope_run(harness, tmp_path_factory):
    """{kind: (results.json, seconds run_autograder took)} for every kind of upload, and the grader's points for
    them."""
    autograder, weights, _, env = harness
    grader, out = start_grader(tmp_path_factory.mktemp("same-apps"), KINDS, write_points(tmp_path_factory.mktemp("p")),
                               TIMEOUT)
    found = {kind: run_upload(autograder, env, write, NAMES.get(kind)) for kind, write in KINDS.items()}
    return found, grader_points(grader, out), out


def test_the_zip_has_setup_and_run_autograder_at_its_root_and_no_learner_files(tmp_path):
    zip_path = tmp_path / "autograder.zip"
    assert subprocess.run([sys.executable, "-m", "workshop", "export", "gradescope", "--out", str(zip_path)],
                          cwd=ROOT).returncode == 0
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {"setup.sh", "run_autograder", "requirements.txt", "workshop/grading/platforms/gradescope.py"} <= set(names)
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert not [n for n in names
                if n.startswith(("part1_basic_app/", "solutions/", "tests/", "venv/")) or "__pycache__" in n]


def test_setup_takes_seconds(harness):
    _, _, seconds, _ = harness
    print(f"\nsetup.sh: {seconds:.1f} s")
    assert seconds < 120


@pytest.mark.parametrize("kind", KINDS)
def test_results_follow_the_specification_and_give_the_graders_points(gradescope_run, harness, kind):
    found, expected, _ = gradescope_run
    results, seconds = found[kind]
    weights = harness[1]
    print(f"\n{kind}: run_autograder {seconds:.1f} s, {results['score']:g} of {sum(weights.values()):g} points")
    Draft202012Validator.check_schema(SCHEMA)
    Draft202012Validator(SCHEMA).validate(results)
    tests = results["tests"]
    assert [t["name"] for t in tests] == [f"Step {c.step}: {c.title}" for c in CHECKS]
    assert [t["max_score"] for t in tests] == [weights[c.name] for c in CHECKS]
    assert results["score"] == pytest.approx(sum(t["score"] for t in tests))
    assert results["score"] == pytest.approx(expected[kind])
    for test in tests:
        assert (test["status"] == "passed") == (test["score"] == test["max_score"] > 0)
        assert (test["output"] == "") == (test["status"] == "passed")


def test_a_finished_app_gets_full_marks_and_its_feedback_names_the_learner(gradescope_run, harness):
    results, _ = gradescope_run[0]["finished"]
    assert results["score"] == sum(harness[1].values())
    assert results["output"].startswith("Feedback for Ada Lovelace")
    assert "32 of 32 checks pass" in results["output"]


def test_the_feedback_is_the_graders_own(gradescope_run):
    found, _, out = gradescope_run
    for kind in ("planted-mistake", "syntax-error"):  # the starter's messages quote a fresh session cookie
        body = found[kind][0]["output"].split("\n", 2)[2]  # below the title and its underline
        assert body == (out / "feedback" / f"{kind}.txt").read_text(encoding="utf-8").split("\n", 2)[2]


def test_a_planted_mistake_costs_its_check_and_says_where(gradescope_run, harness):
    results, _ = gradescope_run[0]["planted-mistake"]
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert [t["name"]
            for t in failed] == ["Step 1: raw_wsgi.application is a WSGI app: 200, text/plain, \"Hello, WSGI!\" and"
                                 " the path."]
    assert f"part1_basic_app/{MISTAKE.file}" in failed[0]["output"]
    assert results["score"] == sum(harness[1].values()) - 3


def test_one_uploaded_zip_is_graded_as_its_content(gradescope_run, harness, tmp_path):
    KINDS["planted-mistake"](tmp_path / "work")
    autograder, _, _, env = harness
    results, _ = run_upload(autograder, env, lambda folder: zip_folder(tmp_path / "work", folder / "work.zip"))
    assert results["tests"] == gradescope_run[0]["planted-mistake"][0]["tests"]


def test_a_whole_clone_is_graded_on_its_own_app_not_the_solution(gradescope_run):
    results, _ = gradescope_run[0]["whole-clone"]
    steps = {t["name"].split(":")[0] for t in results["tests"] if t["status"] == "passed"}
    assert steps == {"Step 1", "Step 2", "Step 3"}


@pytest.mark.parametrize("kind, said", [("syntax-error", "part1_basic_app/pages.py, line 1"),
                                        ("loop-at-import", "did not finish within 10 s")])
def test_a_broken_app_scores_0_and_says_why(gradescope_run, kind, said):
    results, _ = gradescope_run[0][kind]
    assert results["score"] == 0
    assert said in results["output"]
    assert all(t["status"] == "failed" and said in t["output"] for t in results["tests"])


def test_a_points_file_with_a_mistake_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "points.toml").write_text("[checks]\nno_such_check = 2\n")
    done = subprocess.run([sys.executable, "-m", "workshop", "export", "gradescope", "--out", str(tmp_path / "a.zip"),
                           "--points", str(tmp_path / "points.toml")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "no_such_check" in done.stderr and not (tmp_path / "a.zip").exists()
