"""``python3 -m workshop lite``: the static JupyterLite site of the learner edition (built once: lite_support.py)."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from workshop import lite
from workshop import pyodide_dist
from workshop import ROOT
from workshop import STEPS
from workshop.release import render_tree

pytest_plugins = ["helpers.lite_support"]
pytestmark = pytest.mark.slow  # minutes, not seconds: .ci/run runs it with one Python only
SITE_MB = 60


def kernel_settings(site):
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    return config["litePluginSettings"][lite.SETTINGS]


def test_file_browser_shows_the_notebooks_and_the_app_and_no_solution(site):
    assert sorted(p.name for p in (site / "files").iterdir()) == sorted(lite.CONTENTS)
    assert (site / "files" / "notebooks" / "01_hello_flask.ipynb").exists()
    assert (site / "files" / "part1_basic_app" / "pages.py").read_text().count("TODO step 1")
    assert not list(site.rglob("solutions"))


def test_catchup_ships_the_app_after_each_step_up_to_the_one_chosen(site):
    checkpoints = site / "files" / "workshop" / "checkpoints"
    assert sorted(int(p.name) for p in checkpoints.iterdir()) == [0, *STEPS]  # lite_support builds with --catchup 6
    assert (checkpoints / "3" / "notes.py").read_text() == render_tree(3)["notes.py"]


def test_pyodide_is_self_hosted_and_pypi_is_never_asked(site):
    settings = kernel_settings(site)
    assert settings["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    assert settings["disablePyPIFallback"] is True
    assert all(url.startswith("./") for url in settings["pipliteUrls"])
    assert (site / "static" / "pyodide" / "pyodide.asm.wasm").exists()


def test_every_wheel_the_kernel_and_the_checks_load_is_in_the_site_with_its_hash(site):
    folder = site / "static" / "pyodide"
    packages = json.loads((folder / "pyodide-lock.json").read_text())["packages"]
    needed = set(kernel_settings(site)["loadPyodideOptions"]["packages"])
    assert {*lite.KERNEL, "comm", "piplite", "ipykernel", "pyodide-kernel"} <= needed  # piplite never looks further
    assert {lite.normal(n) for n in pyodide_dist.WHEELS} <= needed
    for name in needed:
        entry = packages[lite.normal(name)]
        assert hashlib.sha256((folder / entry["file_name"]).read_bytes()).hexdigest() == entry["sha256"], name
        for dependency in entry["depends"]:
            assert (folder / packages[lite.normal(dependency)]["file_name"]).exists(), (name, dependency)


def test_site_is_small_and_has_no_sourcemaps(site):
    assert not list(site.rglob("*.map"))
    assert sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) < SITE_MB * 1e6


def test_lock_entry_of_a_pure_wheel():
    wheel = next(w for w in pyodide_dist.wheels() if w.name.startswith("markupsafe"))
    entry = lite.lock_entry(wheel)
    assert (entry["name"].lower(), entry["imports"], entry["install_dir"]) == ("markupsafe", ["markupsafe"], "site")


def test_the_pages_workflow_passes_actionlint():
    actionlint = Path(sys.executable).with_name("actionlint")
    done = subprocess.run([str(actionlint), "-no-color", ".github/workflows/pages.yml"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "python3 -m workshop lite --out _site" in (ROOT / ".github/workflows/pages.yml").read_text()
