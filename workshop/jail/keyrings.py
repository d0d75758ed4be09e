"""The kernel's keyrings, which Landlock does not guard: a lane's submissions must not share them.

A submission joins a new session keyring of its own (``own_session``); between two submissions the lane's
worker empties the user keyrings of the jail's user namespace (``clear_user``), where a key added by one
submission would wait for the next. Standard library only: the keyctl system call, by its number.
"""

import ctypes
import os
import platform

KEYCTL = {"x86_64": 250, "aarch64": 219}.get(platform.machine())  # the system call's number
JOIN_SESSION_KEYRING, CLEAR = 1, 7
USER_KEYRING, USER_SESSION_KEYRING = -4, -5
SUPPORTED = KEYCTL is not None


def keyctl(operation, *args):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(ctypes.c_long(KEYCTL), ctypes.c_int(operation), *args) < 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def own_session():
    """Join a new, anonymous session keyring: what this process and its children add there is theirs alone."""
    keyctl(JOIN_SESSION_KEYRING, None)


def clear_user():
    """Remove every key of the user keyring and the user session keyring (of this user namespace)."""
    for keyring in (USER_KEYRING, USER_SESSION_KEYRING):
        try:
            keyctl(CLEAR, ctypes.c_int(keyring))
        except OSError:
            pass
