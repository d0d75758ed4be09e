"""Unpack a zip file without trusting it: no path may escape, no bomb may fill the disk."""

import stat

CHUNK = 64 * 1024
MB = 1024 * 1024


class UnsafeArchive(ValueError):
    """The archive holds a path that could land outside the target, or unpacks to too much."""


def member_parts(info):
    """The path parts of a member, refusing absolute paths, ``..`` and drive letters."""
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or "\0" in name:
        raise UnsafeArchive(f"{info.filename!r} is an absolute path")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchive(f"{info.filename!r} climbs out of the folder with '..'")
    if any(":" in part for part in parts):
        raise UnsafeArchive(f"{info.filename!r} names a drive or a stream (':')")
    return parts


def is_special(info):
    """Whether a member is a link, a pipe or a device by its Unix file type (many zips record none)."""
    return stat.S_IFMT(info.external_attr >> 16) not in (0, stat.S_IFREG, stat.S_IFDIR)


def checked_members(archive, max_members):
    """Every member with its path parts; UnsafeArchive if any one is unsafe, or too many."""
    infos = archive.infolist()
    if len(infos) > max_members:
        raise UnsafeArchive(f"it holds {len(infos)} entries, more than {max_members}")
    return [(info, member_parts(info)) for info in infos]


def extract(archive, members, dest, max_bytes, max_files):
    """Write ``members`` ((info, relative parts) pairs) under ``dest``.

    The sizes declared in the archive are checked first, then the bytes actually
    unpacked are counted as they come, so a lying header cannot get past the cap.
    """
    files = [(info, parts) for info, parts in members if parts and not info.is_dir()]
    if len(files) > max_files:
        raise UnsafeArchive(f"it holds {len(files)} files, more than {max_files}")
    declared = sum(info.file_size for info, _ in files)
    if declared > max_bytes:
        raise UnsafeArchive(f"it would unpack to {declared // MB} MB, more than {max_bytes // MB} MB (a zip bomb?)")
    written = 0
    for info, parts in files:
        target = dest.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as sink:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    raise UnsafeArchive(f"it unpacks to more than {max_bytes // MB} MB (a zip bomb?)")
                sink.write(chunk)
