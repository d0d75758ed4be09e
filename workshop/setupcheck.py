"""The set-up check of notebook 00: is this kernel ready for the workshop?

Each check gives a verdict in plain words and, when it fails, says how to fix it.
A check never raises. Standard library only, so that it runs even when a package is
missing: ``python -m workshop.setupcheck`` runs it in a terminal.
"""

import html
import importlib
import importlib.metadata
import importlib.util
import platform
import re
import socket
import sys
import traceback
from dataclasses import dataclass

from . import APP_NAME
from . import forget_app
from . import IN_BROWSER
from . import ROOT
from .bootstrap import in_venv
from .bootstrap import MIN_PYTHON

PACKAGES = ("flask", "werkzeug", "jinja2", "flask_wtf", "jupyterlab", "nbclient", "pytest", "waitress")
# Tools that run notebooks rather than run in them: importing them takes seconds, so they are looked up only.
LOOKED_UP_ONLY = {"jupyterlab", "nbclient"}
FLASK_PORT = 5000  # what ``flask run`` uses unless told otherwise
SPARE_PORTS = range(5001, 5011)
INSTALL = (
    "Close JupyterLab and start it again with `python3 -m workshop lab` from the workshop folder"
    " (`py -m workshop lab` on Windows): it installs every package into venv/ and runs the notebooks with it."
)
AT_HOME = "At home, `python3 -m workshop lab` sets it up on your computer."


@dataclass
class Verdict:
    passed: bool | None  # None: the check does not apply here (in the browser tab)
    says: str
    advice: str = ""  # how to fix it when it failed; worth knowing when it passed


def python_version():
    """Python is recent enough."""
    wanted = ".".join(map(str, MIN_PYTHON))
    says = f"Python {platform.python_version()} (the workshop needs {wanted} or newer)"
    if sys.version_info >= MIN_PYTHON:
        return Verdict(True, says)
    return Verdict(False, says, (
        f"Install Python {wanted} or newer (https://www.python.org/downloads/), delete the venv/ folder,"
        " then run `python3 -m workshop lab` again from the workshop folder."
    ))


def minimum_versions():
    """The lowest version of each package that requirements.txt accepts: {"flask": "3.1", ...}."""
    try:
        text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    except OSError:
        return {}
    return {name.lower().replace("-", "_"): version
            for name, version in re.findall(r"(?m)^([\w.-]+)\s*>=\s*([\d.]+)", text)}


def version_tuple(version, length):
    """The first ``length`` numbers of a version: "3.1.3" -> (3, 1)."""
    return tuple(int(part) for part in re.findall(r"\d+", version)[:length])


def package(name, minimum=None):
    """The package is installed (and imports), in version ``minimum`` or newer."""
    if IN_BROWSER and name in LOOKED_UP_ONLY:
        return Verdict(None, f"{name}: not in the browser, where JupyterLite runs the notebooks", AT_HOME)
    try:
        if name not in LOOKED_UP_ONLY:
            importlib.import_module(name)
        elif importlib.util.find_spec(name) is None:
            raise ModuleNotFoundError(name)
        version = importlib.metadata.version(name)
    except ModuleNotFoundError:
        return Verdict(False, f"{name} is not installed for this kernel's Python ({sys.executable})", INSTALL)
    except Exception as exc:  # a broken installation can raise anything on import
        return Verdict(False, f"{name} is installed but importing it fails: {type(exc).__name__}: {exc}", INSTALL)
    if minimum and version_tuple(version, minimum.count(".") + 1) < version_tuple(minimum, minimum.count(".") + 1):
        return Verdict(False, f"{name} {version} is too old: the workshop needs {minimum} or newer", INSTALL)
    return Verdict(True, f"{name} {version}")


def virtual_environment():
    """The kernel runs in a virtual environment, ideally the workshop's."""
    python = sys.executable
    if IN_BROWSER:
        return Verdict(None, "Virtual environment: not in the browser, where Pyodide is the kernel's Python", AT_HOME)
    if in_venv():
        return Verdict(True, f"The kernel runs the workshop's virtual environment venv/: {python}")
    if sys.prefix != sys.base_prefix:
        return Verdict(True,
                       f"The kernel runs a virtual environment ({sys.prefix}), not the workshop's venv/: {python}", (
            "That is fine as long as every package above is there."
        ))
    return Verdict(False, f"The kernel runs {python}, which is not a virtual environment", INSTALL + (
        " In VS Code, choose the kernel with Select Kernel → Python Environments → venv."
    ))


