"""Naming the learner's files in messages: paths relative to the folder holding the app."""

from pathlib import Path

from . import APP_NAME


def is_inside(filename, folder):
    """Whether ``filename`` lies inside ``folder``."""
    try:
        Path(filename).resolve().relative_to(Path(folder).resolve())
    except (ValueError, OSError):
        return False
    return True


def short_path(filename, app_parent):
    """``filename`` relative to ``app_parent`` ("part1_basic_app/pages.py"), or as it is."""
    try:
        return Path(filename).resolve().relative_to(Path(app_parent).resolve()).as_posix()
    except (ValueError, OSError):
        return str(filename)


def files_text(files):
    """"part1_basic_app/a.py and templates/b.html": the files once each, the package named once."""
    files = list(dict.fromkeys(f for f in files if f))
    short = [f if i == 0 else f.removeprefix(APP_NAME + "/") for i, f in enumerate(files)]
    return " and ".join(filter(None, [", ".join(short[:-1]), short[-1]])) if short else ""
