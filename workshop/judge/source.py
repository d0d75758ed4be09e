"""The learner's code read as text (parsed with ``ast``, never run), within caps.

The files are the learner's (and the app may have added some while it ran): each is read as a
regular file without following links (see workshop/jailfiles.py), and what is parsed is capped,
so that a folder of huge files costs the judge a fraction of a second, not minutes.
"""

import ast
import functools
import os
import stat
from pathlib import Path

from .. import APP_NAME
from .. import jailfiles

FILE_BYTES = 512 * 1024  # a Python file larger than this is not read (the app's largest is a few kB)
TOTAL_BYTES = 2 * jailfiles.MB  # all the files read for one question
MAX_FILES = 500
MAX_LITERALS = 2000  # string literals tried as the secret key
MAX_LITERAL_LENGTH = 200
PARSED_FILES = 64  # syntax trees kept: a run's files


def python_files(folder):
    """The .py files below ``folder``, sorted, without following a link to a folder (at most MAX_FILES)."""
    found = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found.extend(Path(here, f) for f in sorted(files) if f.endswith(".py"))
        if len(found) >= MAX_FILES:
            break
    return sorted(found)[:MAX_FILES]


def text_of(path):
    """The bytes of the learner's file ``path``, or None when it is not a regular file or over FILE_BYTES."""
    try:
        return jailfiles.read(path, FILE_BYTES, "a Python file")
    except (jailfiles.Refused, OSError):
        return None


def modules(app_parent, folder=APP_NAME):
    """(path, syntax tree) of each Python file below ``folder`` of the app that is read within the caps and parses,
    in the order of their paths; where the files are over TOTAL_BYTES together, the smallest are read."""
    left, chosen = TOTAL_BYTES, []
    for size, path in sorted((size_of(p), p) for p in python_files(Path(app_parent).resolve() / folder)):
        if size <= min(FILE_BYTES, left):
            left -= size
            chosen.append(path)
    for path in sorted(chosen):
        tree = parsed(path, stamp(path))
        if tree is not None:
            yield path, tree


def stamp(path):
    """What changes when the file ``path`` does (its inode, size and times), or None when it cannot be read."""
    try:
        status = path.lstat()
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


@functools.lru_cache(maxsize=PARSED_FILES)
def parsed(path, stamp):
    """The syntax tree of the file ``path`` as it was at ``stamp``, or None: each file is parsed once, however
    many checks read it (the trees are only read)."""
    data = text_of(path) if stamp is not None else None
    if data is None:
        return None
    try:
        return ast.parse(data, filename=str(path))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


@functools.lru_cache(maxsize=PARSED_FILES)
def nodes(tree):
    """Every node of ``tree`` (from ``parsed``), listed once however many checks walk it."""
    return tuple(ast.walk(tree))


def size_of(path):
    """The size of the regular file ``path``, as listed (larger than any cap when it is not one)."""
    try:
        status = path.lstat()
    except OSError:
        return TOTAL_BYTES + 1
    return status.st_size if stat.S_ISREG(status.st_mode) else TOTAL_BYTES + 1


def constants(app_parent):
    """The string and bytes literals in the app's code, once each: the first MAX_LITERALS short enough to be a key."""
    found = {}
    for _, tree in modules(app_parent):
        for node in nodes(tree):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, (str, bytes)) and 0 < len(value) <= MAX_LITERAL_LENGTH:
                found.setdefault(value, None)
                if len(found) >= MAX_LITERALS:
                    return list(found)
    return list(found)


def imports_of(app_parent, name):
    """The files of the app (relative to ``app_parent``) that import ``name`` or one of its modules."""
    found = []
    for path, tree in modules(app_parent):
        for node in nodes(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            called = isinstance(node, ast.Call) and isinstance(node.args[0] if node.args else None, ast.Constant)
            if called and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("__import__", "import_module"):
                names.append(str(node.args[0].value))
            if any(n == name or n.startswith(name + ".") for n in names):
                found.append(path.relative_to(Path(app_parent).resolve()).as_posix())
                break
    return found
