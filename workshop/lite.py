"""The learner edition as a static JupyterLite site (the command: workshop/cli/lite.py).

The site holds the learner edition's notebooks, starter app and ``workshop`` package, Pyodide itself
(from PATH, a copy of the npm package ``pyodide``; without it, from ``npm install``, see
workshop/pyodide_dist.py) and every wheel the kernel, the app, the checks and pytest need, listed in
its pyodide-lock.json: once built, it asks no other host for anything (no PyPI, no CDN).
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from . import edition
from . import pyodide_dist

CONTENTS = ("notebooks", "part1_basic_app", "workshop")  # what the file browser shows, and the kernel imports
KERNEL = ("micropip", "jedi", "ipython")  # what the Pyodide kernel loads from the lock, with their dependencies
EXTRA = ("comm==0.2.3",)  # what the kernel needs and the lock lacks
EXTENSION_WHEELS = ("piplite-", "pyodide_kernel-", "ipykernel-")  # loaded at start too: piplite finds them installed
PYTHON = "3.14"  # Pyodide's
SETTINGS = "@jupyterlite/pyodide-kernel-extension:kernel"


def normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def kernel_wheels(lock, cache):
    """The lock's wheels of KERNEL and their dependencies, at the lock's versions, plus EXTRA: their paths."""
    packages = {normal(name): entry for name, entry in lock["packages"].items()}
    wanted, seen = list(KERNEL), set()
    while wanted:
        name = normal(wanted.pop())
        if name not in seen and name in packages:
            seen.add(name)
            wanted.extend(packages[name]["depends"])
    seen -= {normal(name) for name in pyodide_dist.WHEELS}  # those come at the workshop's own versions
    pins = sorted(f"{packages[n]['name']}=={packages[n]['version']}" for n in seen) + list(EXTRA)
    folder = Path(cache) / "kernel-wheels"
    stamp = "wanted.txt"

    def complete(wheels_folder):
        return (wheels_folder / stamp).exists() and (wheels_folder / stamp).read_text() == "\n".join(pins)

    if not complete(folder):
        with pyodide_dist.filled_in_place(folder, complete) as fresh:
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                            "--python-version", PYTHON, "--dest", str(fresh), *pins], check=True)
            (fresh / stamp).write_text("\n".join(pins))
    return sorted(folder.glob("*.whl"))


def extension_wheels():
    """The kernel extension's own wheels (piplite, pyodide_kernel, ipykernel), from its installed labextension."""
    folder = Path(sys.prefix, "share", "jupyter", "labextensions", "@jupyterlite", "pyodide-kernel-extension")
    folder = folder / "static" / "pypi"
    return sorted(w for w in folder.glob("*.whl") if w.name.startswith(EXTENSION_WHEELS))


def lock_entry(wheel):
    """A pyodide-lock.json entry for a pure-Python wheel."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    field = dict(line.split(": ", 1) for line in metadata.splitlines() if ": " in line and not line.startswith(" "))
    folders = {n.split("/")[0] for n in names if "/" in n and not n.split("/")[0].endswith((".dist-info", ".data"))}
    tops = sorted(folders | {n.removesuffix(".py") for n in names if "/" not in n and n.endswith(".py")})
    return {
        "name": field["Name"], "version": field["Version"], "file_name": wheel.name, "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(), "package_type": "package",
        "imports": [t for t in tops if t.isidentifier()], "depends": [], "unvendored_tests": False, "tool": {},
    }


def self_hosted_pyodide(pyodide, static, cache):
    """Copy Pyodide into ``static``/pyodide, the wheels beside it and in its lock: the names of all to load."""
    target = static / "pyodide"
    shutil.copytree(pyodide, target, ignore=shutil.ignore_patterns("*.map", "*.d.ts", "README.md", "console*.html"))
    lock = json.loads((target / "pyodide-lock.json").read_text())
    ours = pyodide_dist.wheels(cache)
    kernel = [*kernel_wheels(lock, cache), *extension_wheels()]
    for wheel in [*kernel, *ours]:
        entry = lock_entry(wheel)
        for name in [n for n in lock["packages"] if normal(n) == normal(entry["name"])]:
            del lock["packages"][name]  # our pinned version wins
        lock["packages"][normal(entry["name"])] = entry
        shutil.copy2(wheel, target / wheel.name)
    (target / "pyodide-lock.json").write_text(json.dumps(lock))
    return [normal(lock_entry(w)["name"]) for w in [*kernel, *ours]]


def build(out, pyodide=None, cache=pyodide_dist.CACHE, catchup=0):
    """Build the site into ``out``, with the app after steps 0 to ``catchup`` for ``catchup`` (see edition.write)."""
    pyodide = Path(pyodide) if pyodide else pyodide_dist.pyodide(cache)
    with tempfile.TemporaryDirectory(prefix="workshop-lite-") as work:
        learner, lite_dir = Path(work, "edition"), Path(work, "lite")
        edition.write(learner, catchup)
        (lite_dir / "static").mkdir(parents=True)
        preload = self_hosted_pyodide(pyodide, lite_dir / "static", cache)
        config = {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
            "appName": "Flask workshop", "exposeAppInBrowser": "true",
            "litePluginSettings": {
                SETTINGS: {"disablePyPIFallback": True, "loadPyodideOptions": {"packages": preload}},
            },
        }}
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=2))
        for path in learner.iterdir():  # the rest of the edition (its README, its tests) serves a computer
            if path.name not in CONTENTS:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        subprocess.run([sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir),
                        "--output-dir", str(Path(out).resolve()), "--no-sourcemaps", "--contents", str(learner)],
                       check=True, cwd=lite_dir)


def size(out):
    files = [p for p in Path(out).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)
