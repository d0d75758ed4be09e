"""The workshop as a learner meets it: ``python3 -m workshop lab``, then the notebooks run in JupyterLab."""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from workshop import APP_NAME
from workshop import ROOT
from workshop.release import render_tree
from workshop.release import write_tree

pytest_plugins = ["helpers.browser_support"]

pytestmark = pytest.mark.slow  # minutes, not seconds: .ci/run runs it with one Python only

START_SECONDS = 60
RUN_SECONDS = 60  # Run All Cells, for the whole notebook
STOP_SECONDS = 20
SIGNAL_STOP_SECONDS = 10
NOT_RUN = re.compile(r"^\[\s\]:$")  # the prompt of a code cell that has not run
# What `python3 -m workshop lab` runs, with this interpreter instead of venv/'s.
LAUNCH = [sys.executable, "-c", "import sys; from workshop.cli.lab import main; sys.exit(main(sys.argv[1:]))"]
# `python3 -m workshop lab` as the learner types it, with the interpreter the venv was made from.
WORKSHOP_LAB = [getattr(sys, "_base_executable", sys.executable), "-m", "workshop", "lab"]
# Only for the tests: JupyterLab must not save the workshop's notebooks (nor checkpoints, see command()).
NO_AUTOSAVE = {"@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False}}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """``python3 -m workshop lab`` on a free loopback port, with its own Jupyter folders."""

    def __init__(self, home, env, launch=LAUNCH):
        self.launch = launch
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = home / "lab.log"
        self.checkpoints = home / "checkpoints"
        folders = {name: home / name.lower()
                   for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}
        for relpath, settings in NO_AUTOSAVE.items():
            path = folders["JUPYTER_CONFIG_DIR"] / "lab" / "user-settings" / relpath
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps(settings), encoding="utf-8")
        self.env = {**os.environ, **{name: str(path) for name, path in folders.items()}, **env}
        self.process = None

    def command(self):
        return [
            *self.launch, "--no-browser",
            f"--port={self.url.rsplit(':', 1)[1]}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={self.token}",
            f"--FileCheckpoints.checkpoint_dir={self.checkpoints}",  # not in the workshop's notebooks/
        ]

    def request(self, method, path):
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.read().decode()

    def start(self):
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"workshop lab stopped with exit code {self.process.returncode}:\n{self.log_tail()}")
            try:
                return self.request("GET", "/api/status")
            except OSError:  # not listening yet
                time.sleep(0.25)
        pytest.fail(f"workshop lab did not answer /api/status within {START_SECONDS} s:\n{self.log_tail()}")

    def stop(self):
        """Shut the server down as its Quit button does (its kernels too); kill it if it hangs."""
        if self.process is None:
            return
        try:
            self.request("POST", "/api/shutdown")
        except OSError:
            pass
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the launcher and jupyter lab, in their own group
            self.process.wait()

    def log_tail(self, lines=40):
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@pytest.fixture
def lab_env():
    """Environment variables for the lab server; a test may add to it before the server starts."""
    return {"PYTHONPATH": str(ROOT)}


@pytest.fixture
def lab(browser, lab_env, tmp_path, kept_files):
    """The running lab server (started after the browser, so that a missing browser skips first)."""
    home = tmp_path / "jupyter"
    home.mkdir()
    server = LabServer(home, lab_env)
    kept_files.append(server.log)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def base_url(lab):
    return lab.url


@pytest.fixture
def run_notebook(page, lab, expect):
    """A function that opens a JupyterLab address on a notebook and runs all its cells from the Run menu."""
    page.set_default_timeout(START_SECONDS * 1000)

    def open_and_run_all(path, notebook):
        page.goto(f"{path}?token={lab.token}")
        expect(page).to_have_url(re.compile(f"/lab/tree/{re.escape(notebook)}$"))
        # JupyterLab loads its extensions, then the notebook, then starts the kernel: seconds on a busy machine
        expect(page.locator(".jp-NotebookPanel .jp-Notebook")).to_be_visible(timeout=START_SECONDS * 1000)
        expect(page.locator("#jp-main-statusbar")).to_contain_text("Python 3 (ipykernel) | Idle",
                                                                   timeout=START_SECONDS * 1000)
        page.locator(".lm-MenuBar").get_by_role("menuitem", name="Run", exact=True).click()
        page.locator(".lm-Menu").get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()

    return open_and_run_all


def expect_verdict(page, expect, pattern):
    """Wait until the cells have run, check that they all did; return the output that matches ``pattern``."""
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    not_run = prompts.filter(has_text=NOT_RUN)
    expect(prompts.first).not_to_have_text(NOT_RUN)  # the run has begun: every queued cell shows [*]
    expect(prompts.filter(has_text="[*]:")).to_have_count(0, timeout=RUN_SECONDS * 1000)
    if not_run.count():
        stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        shown = "\n".join(stderr.all_text_contents())
        pytest.fail(f"{not_run.count()} cells did not run. Errors and warnings shown:\n{shown}")
    verdict = page.locator(".jp-OutputArea-output", has_text=pattern)
    expect(verdict).to_have_count(1)
    return verdict.text_content()


def expect_no_popups(page):
    """Nothing stands in the learner's way: no dialog, no notification."""
    popups = page.locator(".jp-Dialog, .Toastify__toast").all_text_contents()
    assert popups == [], f"pop-ups in the learner's way: {popups}"


def test_notebook_00_runs_in_jupyterlab_and_shows_the_setup_verdict(page, run_notebook, expect):
    run_notebook("/", "notebooks/00_setup_check.ipynb")  # where `workshop lab` opens the browser
    verdict = expect_verdict(page, expect, re.compile(r"^Set-up check:"))
    assert re.match(r"Set-up check: (\d+) of \1 checks pass", verdict), verdict
    expect_no_popups(page)


@pytest.fixture
def step1_app(lab_env, tmp_path):
    """The app as it is after step 1, in a folder that the kernel imports (request it before ``page``)."""
    parent = tmp_path / "learner"
    write_tree(render_tree(1), parent / APP_NAME)
    lab_env.update(WORKSHOP_APP_PARENT=str(parent), PYTHONPATH=os.pathsep.join([str(parent), str(ROOT)]))
    return parent


def test_notebook_01_runs_in_jupyterlab_and_passes_the_step_1_self_check(step1_app, page, run_notebook, expect):
    run_notebook("/lab/tree/notebooks/01_hello_flask.ipynb", "notebooks/01_hello_flask.ipynb")
    verdict = expect_verdict(page, expect, re.compile(r"^Step 1 self-check:"))
    assert verdict.startswith("Step 1 self-check: 5 of 5 checks pass"), verdict
    expect_no_popups(page)


@pytest.fixture
def server(lab_env, tmp_path):
    """A function that starts a Jupyter server with a given command line (stopped after the test)."""
    servers = []

    def start(launch):
        servers.append(LabServer(tmp_path, lab_env, launch))
        servers[-1].start()
        return servers[-1]

    yield start
    for started in servers:
        started.stop()
        try:  # whatever a failed test left running
            os.killpg(started.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_signal_to_the_pid_of_workshop_lab_stops_jupyterlab(server):
    lab = server(WORKSHOP_LAB)
    os.kill(lab.process.pid, signal.SIGTERM)  # as `kill PID` does
    lab.process.wait(timeout=SIGNAL_STOP_SECONDS)
    deadline = time.monotonic() + SIGNAL_STOP_SECONDS
    while True:
        try:
            os.killpg(lab.process.pid, 0)  # a process of its group is still there
        except ProcessLookupError:
            break
        assert time.monotonic() < deadline, "a process started by workshop lab outlived it"
        time.sleep(0.1)
    with pytest.raises(OSError):
        lab.request("GET", "/api/status")


@pytest.mark.parametrize("launch, page",
                         [(LAUNCH, "/lab"), ([sys.executable, "-m", "jupyter", "notebook", "--allow-root"], "/tree")],
                         ids=["workshop lab", "jupyter notebook"])
def test_jupyter_does_not_ask_the_news_question(server, launch, page):
    html = server(launch).request("GET", page)
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html,
                                  re.S)[1])
    assert config["disabledExtensions"].count("@jupyterlab/apputils-extension:announcements") == 1
