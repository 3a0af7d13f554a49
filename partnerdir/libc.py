"""The C library's calls that Python's os module lacks (prctl, renameat2), on Linux."""

from __future__ import annotations

import ctypes
import functools
import sys


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The C library this process runs with; None where partnerdir does not call it (not Linux).

    The process's own symbols, libc's among them (dlopen of no file): not
    `ctypes.util.find_library("c")`, which runs `ldconfig -p` in a new process to find a file
    name each time it is asked (5 ms, in every forked worker as it starts).
    """
    if not sys.platform.startswith("linux"):
        return None
    return ctypes.CDLL(None, use_errno=True)
