"""The learners' submissions: finding them, fingerprinting them, copying each app into a sandbox.

Each entry of the submissions folder is one learner: a folder or a ``.zip`` holding
``part1_basic_app/`` at its top or one folder down (a whole clone of the workshop is
fine, its ``venv/`` too); a folder that Moodle's or Canvas's bulk download was unpacked into
holds one learner per number in the names instead (downloads.py). Only ``part1_basic_app/`` and
the ``notebooks/`` beside it are taken, and of those only regular files: links, pipes, sockets
and devices are skipped, and a file is opened without following a link (see workshop/jailfiles.py).
The ``solutions/`` folder of a clone is never graded. A zip or folder without ``part1_basic_app/``
whose one package that defines ``create_app`` (read with ast, never imported) stands elsewhere, or
under another name, is graded with a flag saying what was off.
"""

import ast
import hashlib
import lzma
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from .. import APP_NAME
from .. import jailfiles
from .platforms.downloads import learner_names
from .platforms.downloads import Upload
from .platforms.downloads import uploads
from .safezip import checked_members
from .safezip import extract
from .safezip import is_special
from .safezip import MB
from .safezip import UnsafeArchive

TAKEN = (APP_NAME, "notebooks")
IGNORED = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", "__MACOSX"}
NOT_THE_LEARNERS = {"solutions"}  # a clone's reference app
BACKUP_PREFIX = f"{APP_NAME}.backup-"  # left beside the app by ``workshop catchup``
MAX_BYTES = 100 * MB
MAX_FILES = 5000
MAX_ZIP_ENTRIES = 100_000
MAX_INIT_BYTES = MB  # an __init__.py read to look for create_app
NOT_AN_APP = {"site-packages", "venv", "node_modules"}
DEFINES_CREATE_APP = re.compile(r"^\s*def\s+create_app\s*\(", re.MULTILINE)  # when ast cannot read the file


class Invalid(Exception):
    """The submission cannot be graded; the message says why, in plain words."""


@dataclass(frozen=True)
class Prepared:
    """A submission copied for grading: the app's parent folder, and what was left behind."""
    app_parent: Path
    skipped: list = field(default_factory=list)  # relative paths that are not regular files
    backups: list = field(default_factory=list)  # part1_basic_app.backup-* folders beside the app
    flags: list = field(default_factory=list)  # what was off in how the app was handed in


@dataclass(frozen=True)
class Submission:
    learner: str
    path: Path
    upload: Upload | None = None  # how a platform named it

    @property
    def is_zip(self):
        return self.path.is_file() and self.path.suffix.lower() == ".zip"


def printable(name):
    """A file name as text, with bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def discover(folder, exclude=(), people=None):
    """The submissions in ``folder``, one per visible entry but those in ``exclude``, sorted by learner.

    A learner's id is the entry's name (without .zip), made printable; should two entries
    get the same id, the next in byte order gets its full name, then a hash of its raw name.
    The hand-ins of a platform's download are one per learner, named after the roster's ``people``.
    """
    excluded = {Path(p).resolve() for p in exclude}
    entries = [
        entry for entry in sorted(Path(folder).iterdir(), key=lambda p: os.fsencode(p.name))
        if not (entry.name.startswith(".") or entry.name in IGNORED or entry.resolve() in excluded)
    ]
    handed, entries = uploads(entries)
    found = {}
    for upload, learner in learner_names(handed, people).items():
        found[learner] = Submission(learner, upload.path, upload)
    for entry in entries:
        stem = entry.name[:-4] if entry.name.lower().endswith(".zip") and entry.is_file() else entry.name
        digest = hashlib.sha256(os.fsencode(entry.name)).hexdigest()[:8]
        ids = (printable(stem), printable(entry.name), f"{printable(entry.name)} ~{digest}")
        learner = next(i for i in ids if i not in found)
        found[learner] = Submission(learner, entry)
    return sorted(found.values(), key=lambda s: s.learner)


def choose_root(candidates, what):
    """The folder (relative, "" for the top) whose part1_basic_app/ is graded; never a clone's solutions/."""
    if "" in candidates:
        return ""
    preferred = sorted(set(candidates) - NOT_THE_LEARNERS)
    if len(preferred) == 1:
        return preferred[0]
    if preferred:
        raise Invalid(f"{what} holds several {APP_NAME}/ folders ({', '.join(preferred)}): keep only yours.")
    raise Invalid(f"{what} has no {APP_NAME}/ folder of yours at its top or one folder down.")


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


