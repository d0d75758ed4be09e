"""Files that learner code could have changed, read and copied without following it anywhere.

A link, a pipe, a socket or a device where the judge expects a file is the learner's doing:
it is never opened. Where the system allows (``dir_fd``, ``O_NOFOLLOW``), a path is walked
from / one folder at a time, so that no link on the way is followed either; the callers hand
in paths under folders they resolved before any learner code ran. A file is read only as a
regular file, and only up to a cap.
"""

import contextlib
import errno
import os
import stat

MB = 1024 * 1024
NO_LINK = getattr(os, "O_NOFOLLOW", 0)
FILE_FLAGS = os.O_RDONLY | NO_LINK | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY",
                                                                            0) | getattr(os, "O_BINARY", 0)
FOLDER_FLAGS = os.O_RDONLY | NO_LINK | getattr(os, "O_DIRECTORY", 0)
WALKS = hasattr(os, "O_NOFOLLOW") and os.open in os.supports_dir_fd and os.scandir in os.supports_fd


class Refused(Exception):
    """A file that is not a regular file, lies behind a link, or is over its cap; the text says which."""


@contextlib.contextmanager
def folder(path):
    """A handle of the folder ``path``: a file descriptor reached from / without following a link,
    or the path where the system cannot walk so."""
    if not WALKS:
        yield os.fspath(path)
        return
    fd = os.open("/", FOLDER_FLAGS)
    try:
        for part in [p for p in os.path.abspath(path).split(os.sep) if p]:
            try:
                inner = os.open(part, FOLDER_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise Refused(f"{path} is not a folder: {part} is a link or a file") from None
                raise
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def at(handle, name):
    """(name, dir_fd) of ``name`` in the folder ``handle``: a file descriptor, or a path where the system cannot."""
    return (name, handle) if isinstance(handle, int) else (os.path.join(handle, name), None)


def open_file(handle, name, what):
    """A file object of the regular file ``name`` in the folder ``handle``; Refused if it is anything else."""
    target, dir_fd = at(handle, name)
    try:
        fd = os.open(target, FILE_FLAGS, dir_fd=dir_fd) if dir_fd is not None else os.open(unlinked(target), FILE_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused(f"{what} is a link: it was not followed") from None
        raise
    file = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        file.close()
        raise Refused(f"{what} is not a regular file (a pipe, a device or a folder): it was not read")
    return file


@contextlib.contextmanager
def sub_folder(handle, name):
    """The folder ``name`` in the folder ``handle``, as a handle of its own, reached without following a link."""
    target, dir_fd = at(handle, name)
    if dir_fd is None:
        yield unlinked(target)
        return
    fd = os.open(target, FOLDER_FLAGS, dir_fd=dir_fd)
    try:
        yield fd
    finally:
        os.close(fd)


def unlinked(path):
    """``path``, if it is not a link (where the system cannot open a file without following one)."""
    if os.path.islink(path):
        raise Refused(f"{path} is a link: it was not followed")
    return path


def read(path, max_bytes, what="the file"):
    """The bytes of the regular file ``path``; Refused if it is anything else, or over ``max_bytes``."""
    parent, name = os.path.split(os.fspath(path))
    with folder(parent) as handle, open_file(handle, name, f"{what} ({path})") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Refused(f"{what} ({path}) is over the cap of {size_text(max_bytes)}: it was not read")
    return data


def replace(path, data):
    """Put ``data`` at ``path`` as a new regular file: whatever was there (a link too) is replaced, never followed."""
    parent, name = os.path.split(os.fspath(path))
    with folder(parent) as handle:
        (new, dir_fd), (target, _) = at(handle, f".{name}.{os.getpid()}.new"), at(handle, name)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(new, dir_fd=dir_fd)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_LINK | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(new, flags, 0o644, dir_fd=dir_fd), "wb") as file:
            file.write(data)
        os.replace(new, target, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)


def copy_tree(source, dest, ignore=(), max_bytes=100 * MB):
    """Copy the folder ``source`` to ``dest`` (made here): folders and regular files only, no link followed;
    links, pipes, sockets and devices are left out. Refused past ``max_bytes`` in all. The paths left out."""
    skipped = []
    os.makedirs(os.path.dirname(os.fspath(dest)), exist_ok=True)
    with folder(source) as handle:
        left = copy_folder(handle, os.fspath(dest), "", ignore, skipped, max_bytes)
    if left < 0:
        raise Refused(f"the app's folder holds over {size_text(max_bytes)}: it was not copied")
    return skipped


def copy_folder(handle, target, relative, ignore, skipped, left):
    """Copy the folder ``handle`` to ``target``, up to ``left`` bytes: how many bytes were left (below 0: over)."""
    os.mkdir(target)
    with os.scandir(handle) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        here = os.path.join(relative, entry.name)
        if entry.name in ignore or left < 0:
            continue
        if entry.is_dir(follow_symlinks=False):
            with sub_folder(handle, entry.name) as inner:
                left = copy_folder(inner, os.path.join(target, entry.name), here, ignore, skipped, left)
        elif entry.is_file(follow_symlinks=False):
            with open_file(handle, entry.name, here) as file:
                data = file.read(left + 1)
            left -= len(data)
            with open(os.path.join(target, entry.name), "wb") as copy:
                copy.write(data)
        else:
            skipped.append(here)
    return left


def size_text(size):
    return f"{size // MB} MB" if size >= MB else f"{size // 1024} kB"
