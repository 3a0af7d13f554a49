"""Sharing a stage among processes: one per core, forked so workers read the parent's data."""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


def parts(items: int, per_process: int) -> int:
    """How many processes share `items`: one per core, but one per `per_process` items at most
    (below that a second process costs more than it saves)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, items // per_process))


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """Forked workers that die with this process, even by SIGKILL, and leave Ctrl-C to it."""
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with_parent)


def _die_with_parent() -> None:
    libc_name = ctypes.util.find_library("c")
    if libc_name is not None:
        ctypes.CDLL(libc_name).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
