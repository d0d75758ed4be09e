"""The learners' submissions: finding them, fingerprinting them, copying each app into a sandbox.

Each entry of the submissions folder is one learner: a folder or a ``.zip`` holding
``part1_basic_app/`` at its top or one folder down (a whole clone of the workshop is
fine). Only ``part1_basic_app/`` and the ``notebooks/`` beside it are taken.
"""

import hashlib
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .. import APP_NAME
from .safezip import MB, UnsafeArchive, checked_members, extract

TAKEN = (APP_NAME, "notebooks")
IGNORED = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", "__MACOSX"}
MAX_BYTES = 100 * MB
MAX_FILES = 5000
MAX_ZIP_BYTES = 50 * MB
MAX_ZIP_ENTRIES = 100_000


class Invalid(Exception):
    """The submission cannot be graded; the message says why, in plain words."""


@dataclass(frozen=True)
class Submission:
    learner: str
    path: Path

    @property
    def is_zip(self):
        return self.path.is_file() and self.path.suffix.lower() == ".zip"


def printable(name):
    """A file name as text, with bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def discover(folder, exclude=()):
    """The submissions in ``folder``, one per visible entry, sorted by learner."""
    excluded = {Path(p).resolve() for p in exclude}
    found, learners = [], set()
    for entry in sorted(Path(folder).iterdir(), key=lambda p: os.fsencode(p.name)):
        if entry.name.startswith(".") or entry.name in IGNORED or entry.resolve() in excluded:
            continue
        learner = printable(entry.name[:-4] if entry.name.lower().endswith(".zip") and entry.is_file() else entry.name)
        if learner in learners:
            learner = printable(entry.name)
        learners.add(learner)
        found.append(Submission(learner, entry))
    return sorted(found, key=lambda s: s.learner)


def choose_root(candidates, what):
    """The folder (relative, "" for the top) whose part1_basic_app/ is graded."""
    if "" in candidates:
        return ""
    preferred = [c for c in candidates if c != "solutions"] or list(candidates)
    if len(preferred) == 1:
        return preferred[0]
    if preferred:
        raise Invalid(f"{what} holds several {APP_NAME}/ folders ({', '.join(sorted(preferred))}): keep only yours.")
    raise Invalid(f"{what} has no {APP_NAME}/ folder at its top or one folder down.")


def folder_root(folder):
    """The folder inside ``folder`` that holds part1_basic_app/."""
    entries = [p for p in folder.iterdir() if not p.name.startswith(".") and p.name not in IGNORED]
    if not entries:
        raise Invalid("The folder is empty.")
    if (folder / APP_NAME).is_dir() and not (folder / APP_NAME).is_symlink():
        return folder
    candidates = [
        p.name for p in entries
        if p.is_dir() and not p.is_symlink() and (p / APP_NAME).is_dir() and not (p / APP_NAME).is_symlink()
    ]
    return folder / choose_root(candidates, "The folder")


def taken_files(root):
    """(relative path, file) for each file that grading takes from ``root``; symlinks are left out."""
    for name in TAKEN:
        top = root / name
        if not top.is_dir() or top.is_symlink():
            continue
        for here, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if d not in IGNORED and not os.path.islink(os.path.join(here, d)))
            for file in sorted(files):
                path = Path(here, file)
                if not path.is_symlink():
                    yield path.relative_to(root), path


def fingerprint(submission):
    """A hash of the submission's content: what grading takes from it."""
    try:
        return content_hash(submission)
    except OSError as exc:  # unreadable: grading will say so
        return f"unreadable-{exc}"


def content_hash(submission):
    digest = hashlib.sha256()
    path = submission.path
    if submission.is_zip:
        if path.stat().st_size > MAX_ZIP_BYTES:
            return f"too-large-{path.stat().st_size}-{path.stat().st_mtime_ns}"
        with open(path, "rb") as file:
            while chunk := file.read(1024 * 1024):
                digest.update(chunk)
        return digest.hexdigest()
    if not path.is_dir():
        return f"not-a-submission-{path.stat().st_size}-{path.stat().st_mtime_ns}"
    try:
        root = folder_root(path)
    except Invalid as exc:
        return hashlib.sha256(str(exc).encode()).hexdigest()
    total = 0
    for relative, file in taken_files(root):
        digest.update(os.fsencode(relative.as_posix()) + b"\0")
        total += file.stat().st_size
        if total > MAX_BYTES:
            digest.update(b"too large")
            break
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def prepare(submission, dest):
    """Copy what grading takes from the submission into ``dest``; the app's parent folder."""
    dest.mkdir(parents=True)
    if submission.is_zip:
        unpack(submission.path, dest)
    elif submission.path.is_dir():
        copy(folder_root(submission.path), dest)
    else:
        raise Invalid(f"{printable(submission.path.name)} is neither a folder nor a .zip file.")
    return dest


def zip_root(members):
    """The path parts of the folder in the zip that holds part1_basic_app/."""
    candidates = set()
    for _, parts in members:
        if len(parts) > 1 and parts[0] == APP_NAME:
            candidates.add("")
        elif len(parts) > 2 and parts[1] == APP_NAME and not parts[0].startswith(".") and parts[0] not in IGNORED:
            candidates.add(parts[0])
    root = choose_root(candidates, "The zip file")
    return [root] if root else []


def copy(root, dest):
    """Copy the taken files of a submitted folder, within the size caps."""
    count = total = 0
    for relative, file in taken_files(root):
        count += 1
        total += file.stat().st_size
        if count > MAX_FILES or total > MAX_BYTES:
            raise Invalid(f"The submission is too large (over {MAX_FILES} files or {MAX_BYTES // MB} MB).")
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, dest / relative)


def unpack(path, dest):
    """Unpack the taken members of a submitted zip, refusing unsafe paths and bombs."""
    if path.stat().st_size > MAX_ZIP_BYTES:
        raise Invalid(f"The zip file is larger than {MAX_ZIP_BYTES // MB} MB.")
    try:
        with zipfile.ZipFile(path) as archive:
            members = checked_members(archive, MAX_ZIP_ENTRIES)
            if not [m for m in members if m[1] and not m[0].is_dir()]:
                raise Invalid("The zip file is empty.")
            prefix = zip_root(members)
            taken = [
                (info, parts[len(prefix):]) for info, parts in members
                if parts[:len(prefix)] == prefix and len(parts) > len(prefix) and parts[len(prefix)] in TAKEN
                and not IGNORED.intersection(parts)
            ]
            extract(archive, taken, dest, MAX_BYTES, MAX_FILES)
    except UnsafeArchive as exc:
        raise Invalid(f"The zip file was refused: {exc}.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        raise Invalid(f"The zip file could not be read ({type(exc).__name__}: {exc}).") from None
