"""Sharing a stage among processes: one per core, forked so workers read the parent's data.

Workers are plain forked processes, each sending its one result back through a pipe. If this
process is interrupted (Ctrl-C, an error in its own share), the workers are killed at once, not
waited for; if it is killed, they die with it (PR_SET_PDEATHSIG), so none writes on afterwards.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from .libc import libc
from .problems import BuildError

T = TypeVar("T")
R = TypeVar("R")
_PR_SET_PDEATHSIG = 1


def parts(items: int, per_process: int) -> int:
    """How many processes share `items`: one per core, but one per `per_process` items at most
    (below that a second process costs more than it saves)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, items // per_process))


def map_forked(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """[function(item) for item in items]: the first here, each other one in a forked process.

    An exception in a worker is raised here; a worker that dies is a BuildError.
    """
    context = multiprocessing.get_context("fork")
    workers: list[tuple[Any, Connection]] = []
    try:
        for item in items[1:]:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(function, item, sender), daemon=True)
            process.start()
            sender.close()
            workers.append((process, receiver))
        results = [function(items[0])] if items else []
        for process, receiver in workers:
            try:
                ok, value = receiver.recv()
            except EOFError:
                process.join()
                raise BuildError(
                    f"a worker process died (exit code {process.exitcode}); nothing was changed"
                ) from None
            if not ok:
                raise value
            results.append(value)
        for process, _ in workers:
            process.join()
        return results
    except BaseException:
        for process, _ in workers:
            if process.is_alive():
                process.kill()
        for process, _ in workers:
            process.join()
        raise


class Computing(Generic[R]):
    """A value being computed in a forked process beside this one (`compute_forked`)."""

    def __init__(self, process: Any, receiver: Connection) -> None:
        self._process = process
        self._receiver = receiver

    def result(self, fallback: R) -> R:
        """The value, once computed; `fallback` if computing it raised or its process died.

        For work this process could do itself: its failure is not the caller's.
        """
        try:
            ok, value = self._receiver.recv()
        except EOFError:
            ok, value = False, None
        finally:
            self._receiver.close()
            self._process.join()
        return value if ok else fallback

    def cancel(self) -> None:
        """Stop computing if it still is: the value is not wanted."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receiver.close()

    def __enter__(self) -> Computing[R]:
        return self

    def __exit__(self, *_exception: object) -> None:
        self.cancel()


def compute_forked(function: Callable[[], R]) -> Computing[R]:
    """Start computing `function()` in a forked process and return at once; its `result()` is
    sent back through a pipe (pickled). For work that needs none of what this process does
    meanwhile, on the second core while this one is busy."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(_call, function, sender), daemon=True)
    process.start()
    sender.close()
    return Computing(process, receiver)


def _call(function: Callable[[], R]) -> R:
    return function()


def _child(function: Callable[[T], R], item: T, sender: Connection) -> None:
    _die_with_parent()
    try:
        result: tuple[bool, object] = (True, function(item))
    except BaseException as error:  # sent to the parent, which raises it
        result = (False, error)
    sender.send(result)
    sender.close()


def _die_with_parent() -> None:
    prctl = getattr(libc(), "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
