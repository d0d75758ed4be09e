"""Pyodide and the pure-Python wheels the browser edition runs on, fetched once into a cache folder.

Pyodide comes from the npm package ``pyodide`` (``npm install``, from the registry npm is set to
use); the wheels from the package index pip is set to use, at the versions installed in this
Python, so that the browser runs the libraries the workshop is tested with. MarkupSafe has no
pure-Python wheel: its sdist's package works without its optional C speedups, and is packed
here as one.
"""

import base64
import contextlib
import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from . import ROOT

PYODIDE = "pyodide@>=314.0.7 <314.1"  # CPython 3.14 in WebAssembly
CACHE = ROOT / ".cache" / "pyodide"
# What the app, the checks and the learner's pytest import (Flask, Flask-WTF and pytest with their dependencies).
WHEELS = ("flask", "werkzeug", "jinja2", "itsdangerous", "click", "blinker", "flask-wtf", "wtforms",
          "pytest", "pluggy", "iniconfig", "packaging", "pygments",
          "waitress")  # imported by the notebooks' helpers (workshop/servers.py); serving needs a computer
PURE_FROM_SDIST = ("markupsafe",)


def pyodide(cache=CACHE):
    """The folder of the npm package ``pyodide`` (pyodide.mjs, its .wasm, the standard library), installed once."""
    folder = Path(cache) / "npm"

    def complete(npm_folder):
        return (npm_folder / "node_modules" / "pyodide" / "pyodide.mjs").exists()

    if not complete(folder):
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to fetch Pyodide (or give a local copy of the npm package pyodide)")
        with filled_in_place(folder, complete) as fresh:
            subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(fresh), PYODIDE], check=True)
    return folder / "node_modules" / "pyodide"


@contextlib.contextmanager
def filled_in_place(folder, complete):
    """A fresh folder to fill, put in the place of ``folder`` once filled, unless ``complete(folder)`` says that
    another build (a test worker's, say) filled it meanwhile: no build ever sees another's half-made download."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", dir=folder.parent))
    try:
        yield fresh
        if not complete(folder):
            old = folder.with_name(f"{fresh.name}.old")
            with contextlib.suppress(FileNotFoundError):
                folder.rename(old)
            fresh.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def pinned(names):
    """``name==version`` for each of ``names``, at the version installed in this Python."""
    return [f"{name}=={importlib.metadata.version(name)}" for name in names]


def wheels(cache=CACHE):
    """The pure-Python wheels of WHEELS and PURE_FROM_SDIST, downloaded (and packed) on first use: their paths."""
    folder = Path(cache) / "wheels"
    wanted = pinned(WHEELS) + pinned(PURE_FROM_SDIST)
    stamp = "wanted.txt"

    def complete(wheels_folder):
        return (wheels_folder / stamp).exists() and (wheels_folder / stamp).read_text() == "\n".join(wanted)

    if not complete(folder):
        with filled_in_place(folder, complete) as fresh:
            pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(fresh)]
            subprocess.run([*pip, "--only-binary=:all:", *pinned(WHEELS)], check=True)
            sdists = fresh / "sdists"
            subprocess.run([*pip, "--dest", str(sdists), "--no-binary=:all:", *pinned(PURE_FROM_SDIST)], check=True)
            for sdist in sdists.glob("*.tar.gz"):
                pure_wheel(sdist, fresh)
            shutil.rmtree(sdists)
            (fresh / stamp).write_text("\n".join(wanted))
    return sorted(folder.glob("*-py3-none-any.whl"))


def pure_wheel(sdist, folder):
    """A py3-none-any wheel of the Python files of an sdist's ``src/<package>`` (its C speedups left out): its path."""
    with tarfile.open(sdist) as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        top = sdist.name.removesuffix(".tar.gz")
        name, version = top.rsplit("-", 1)
        files = {n.split("/src/", 1)[1]: archive.extractfile(m).read() for n, m in members.items()
                 if "/src/" in n and n.endswith((".py", ".typed"))}
        metadata = archive.extractfile(members[f"{top}/PKG-INFO"]).read()
    info = f"{name}-{version}.dist-info"
    files[f"{info}/METADATA"] = metadata
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: workshop\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = [f"{path},sha256={digest(data)},{len(data)}" for path, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    path = Path(folder, f"{name}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for member, data in sorted(files.items()):
            wheel.writestr(member, data)
    return path


def digest(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