def folder_app(folder):
    """(root, app, flags) of a submitted folder: the folder that holds part1_basic_app/; or, for a slip,
    the folder whose files are taken as part1_basic_app/ and the flag saying what was off."""
    try:
        return folder_root(folder), None, []
    except Invalid:
        if (slipped := slipped_app(folder_packages(folder), "The folder", "handed in")) is None:
            raise
        return folder, folder.joinpath(*slipped[0]), [slipped[1]]


def taken_files(root, skipped=None, app=None):
    """(relative path, file) for each regular file that grading takes from ``root``; of a slip's ``app``
    folder (see folder_app), its files alone, as part1_basic_app/.

    Links, pipes, sockets and devices are never opened: their relative paths go to ``skipped``.
    """
    tops = {APP_NAME: app} if app else {name: root / name for name in TAKEN}
    for name, top in tops.items():
        if not top.is_dir() or top.is_symlink():
            continue
        for here, dirs, files in os.walk(top):
            links = [d for d in dirs if os.path.islink(os.path.join(here, d))]
            dirs[:] = sorted(d for d in dirs if d not in links and not passed_over([d]))  # no venv/, .git/ ...
            for file in sorted(files + links):
                path = Path(here, file)
                relative = Path(name, path.relative_to(top))
                if stat.S_ISREG(path.lstat().st_mode):
                    yield relative, path
                elif skipped is not None:
                    skipped.append(relative.as_posix())


def taken_bytes(file):
    """The bytes of a taken file, read as a regular file without following a link (None if it is not one)."""
    try:
        return jailfiles.read(file, MAX_BYTES, "a file")
    except jailfiles.Refused:
        return None


def fingerprint(submission):
    """A hash of the submission's content: what grading takes from it."""
    try:
        return content_hash(submission)
    except Exception as exc:  # unreadable (or named as no file can be): grading will say so
        return f"unreadable-{type(exc).__name__}-{exc}"


def content_hash(submission):
    digest = hashlib.sha256()
    path = submission.path
    if submission.is_zip:
        with open(path, "rb") as file:
            while chunk := file.read(1024 * 1024):
                digest.update(chunk)
        return digest.hexdigest()
    if not path.is_dir():
        return f"not-a-submission-{path.stat().st_size}-{path.stat().st_mtime_ns}"
    try:
        root, app, _ = folder_app(path.resolve())
    except Invalid as exc:
        return hashlib.sha256(str(exc).encode()).hexdigest()
    total = 0
    for relative, file in taken_files(root, app=app):
        digest.update(os.fsencode(relative.as_posix()) + b"\0")
        total += file.lstat().st_size
        if total > MAX_BYTES:
            digest.update(b"too large")
            break
        digest.update(hashlib.sha256(taken_bytes(file) or b"").digest())
    return digest.hexdigest()


def prepare(submission, dest):
    """Copy what grading takes from the submission into ``dest``: a Prepared."""
    dest.mkdir(parents=True)
    if submission.is_zip:
        return unpack(submission.path, dest)
    if submission.path.is_dir():
        return copy(*folder_app(submission.path.resolve()), dest)
    raise Invalid(f"{printable(submission.path.name)} is neither a folder nor a .zip file.")


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


def copy(root, app, flags, dest):
    """Copy the taken files of a submitted folder (see folder_app), within the size caps."""
    count = total = 0
    skipped = []
    for relative, file in taken_files(root, skipped, app):
        count += 1
        total += file.lstat().st_size
        if count > MAX_FILES or total > MAX_BYTES:
            raise Invalid(f"The submission is too large (over {MAX_FILES} files or {MAX_BYTES // MB} MB).")
        data = taken_bytes(file)
        if data is None:  # no longer a regular file
            skipped.append(relative.as_posix())
            continue
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).write_bytes(data)
    backups = [] if app else sorted(p.name for p in root.glob(f"{BACKUP_PREFIX}*") if p.is_dir())
    return Prepared(dest, skipped, backups, flags)


