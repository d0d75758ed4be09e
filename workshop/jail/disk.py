"""A size-limited disk for a grading lane: what a submission may write, its copy included, is capped.

As root on Linux, a lane's judge process makes a mount namespace of its own and grades in a tmpfs
of DISK_MB mounted there (the copy of the submission, its jail's writable folder, the judge's
scratch files): a submission that fills it gets "No space left on device", and the tmpfs is gone
with the lane, however it ends. Elsewhere (an ordinary user cannot mount) there is no such folder:
each file is capped by RLIMIT_FSIZE, the total is not.
"""

import ctypes
import os
import sys
import tempfile

DISK_MB = 512
CLONE_NEWNS = 0x00020000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18


def own_folder(prefix):
    """Grade in a new tmpfs of DISK_MB (tempfile's folder from now on) and return its path; None where it cannot be."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return None
    folder = tempfile.mkdtemp(prefix=prefix)
    libc = ctypes.CDLL(None, use_errno=True)
    if (libc.unshare(CLONE_NEWNS) != 0  # a single-threaded process only
            or libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0  # no mount of ours reaches the machine
            or libc.mount(b"workshop", os.fsencode(folder), b"tmpfs", 0, f"size={DISK_MB}m,mode=700".encode()) != 0):
        os.rmdir(folder)
        return None
    tempfile.tempdir = folder
    return folder
