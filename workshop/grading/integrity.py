"""What deserves an instructor's look, beside the points: flags worked out for the whole class.

Each graded app gets a digest of its files with whitespace and line endings normalised away.
An app whose digest is that of a catch-up checkpoint (``workshop catchup N`` writes it) or
of another learner's app is flagged, and so is one with ``part1_basic_app.backup-*`` folders
beside it (what catch-up leaves), and so is one whose learner-written code is alike another's
or the solution's beyond a threshold (similarity.py). Flags are short texts in ``record["flags"]``.
"""

import functools
import hashlib
import os
from pathlib import Path

from .. import STEPS
from ..release import render_tree
from . import similarity
from .submissions import IGNORED

GROUP_NAMES_SHOWN = 5


WHITESPACE = b" \t\n\r\x0b\x0c"  # what bytes.split() splits on
SPACED = bytes.maketrans(WHITESPACE, b" " * len(WHITESPACE))


def normalised(content):
    """File content with every run of whitespace (line endings included) made one space, none at either end.

    Two copies of the content at most: splitting it would make an object of every word.
    """
    content = content.translate(SPACED)
    for run in (b" " * 64, b" " * 8, b" " * 2):  # the long runs shrink in a few passes, then the short ones
        while run in content:
            content = content.replace(run, b" ")
    return content.strip(b" ")


def tree_digest(files):
    """The digest of (relative path, bytes) pairs, whitespace normalised."""
    digest = hashlib.sha256()
    for relative, content in sorted(files):
        digest.update(os.fsencode(relative) + b"\0")
        digest.update(hashlib.sha256(normalised(content)).digest())
    return digest.hexdigest()


def app_digest(app_folder):
    """The digest of the app in ``app_folder`` (a graded copy: regular files only)."""
    files = []
    for here, dirs, names in os.walk(app_folder):
        dirs[:] = [d for d in dirs if d not in IGNORED]
        for name in names:
            path = Path(here, name)
            files.append((path.relative_to(app_folder).as_posix(), path.read_bytes()))
    return tree_digest(files)


def checkpoint_digest(step):
    """The digest of the app as ``workshop catchup STEP`` writes it."""
    tree = render_tree(step)
    return tree_digest((path, text if isinstance(text, bytes) else text.encode("utf-8")) for path, text in tree.items())


@functools.cache
def checkpoints():
    """{digest: step} for every catch-up checkpoint (0 is the starter)."""
    return {checkpoint_digest(step): step for step in (0, *STEPS)}


def flagged(records):
    """The records, each with the flags of the class-wide look added to its own ``flags``."""
    groups = {}
    for record in records:
        if record.get("digest"):
            groups.setdefault(record["digest"], []).append(record["learner"])
    records = [{**record, "flags": [*record.get("flags", []), *flags_of(record, groups)]} for record in records]
    return similarity.flagged(records, checkpoint_digests=checkpoints())


def flags_of(record, groups):
    """The class-wide flags of one record; ``groups`` maps each digest to the learners who have it."""
    flags = []
    step = checkpoints().get(record.get("digest"))
    if step is not None:
        flags.append(f"identical to the catch-up checkpoint of step {step}")
    others = sorted(learner for learner in groups.get(record.get("digest"), []) if learner != record["learner"])
    if others:
        named = ", ".join(others[:GROUP_NAMES_SHOWN])
        if len(others) > GROUP_NAMES_SHOWN:
            named += f" and {len(others) - GROUP_NAMES_SHOWN} more"
        flags.append(f"identical to the submission of {named}")
    if record.get("backups"):
        flags.append(f"catch-up was used ({', '.join(record['backups'])} beside the app)")
    return flags
