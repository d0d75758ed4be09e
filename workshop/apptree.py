"""The app's files as a tree {relative path: content}: written, read back and backed up.

Standard library only, and nothing here knows the solution: ``catchup`` uses it in the learner
edition too, where the checkpoints are shipped as files.
"""

import shutil
import time
from pathlib import Path

SKIPPED = {"__pycache__", ".pytest_cache"}


def write_tree(tree, dest):
    """Make ``dest`` hold exactly ``tree`` (files not in it are removed)."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    for relative, content in tree.items():
        path = dest / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")


def read_tree(folder):
    """The files under ``folder`` as ``release.render_tree`` maps them, for comparison."""
    folder = Path(folder)
    tree = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not SKIPPED.intersection(relative.parts):
            data = path.read_bytes()
            try:
                tree[relative.as_posix()] = data.decode("utf-8").replace("\r\n", "\n")
            except UnicodeDecodeError:
                tree[relative.as_posix()] = data
    return tree


def backup(app_dir):
    """Copy ``app_dir`` to a new timestamped folder beside it; return that folder."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = app_dir.with_name(f"{app_dir.name}.backup-{stamp}")
    number = 1
    while target.exists():
        number += 1
        target = app_dir.with_name(f"{app_dir.name}.backup-{stamp}-{number}")
    shutil.copytree(app_dir, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target
