"""Create the workshop's virtual environment and keep it in step with the requirements.

Standard library only: this runs with whatever ``python3`` the learner has. Packages are
installed with uv when it can be had (it takes seconds where pip takes a minute), else with pip.
Progress goes to stderr, installers' output included: a command's stdout stays its own (``check all
--format github-classroom`` prints only its result there).
"""

import ast
import compileall
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import ROOT

VENV = ROOT / os.environ.get("WORKSHOP_VENV", "venv")  # CI keeps one per Python version
# Turns off the "Jupyter news" question of JupyterLab and Notebook 7 for the venv's Jupyter
PAGE_CONFIG = ROOT / "workshop" / "jupyter_config" / "page_config.json"
MIN_PYTHON = (3, 10)
UV = "uv>=0.13,<0.14"
# changed when the way of installing changes, so that each venv is installed again
INSTALL_RECIPE = b"packages compiled\n"
# pip's settings that choose where packages come from, and uv's options for them
INDEX_OPTIONS = {
    "index-url": "--index-url",
    "extra-index-url": "--extra-index-url",
    "find-links": "--find-links",
    "constraint": "--constraint",
}


def venv_python(env_dir=VENV):
    """The Python interpreter inside a virtual environment."""
    if os.name == "nt":
        return env_dir / "Scripts" / "python.exe"
    return env_dir / "bin" / "python"


def in_venv(env_dir=VENV):
    """Whether this interpreter is the workshop's virtual environment's."""
    return Path(sys.prefix).resolve() == env_dir.resolve()


def included(name):
    """A requirement file and those it includes with ``-r``, recursively."""
    names = [name]
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("-r "):
            names += included(line[3:].strip())
    return names


def stamp(name, env_dir):
    """The file that records which version of a requirement file is installed."""
    return env_dir / f".installed-{name}.sha256"


def fingerprint(name):
    """A hash of how packages are installed, a requirement file and those it includes."""
    files = b"".join((ROOT / n).read_bytes() for n in included(name))
    return hashlib.sha256(INSTALL_RECIPE + files).hexdigest()


def ensure(requirement_files=("requirements.txt",), env_dir=VENV):
    """Create ``venv/`` if needed and install the requirements that changed since last time."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"The workshop needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is"
                 f" {sys.version.split()[0]}.")
    python = venv_python(env_dir)
    if not python.exists():
        print(f"Creating the virtual environment {env_dir} ...", file=sys.stderr, flush=True)
        import venv  # here, not at the top: the browser edition's Python (Pyodide) has no venv module

        venv.create(env_dir, with_pip=True)
    compile_workshop()
    stale = [name for name in requirement_files if not is_installed(name, env_dir)]
    if not stale:
        return python
    print(f"Installing {', '.join(stale)} into {env_dir.name}/ ...", file=sys.stderr, flush=True)
    install(python, stale)
    finish_venv(python)
    configure_jupyter(env_dir)
    for name in {n for s in stale for n in included(s)}:
        stamp(name, env_dir).write_text(fingerprint(name))
    return python


def install(python, requirement_files):
    """Install requirement files into the venv of ``python``: with uv if it can be had, else with pip."""
    requirements = [arg for name in requirement_files for arg in ("-r", str(ROOT / name))]
    uv = find_uv(python)
    if uv:
        settings = pip_settings(python)
        env = {**os.environ}
        if "cert" in settings:
            env.setdefault("SSL_CERT_FILE", settings["cert"])
        options = uv_options(settings)
        done = subprocess.run([uv, "pip", "install", "--python", str(python), "--quiet", *options, *requirements],
                              env=env, stdout=sys.stderr)
        if done.returncode == 0:
            return
        print("uv could not install them; trying pip (a minute or two) ...", file=sys.stderr, flush=True)
    else:
        print("uv could not be had; installing with pip (a minute or two) ...", file=sys.stderr, flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", *requirements],
                   check=True, stdout=sys.stderr)


def compile_workshop():
    """Keep the bytecode of the workshop's own code up to date (a few ms when it is).

    The jailed processes run with ``-B`` in read-only folders, so they never write it themselves;
    without it each of them would compile the workshop's code again.
    """
    compileall.compile_dir(ROOT / "workshop", quiet=2)


def find_uv(python):
    """uv's program: the venv's, else the one on the PATH, else installed into the venv with pip; or None."""
    own = python.parent / ("uv.exe" if os.name == "nt" else "uv")
    if own.exists():
        return str(own)
    on_path = shutil.which("uv")
    if on_path:
        return on_path
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet", UV],
        capture_output=True, text=True,
    )
    return str(own) if done.returncode == 0 and own.exists() else None


def pip_settings(python):
    """pip's settings for ``pip install`` from its config files and ``PIP_*`` variables, by name."""
    listed = subprocess.run([str(python), "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    settings = {}
    for section in ("global", "install", ":env:"):  # later ones win, as in pip
        for line in listed.splitlines():
            key, _, value = line.partition("=")
            if key.startswith(section + ".") and value:
                settings[key[len(section) + 1:]] = ast.literal_eval(value)
    return settings


def uv_options(settings):
    """uv's options for the package sources pip is set to use (uv does not read pip's settings)."""
    options = []
    for setting, option in INDEX_OPTIONS.items():
        for value in settings.get(setting, "").split():
            options += [option, value]
    if settings.get("no-index", "").lower() in ("1", "true", "yes", "on"):
        options.append("--no-index")
    if "extra-index-url" in settings:
        options += ["--index-strategy", "unsafe-best-match"]  # as pip does: the best version from any index
    return options


def is_installed(name, env_dir):
    """Whether this version of a requirement file was installed into ``env_dir``."""
    path = stamp(name, env_dir)
    return path.exists() and path.read_text().strip() == fingerprint(name)


def finish_venv(python):
    """Make the workshop folder importable from the venv (notebooks, pytest, flask), and write the
    bytecode of every installed package (uv does not), so that no process, the jailed ones with
    ``-B`` included, compiles Flask, Jinja or pytest again at each start."""
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    Path(site, "flask_workshop.pth").write_text(str(ROOT) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "compileall", "-q", "-q", "-j", "0", site], stdout=subprocess.DEVNULL)


def configure_jupyter(env_dir):
    """Give the venv's JupyterLab and Notebook the workshop's page config, however they are started."""
    target = env_dir / "etc" / "jupyter" / "labconfig" / "page_config.d" / "flask_workshop.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PAGE_CONFIG, target)
