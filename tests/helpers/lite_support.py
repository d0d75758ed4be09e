"""The browser edition's site, built once per test session: ``pytest_plugins = ["helpers.lite_support"]``
gives ``site``, with ``catchup`` up to the last step."""

import shutil
import subprocess
import sys

import pytest

from workshop import pyodide_dist
from workshop import ROOT
from workshop import STEPS


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    if shutil.which("npm") is None and not (pyodide_dist.CACHE / "npm").exists():
        pytest.skip("npm is needed to fetch Pyodide")
    out = tmp_path_factory.mktemp("lite") / "site"
    command = [sys.executable, "-m", "workshop", "lite", "--out", str(out), "--catchup", str(max(STEPS))]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return out