def app_folder():
    """``part1_basic_app`` is found from this kernel and imports without an error."""
    forget_app()
    spec = importlib.util.find_spec(APP_NAME)
    if spec is None or not spec.submodule_search_locations:
        return Verdict(False, f"Python cannot find {APP_NAME} from this notebook", (
            "Run the first code cell of this notebook (it adds the workshop folder to Python's path),"
            " and open the notebooks from the workshop's notebooks/ folder: `python3 -m workshop lab` does."
        ))
    folder = list(spec.submodule_search_locations)[0]
    try:
        package = importlib.import_module(APP_NAME)
    except Exception as exc:
        return Verdict(False, f"{APP_NAME} is in {folder} but importing it fails: {import_error(exc, folder)}", (
            "Fix that line, or bring back the starter with `python3 -m workshop catchup 0`"
            " (it saves your folder first)."
        ))
    finally:
        forget_app()
    if not callable(getattr(package, "create_app", None)):
        return Verdict(False, f"{APP_NAME} in {folder} has no create_app function", (
            "Bring back the starter with `python3 -m workshop catchup 0` (it saves your folder first)."
        ))
    return Verdict(True, f"{APP_NAME} is found in {folder} and imports fine")


def import_error(exc, folder):
    """The error, and the file and line inside ``folder`` where it happened."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{type(exc).__name__}: {exc.msg} ({exc.filename}, line {exc.lineno})"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(folder)]
    where = f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def port_is_free(port):
    """Whether ``flask run`` could serve on 127.0.0.1:``port``: it can listen there and nothing answers."""
    try:
        with socket.create_server(("127.0.0.1", port)):
            pass
    except OSError:
        return False
    try:  # macOS lets a server listen on 127.0.0.1 beside one listening on all addresses, like AirPlay's
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return False
    except OSError:
        return True


def free_port():
    """Port 5000 is free for ``flask run``, or else another port near it."""
    if IN_BROWSER:
        return Verdict(None, "A free port for `flask run`: not in the browser, which cannot run a server", AT_HOME)
    if port_is_free(FLASK_PORT):
        return Verdict(True, f"Port {FLASK_PORT} on 127.0.0.1 is free: `flask run` will use it")
    spare = next((port for port in SPARE_PORTS if port_is_free(port)), None)
    if spare is None:
        return Verdict(False, f"No port from {FLASK_PORT} to {SPARE_PORTS[-1]} on 127.0.0.1 could be opened", (
            "A firewall or security tool may stop Python from listening on 127.0.0.1: allow it, then run this cell"
            " again."
        ))
    why = (
        "On macOS, AirPlay Receiver takes port 5000: switch it off in System Settings → General →"
        " AirDrop & Handoff → AirPlay Receiver, or use another port."
        if sys.platform == "darwin"
        else f"Another program listens on port {FLASK_PORT}; stop it, or use another port."
    )
    return Verdict(True, (
        f"Port {FLASK_PORT} is taken, port {spare} is free: `python3 -m workshop run` will use it"
        f" (or `flask --app {APP_NAME} run --debug --port {spare}`)"
    ), why)


def run_all():
    """Every check's Verdict; a check that raises becomes a failed Verdict."""
    minimums = minimum_versions()
    checks = [python_version]
    checks += [lambda name=name: package(name, minimums.get(name)) for name in PACKAGES]
    checks += [virtual_environment, app_folder, free_port]
    verdicts = []
    for check in checks:
        try:
            verdicts.append(check())
        except Exception as exc:
            verdicts.append(Verdict(False, f"A check stopped with {type(exc).__name__}: {exc}",
                                    "Run this cell again; if it fails again, ask for help."))
    return verdicts


class SetupReport:
    """The verdicts, as text in a terminal and as a list in a notebook."""

    def __init__(self, verdicts):
        self.verdicts = verdicts
        self.passed = sum(v.passed is True for v in verdicts)
        self.applies = sum(v.passed is not None for v in verdicts)
        self.ok = self.passed == self.applies

    def summary(self):
        verdict = (
            "✅ you are ready: go on to 01_hello_flask.ipynb." if self.ok
            else "❌ fix each ❌ below as it says, then run this cell again."
        )
        return f"Set-up check: {self.passed} of {self.applies} checks pass — {verdict}"

    @staticmethod
    def label(verdict):
        return "how to fix" if verdict.passed is False else "good to know"

    @staticmethod
    def mark(verdict):
        return {True: "✅", False: "❌", None: "⚪"}[verdict.passed]

    def __str__(self):
        lines = [self.summary()]
        for v in self.verdicts:
            lines.append(f"  {self.mark(v)} {v.says}")
            if v.advice:
                lines.append(f"      {self.label(v)}: {v.advice}")
        return "\n".join(lines)

    def _repr_html_(self):
        items = "".join(
            f"<li>{self.mark(v)} {html.escape(v.says)}"
            + (f"<br><b>{self.label(v).capitalize()}:</b> {html.escape(v.advice)}" if v.advice else "")
            + "</li>"
            for v in self.verdicts
        )
        return f"<p><b>{html.escape(self.summary())}</b></p><ul style='list-style: none'>{items}</ul>"

    def __repr__(self):
        return str(self)


def setup_check():
    """Run every set-up check and show the verdicts (for notebook 00)."""
    report = SetupReport(run_all())
    try:
        from IPython.display import display
    except ImportError:
        print(report)
    else:
        display(report)


if __name__ == "__main__":
    report = SetupReport(run_all())
    print(report)
    sys.exit(0 if report.ok else 1)
