"""Landlock (Linux): a process confines itself, and all it starts afterwards, for good, without privileges.

``confine(read, write)`` lets the calling process read (and execute) only beneath the ``read`` paths and
write only beneath the ``write`` paths; from ABI 6 on it also scopes signals and abstract Unix sockets to its
own domain: it can neither signal nor connect to a process that was not confined with it (or after it).
Standard library only (ctypes and the raw system calls, whose numbers are the same on every architecture).
"""

import ctypes
import os
import stat
import sys

CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
READ = EXECUTE | READ_FILE | READ_DIR
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # what a rule on a file (not a folder) may give
SCOPED_ABI = 6  # signals and abstract Unix sockets scoped to the domain


class Unavailable(OSError):
    """Landlock cannot confine this process (too old a kernel, disabled, or refused)."""


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def syscall(*args):
    libc = ctypes.CDLL(None, use_errno=True)
    result = libc.syscall(*args)
    if result < 0:
        error = ctypes.get_errno()
        raise Unavailable(error, os.strerror(error))
    return result


def abi():
    """The Landlock ABI version of this kernel, or 0 where there is none."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        return syscall(ctypes.c_long(CREATE_RULESET), None, ctypes.c_size_t(0), ctypes.c_uint32(CREATE_RULESET_VERSION))
    except (Unavailable, AttributeError):
        return 0


def handled(version):
    """Every file-system right that ABI ``version`` knows: those not granted by a rule are refused."""
    rights = (1 << 13) - 1
    rights |= REFER if version >= 2 else 0
    rights |= TRUNCATE if version >= 3 else 0
    rights |= IOCTL_DEV if version >= 5 else 0
    return rights


def confine(read, write):
    """Confine this process (and what it starts) to reading beneath ``read`` and reading and writing beneath
    ``write`` (paths that do not exist are left out); scope its signals and abstract sockets from ABI 6 on.
    Raises Unavailable where the kernel cannot: the caller must not go on unconfined."""
    version = abi()
    if version < 1:
        raise Unavailable("this kernel has no Landlock")
    everything = handled(version)
    attr = RulesetAttr(everything, 0, SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if version >= SCOPED_ABI else 0)
    size = 24 if version >= SCOPED_ABI else 16 if version >= 4 else 8
    ruleset = syscall(ctypes.c_long(CREATE_RULESET), ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    try:
        for paths, rights in ((read, READ), (write, everything)):
            for path in paths:
                allow(ruleset, path, rights)
        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise Unavailable(ctypes.get_errno(), "no_new_privs could not be set")
        syscall(ctypes.c_long(RESTRICT_SELF), ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    return version


def allow(ruleset, path, rights):
    """Add the rule: ``rights`` beneath ``path`` (only a file's rights if it is not a folder)."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= FILE_RIGHTS
        rule = PathBeneathAttr(rights, fd)
        syscall(ctypes.c_long(ADD_RULE), ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule),
                ctypes.c_uint32(0))
    finally:
        os.close(fd)
