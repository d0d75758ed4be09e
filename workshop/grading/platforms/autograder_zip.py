"""The autograder zip that Gradescope builds its grading image from (``export gradescope``).

At the root of the zip, as Gradescope's "Autograder Specifications" ask: ``setup.sh``, run once,
as root, from /autograder/source (the zip, unpacked), which makes a venv there with the workshop's
requirements; and ``run_autograder``, which Gradescope copies to /autograder and runs for each
submission. Beside them, what grading needs of the workshop: its ``workshop`` package and
``requirements.txt``, and the points file when one is given. The scripts find every folder from
their own place, so the same zip also runs in a copy of that layout anywhere else.
"""

import os
import shlex
import zipfile
from pathlib import Path

from ... import ROOT
from ..outputs import atomic

SOURCES = ("workshop", "requirements.txt")
LEFT_OUT = {"__pycache__", ".pytest_cache", "class-board"}
POINTS = "points.toml"
EXECUTABLE = 0o100755 << 16
REGULAR = 0o100644 << 16

SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, from /autograder/source (the autograder zip, unpacked) when it
# builds the autograder: it makes venv/ there and installs the workshop's requirements into it.
set -euo pipefail
cd "$(dirname "$0")"
if ! python3 -c "import ensurepip" 2>/dev/null; then  # Ubuntu's python3 comes without venv's pip
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv
fi
if ! command -v bwrap >/dev/null 2>&1; then  # the jail, used when the container lets it make namespaces
  (apt-get update -qq \\
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends bubblewrap) || true
fi
python3 -c "from workshop import bootstrap; bootstrap.ensure()"
"""

RUN = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission from /autograder, where it sits beside source/ (the
# autograder zip), submission/ (the learner's upload) and results/ (where results.json goes).
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/source" && exec venv/bin/python -m workshop.grading.platforms.gradescope "$here"{arguments}
"""


def write(path, points_file=None, timeout=None):
    """Write the autograder zip to ``path``; ``points_file`` and ``timeout`` go to each submission's grading."""
    arguments = (["--points", POINTS] if points_file else []) + (["--timeout", f"{timeout:g}"] if timeout else [])
    with atomic.replacing(Path(path)) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        add(archive, "setup.sh", SETUP, EXECUTABLE)
        add(archive, "run_autograder", RUN.format(arguments="".join(" " + shlex.quote(a) for a in arguments)),
            EXECUTABLE)
        if points_file:
            add(archive, POINTS, Path(points_file).read_bytes(), REGULAR)
        for relative in source_files():
            archive.write(ROOT / relative, relative)


def add(archive, name, content, mode):
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = mode
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content)


def source_files():
    """The workshop's files that grading needs, relative to the workshop folder, in order."""
    for name in SOURCES:
        if (ROOT / name).is_file():
            yield name
            continue
        for here, dirs, files in os.walk(ROOT / name):
            dirs[:] = sorted(d for d in dirs if d not in LEFT_OUT)
            for file in sorted(files):
                yield Path(here, file).relative_to(ROOT).as_posix()
