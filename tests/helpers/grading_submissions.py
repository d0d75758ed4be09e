"""Synthetic submissions for the grader's tests and benchmark, made from the solution.

``app(step)`` is the app after ``step`` (0 is the starter). The hostile ones change a
file of the finished app; each writes what the tests need to see into ``spy``, a folder
outside the sandbox that the test names.
"""

import csv
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

from workshop import APP_NAME
from workshop import ROOT
from workshop.release import render_tree
from workshop.release import write_tree

FINISHED = 6


def app(step):
    return render_tree(step)


def write_app(folder, tree, root=""):
    """Write the app ``tree`` as ``folder/root/part1_basic_app``."""
    write_tree(tree, Path(folder, root, APP_NAME))
    return Path(folder)


def changed(tree, path, before, after):
    """The tree with ``before`` replaced by ``after`` in the file ``path`` (which must hold it)."""
    assert before in tree[path], f"{path} no longer holds {before!r}"
    return {**tree, path: tree[path].replace(before, after, 1)}


def prepended(tree, path, code):
    """The tree with ``code`` run first in the file ``path``."""
    return {**tree, path: code + "\n" + tree[path]}


def at_import(code):
    """The finished app with ``code`` run when it is imported."""
    return prepended(app(FINISHED), "__init__.py", code)


def in_view(code):
    """The finished app with ``code`` run by the home page view (GET /)."""
    return changed(app(FINISHED), "pages.py", '    return render_template("index.html")',
                   "    " + code.replace("\n", "\n    ") + '\n    return render_template("index.html")')


def forker(spy):
    """At its first import, start two sleepers: one in the process group, one double-forked into a new session."""
    return at_import(f"""
import os as _os, time as _time
def _sleep_forever():
    with open({str(spy / 'pids')!r}, 'a') as _f:
        _f.write(f"{{_os.getpid()}}\\n")
    _time.sleep(600)
    _os._exit(0)
try:
    open({str(spy / 'forked')!r}, 'x').close()
except FileExistsError:
    pass
else:
    if _os.fork() == 0:
        _sleep_forever()
    if _os.fork() == 0:
        _os.setsid()
        if _os.fork() == 0:
            _sleep_forever()
        _os._exit(0)
""")


def writer(spy):
    """At import, write into HOME and into the folder of the app process's code, and report the environment it sees."""
    return at_import(f"""
import json as _json, os as _os, pathlib as _pathlib, sys as _sys
_home = _pathlib.Path.home()
(_home / "written-by-submission.txt").write_text("was here")
_checks = _pathlib.Path(_sys.modules["workshop.app_process.app_server"].__file__).parent
for _name in ("app_server.py", "mutants.py", "__init__.py"):
    (_checks / _name).write_text("raise SystemExit('checks replaced by a submission')\\n")
(_checks / "planted.py").write_text("# planted by a submission\\n")
_pathlib.Path({str(spy / 'writer.json')!r}).write_text(_json.dumps({{
    "environ": dict(_os.environ), "home": str(_home), "checks": str(_checks), "sys_path": _sys.path,
}}))
""")


def zip_folder(folder, zip_path, extra=()):
    """Zip ``folder``'s content; ``extra`` adds raw (name, bytes) members."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
        for name, data in extra:
            archive.writestr(name, data)
    return zip_path


def zip_bomb(zip_path, megabytes):
    """A zip of the finished app with ``megabytes`` of zeros in one member (a few hundred KB on disk)."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative, text in app(FINISHED).items():
            archive.writestr(f"{APP_NAME}/{relative}", text)
        with archive.open(f"{APP_NAME}/static/bomb.bin", "w", force_zip64=True) as member:
            zeros = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(zeros)
    return zip_path


def make_many(folder, count, step=None):
    """``count`` ordinary submissions (for the benchmark): the app after ``step``, or after steps 1 to 6 in turn."""
    for number in range(count):
        write_app(Path(folder, f"learner{number:03d}"), app(step or 1 + number % FINISHED))
    return Path(folder)


def process_is_gone(pid):
    """Whether ``pid`` has ended (a zombie waiting for its parent counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except OSError:
        return True


def zip_tree(zip_path, files, compression=zipfile.ZIP_DEFLATED):
    """A zip of ``files`` ({member name: str or bytes})."""
    with zipfile.ZipFile(zip_path, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return zip_path


def zip_with_venv(zip_path, tree, megabytes):
    """A zip of a whole workshop folder: the app, and a venv/ of ``megabytes`` stored (not compressed) with a link."""
    zip_tree(zip_path, {f"workshop/{APP_NAME}/{relative}": content for relative, content in tree.items()})
    with zipfile.ZipFile(zip_path, "a") as archive:
        link = zipfile.ZipInfo("workshop/venv/bin/python")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "python3")
        with archive.open("workshop/venv/lib/big.bin", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(bytes(1024 * 1024))
    return zip_path


def corrupt_lzma_zip(zip_path, tree):
    """An LZMA-compressed zip of ``tree`` whose compressed data is damaged (its directory is intact)."""
    zip_tree(zip_path, {f"{APP_NAME}/{relative}": content for relative, content in tree.items()}, zipfile.ZIP_LZMA)
    with zipfile.ZipFile(zip_path) as archive:
        info = archive.getinfo(f"{APP_NAME}/__init__.py")
    data = bytearray(Path(zip_path).read_bytes())
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)  # the local header's
    start = info.header_offset + 30 + name_length + extra_length + 9  # past the LZMA properties
    data[start:start + 32] = b"\xff" * 32
    Path(zip_path).write_bytes(bytes(data))
    return zip_path


def processes_mentioning(text):
    """The live processes whose command line or environment holds ``text`` (Linux)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            seen = Path(f"/proc/{pid}/environ").read_bytes() + Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if os.fsencode(text) in seen and not process_is_gone(int(pid)):
            found.append(int(pid))
    return found


def grader(*args, env=None, **options):
    """Start the grader (python -m workshop.grading) as a separate process."""
    return subprocess.Popen(
        [sys.executable, "-m", "workshop.grading", *map(str, args)], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options,
    )


def instructor_env(tmp, **extra):
    """The instructor's environment: a HOME, a TMPDIR and a secret of their own."""
    for name in ("home", "tmp"):
        (tmp / name).mkdir(exist_ok=True)
    return {**os.environ, "HOME": str(tmp / "home"), "TMPDIR": str(tmp / "tmp"),
            "INSTRUCTOR_SECRET": "s3cret", "PYTHONPATH": str(ROOT), **extra}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))