def defines_create_app(source):
    """Whether Python ``source`` (bytes) defines ``create_app`` at its top level; parsed, never run."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return bool(DEFINES_CREATE_APP.search(source.decode("utf-8", "replace")))
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "create_app"
               for node in tree.body)


def passed_over(folders):
    """Whether a package in ``folders`` (path parts) is never the learner's app: a clone's solutions/, a venv's."""
    return bool(folders and folders[0] in NOT_THE_LEARNERS) or any(
        p.startswith(".") or p in IGNORED or p in NOT_AN_APP for p in folders)


def zip_packages(archive, members):
    """The path parts of each package in a zip whose __init__.py defines create_app."""
    for info, parts in members:
        if (parts and parts[-1] == "__init__.py" and not info.is_dir() and not is_special(info)
                and not passed_over(parts[:-1])):
            with archive.open(info) as file:
                if defines_create_app(file.read(MAX_INIT_BYTES)):
                    yield parts[:-1]


def folder_packages(folder):
    """The path parts of each package in a submitted folder whose __init__.py defines create_app.

    Links are never followed: a linked folder is not walked, a linked __init__.py not read.
    """
    seen = 0
    for here, dirs, files in os.walk(folder):
        folders = list(Path(here).relative_to(folder).parts)
        dirs[:] = sorted(d for d in dirs if not passed_over([*folders, d]))
        seen += len(dirs) + len(files)
        if seen > MAX_ZIP_ENTRIES:
            raise Invalid(f"The folder has no {APP_NAME}/ folder, and too many files to look for the app in.")
        if "__init__.py" in files and defines_create_app(init_source(Path(here))):
            yield folders


def init_source(package):
    """The start of ``package``'s __init__.py, read as a regular file without following a link (b"" if not one)."""
    try:
        with jailfiles.folder(package) as handle, jailfiles.open_file(handle, "__init__.py", "an __init__.py") as file:
            return file.read(MAX_INIT_BYTES)
    except (jailfiles.Refused, OSError):
        return b""


def slipped_app(packages, what, how):
    """(path parts, flag) of the one package among ``packages`` (path parts of each that defines create_app)
    of a submission without part1_basic_app/; None if there is none, Invalid if there are several.
    ``what`` names the submission ("The zip file"), ``how`` says how it came ("zipped")."""
    packages = list(packages)
    if len(packages) > 1:
        named = ", ".join("/".join(p) or "the top" for p in packages[:5])
        raise Invalid(f"{what} has no {APP_NAME}/ folder, and several packages define create_app ({named}):"
                      " keep only yours.")
    if not packages:
        return None
    prefix = packages[0]
    if not prefix:
        return prefix, f"the app's files were {how} without their folder"
    if prefix[-1] == APP_NAME:
        return prefix, f"the app folder was found at `{'/'.join(prefix)}`"
    return prefix, f"the app folder is named `{prefix[-1]}`"


def unpack(path, dest):
    """Unpack the taken members of a submitted zip, refusing unsafe paths and bombs.

    The caps apply to what is unpacked: a zip of a whole workshop folder, venv/ included, is fine.
    """
    flags = []
    try:
        with zipfile.ZipFile(path) as archive:
            members = checked_members(archive, MAX_ZIP_ENTRIES)
            if not [m for m in members if m[1] and not m[0].is_dir()]:
                raise Invalid("The zip file is empty.")
            try:
                prefix, renamed = zip_root(members), []
            except Invalid:
                if (slipped := slipped_app(zip_packages(archive, members), "The zip file", "zipped")) is None:
                    raise
                prefix, flags = slipped[0], [slipped[1]]
                renamed = [APP_NAME]  # the app's own files, put where the app is looked for
            below = [
                (info, renamed + parts[len(prefix):]) for info, parts in members
                if parts[:len(prefix)] == prefix and len(parts) > len(prefix)
            ]
            taken = [(info, parts) for info, parts in below if parts[0] in TAKEN and not IGNORED.intersection(parts)]
            skipped = ["/".join(parts) for info, parts in taken if is_special(info)]
            extract(archive, [(info, parts) for info, parts in taken if not is_special(info)], dest, MAX_BYTES,
                    MAX_FILES)
            backups = sorted({parts[0] for _, parts in below if parts[0].startswith(BACKUP_PREFIX) and len(parts) > 1})
    except UnsafeArchive as exc:
        raise Invalid(f"The zip file was refused: {exc}.") from None
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError, RuntimeError,
            OSError) as exc:
        raise Invalid(f"The zip file could not be read ({type(exc).__name__}: {exc}).") from None
    return Prepared(dest, skipped, backups, flags)
