"""The submissions as Moodle and Canvas hand them over: who each file belongs to, and which one to grade.

Moodle's "Download all submissions" (mod/assign, ``download_submissions``) names each file
``<full name>_<participant number>_assignsubmission_file_<file name>``, or, with "Download submissions
in folders", puts a learner's files in ``<full name>_<participant number>_assignsubmission_file``
(a trailing ``_`` before Moodle 4.1). The full name has its ``_`` made spaces; the participant number
is the one of the grading worksheet's "Participant 12".

Canvas's "Download Submissions" (lib/content_zipper.rb) names each file
``<sortable name>[_LATE]_<user ID>_<attachment ID>_<file name>``: the sortable name ("Lovelace, Ada")
lower-cased with everything but letters, digits and ``_`` removed. Canvas's re-upload reads back the
first two all-digit parts as the user and the attachment.

A learner's files are grouped by that number. The zip that holds the app is graded: of several, the
latest (the highest attachment ID on Canvas, the newest file on Moodle), and a flag says so; a Moodle
folder without a zip is graded as a folder.
"""

import os
import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..outputs.roster import match_key
from ..safezip import checked_members
from ..safezip import extract
from ..safezip import MB

MOODLE_FILE = re.compile(r"(?P<name>[^_]*)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z0-9]+)_(?P<file>.+)")
MOODLE_FOLDER = re.compile(r"(?P<name>[^_]*)_(?P<id>\d+)_assignsubmission_(?P<plugin>[a-z0-9]+)_?")
CANVAS_FILE = re.compile(r"(?P<name>.*?)(?P<late>_LATE)?_(?P<id>\d+)_(?P<attachment>\d+)_(?P<file>.+)", re.IGNORECASE)
MOODLE_REMOVED = re.compile(r"""[\x00-\x1f\x7f&<>"`|':\\/]""")  # what clean_filename (PARAM_FILE) takes out
DOWNLOAD_MAX_BYTES = 2000 * MB
DOWNLOAD_MAX_FILES = 200_000


@dataclass(frozen=True)
class Upload:
    """One learner's hand-in, as a platform named it."""
    platform: str  # "moodle" or "canvas"
    id: str  # Moodle's participant number, Canvas's user ID
    name: str  # the name in the file names
    path: Path  # what is graded: a zip, or a folder
    file: str = ""  # the graded file's own name
    attachment: str = ""  # Canvas's attachment ID of the graded file
    late: bool = False
    others: tuple = ()  # the learner's other zips, left ungraded

    @property
    def flags(self):
        flags = []
        if self.others:
            flags.append(f"{len(self.others) + 1} zip files handed in ({', '.join((self.file, *self.others))}):"
                         f" the latest, {self.file}, was graded")
        if self.late:
            flags.append("handed in late (Canvas marks it LATE)")
        return flags

    def record(self):
        """What the feedback zips need to be named as the platform reads them back."""
        return {"platform": self.platform, "id": self.id, "name": self.name, "attachment": self.attachment,
                "late": self.late}


def uploads(entries):
    """(Upload per learner, entries that are no platform's hand-in) for a folder's ``entries``."""
    moodle, canvas, other = {}, {}, []
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink() and (found := MOODLE_FOLDER.fullmatch(entry.name)):
            learner = moodle.setdefault(found["id"], {"name": found["name"], "files": [], "folders": []})
            learner["files"] += [(child.name, child) for child in sorted(entry.iterdir())]
            learner["folders"].append(entry)
        elif entry.is_file() and (found := MOODLE_FILE.fullmatch(entry.name)):
            learner = moodle.setdefault(found["id"], {"name": found["name"], "files": [], "folders": []})
            learner["files"].append((found["file"], entry))
        elif entry.is_file() and (found := CANVAS_FILE.fullmatch(entry.name)):
            canvas.setdefault(found["id"], []).append((found, entry))
        else:
            other.append(entry)
    found = [moodle_upload(number, **learner) for number, learner in moodle.items()]
    return found + [canvas_upload(files) for files in canvas.values()], other


def moodle_upload(number, name, files, folders):
    """The Upload of one Moodle learner: the newest zip, else their folder (or first file)."""
    zips = sorted(((own, path) for own, path in files if own.lower().endswith(".zip") and path.is_file()),
                  key=lambda item: (item[1].stat().st_mtime, item[0]), reverse=True)
    if zips:
        return Upload("moodle", number, name, zips[0][1], zips[0][0], others=tuple(own for own, _ in zips[1:]))
    if folders:
        return Upload("moodle", number, name, folders[0], folders[0].name)
    return Upload("moodle", number, name, files[0][1], files[0][0])


def canvas_upload(files):
    """The Upload of one Canvas learner: the zip with the highest attachment ID (the last one sent)."""
    ordered = sorted(files, key=lambda item: int(item[0]["attachment"]), reverse=True)
    zips = [(found, path) for found, path in ordered if found["file"].lower().endswith(".zip")] or ordered
    chosen, path = zips[0]
    return Upload("canvas", chosen["id"], chosen["name"], path, chosen["file"], chosen["attachment"],
                  late=any(found["late"] for found, _ in files), others=tuple(found["file"] for found, _ in zips[1:]))


def name_keys(name):
    """The forms a name takes in a platform's file names, the name itself first: as Moodle's clean_filename
    leaves it, and as Canvas leaves a sortable name ("lovelaceada"), either way round."""
    key = match_key(name)
    words = re.sub(r"[^\w\s]", "", key).split()
    forms = [key, match_key(MOODLE_REMOVED.sub("", key)), "".join(words), "".join(words[-1:] + words[:-1]),
             "".join(words[1:] + words[:1])]
    return list(dict.fromkeys(forms))


def learner_names(found, people=None):
    """{Upload: learner name}: the roster's name for the platform's number, else for the name in the files,
    else that name; a name two learners share gets the number after it."""
    by_number = {(p.platform, p.platform_id): p for p in people or () if p.platform_id}
    by_name = {}
    for person in people or ():
        for key in name_keys(person.name) if person.name else ():
            by_name.setdefault(key, person)
    names = {}
    for upload in found:
        person = by_number.get((upload.platform, upload.id)) or next(
            (by_name[key] for key in name_keys(upload.name) if key in by_name), None)
        names[upload] = person.name if person and person.name else upload.name or upload.id
    counts = {}
    for name in names.values():
        counts[match_key(name)] = counts.get(match_key(name), 0) + 1
    return {upload: f"{name} ({upload.id})" if counts[match_key(name)] > 1 else name for upload, name in names.items()}


def unpack_download(archive_path, dest):
    """Unpack a platform's bulk download into ``dest`` (replaced), keeping each file's time; ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with zipfile.ZipFile(archive_path) as archive:
        members = checked_members(archive, DOWNLOAD_MAX_FILES)
        extract(archive, members, dest, DOWNLOAD_MAX_BYTES, DOWNLOAD_MAX_FILES)
        for info, parts in members:
            target = dest.joinpath(*parts)
            if parts and not info.is_dir() and target.is_file() and (stamp := timestamp(info)) is not None:
                os.utime(target, (stamp, stamp))
    return dest


def timestamp(info):
    """The time a zip member was last changed (what makes a learner's newest file the newest), or None."""
    try:
        return datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError):  # a date no calendar has (month 0), as a broken zip may hold
        return None
