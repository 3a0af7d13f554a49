"""Sharing a stage among processes: one per core, forked so workers read the parent's data;
and work done in a thread that takes only a core left idle (`in_idle_thread`).

Workers are plain forked processes. Given a share each (`map_forked`), each sends its one
result back through a pipe; sharing chunks (`map_chunks`), each takes the next chunk as it is
free and writes each result to a file this process reads as it comes. If this process is
interrupted (Ctrl-C, an error in its own share), the workers are killed at once, not waited
for; if it is killed, they die with it (PR_SET_PDEATHSIG), so none writes on afterwards.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, BinaryIO, Generic, TypeVar

from .libc import libc
from .problems import BuildError

T = TypeVar("T")
R = TypeVar("R")
_PR_SET_PDEATHSIG = 1


def parts(items: int, per_process: int) -> int:
    """How many processes share `items`: one per core, but one per `per_process` items at most
    (below that a second process costs more than it saves)."""
    return max(1, min(cores(), items // per_process))


def cores() -> int:
    """The cores this process may run on."""
    found = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return found or 1


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
        results += [_worker_result(process, receiver) for process, receiver in workers]
        for process, _ in workers:
            process.join()
        return results
    except BaseException:
        _kill(process for process, _ in workers)
        raise


#: The most chunks `map_chunks` hands out: their numbers, four bytes each, fit the smallest buffer
#: a pipe has (a page, 4,096 bytes), written at once before any process reads one.
MAX_CHUNKS = 1024
_CHUNK_NUMBER = struct.Struct("=I")


def map_chunks(
    function: Callable[[Sequence[T]], R],
    items: Sequence[T],
    processes: int,
    size: int,
    first: Callable[[], object] | None = None,
) -> list[R]:
    """[function(chunk) for each chunk of `size` items], shared among this process and
    `processes - 1` forked ones: each takes the next chunk no process has taken whenever it is
    free, so all end within a chunk of each other however the chunks' work or the processes'
    speed differ (shares fixed in advance ended up to 0.25 s apart in a check of 10,000 partner
    files). This process runs `first()` before it takes any chunk, while the others start.

    A worker writes each chunk's result, pickled, to a temporary file as it goes, and says so
    through a pipe; this process reads them between its own chunks, not through a pipe once the
    worker is done. In a cold check of 10,000 partner files (30 MB of results) waiting for a
    worker to pickle and send them all at its end took 0.2 s, reading them all at the end here
    0.1 s. An exception in a chunk is raised here, once the chunks under way have ended, and no
    chunk is started after it; a worker that dies is a BuildError.
    """
    if len(items) > size * MAX_CHUNKS:
        size = -(-len(items) // MAX_CHUNKS)
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    if processes <= 1 or len(chunks) <= 1:
        if first is not None:
            first()
        return [function(chunk) for chunk in chunks]
    claims, numbers = os.pipe()
    try:
        os.write(numbers, b"".join(_CHUNK_NUMBER.pack(n) for n in range(len(chunks))))
    finally:
        os.close(numbers)
    context = multiprocessing.get_context("fork")
    workers: list[_ChunkWorker] = []
    outs: list[BinaryIO] = []
    results: dict[int, R] = {}
    try:
        for _ in range(processes - 1):
            out: BinaryIO = tempfile.TemporaryFile()
            outs.append(out)
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_chunk_worker,
                args=(function, chunks, claims, out.fileno(), sender),
                daemon=True,
            )
            process.start()
            sender.close()
            workers.append(_ChunkWorker(process, receiver, out.fileno()))
        if first is not None:
            first()
        while (number := _claim(claims)) is not None:
            results[number] = function(chunks[number])
            for worker in workers:
                worker.collect(results, wait=False)
        for worker in workers:
            worker.collect(results, wait=True)
        for worker in workers:
            worker.process.join()
        return [results[number] for number in range(len(chunks))]
    except BaseException:
        _kill(worker.process for worker in workers)
        raise
    finally:
        os.close(claims)
        for file in outs:
            file.close()


@dataclass(slots=True)
class _ChunkWorker:
    """A process of `map_chunks`, the pipe it speaks through and the file it writes results to
    (shared with it: read with pread, which leaves the file's offset where it writes)."""

    process: Any
    receiver: Connection
    out: int
    #: The bytes of `out` read so far.
    read: int = 0
    ended: bool = False

    def collect(self, results: dict[int, Any], *, wait: bool) -> None:
        """Add to `results` the chunks' results the worker has said are written; with `wait`,
        until it has ended. Its exception is raised here; its death is a BuildError."""
        while not self.ended and (wait or self.receiver.poll()):
            try:
                message = self.receiver.recv()
            except EOFError:
                raise _died(self.process) from None
            if isinstance(message, int):  # the end of what it has written
                self._read_up_to(message, results)
                continue
            ok, value = message
            if not ok:
                raise value
            self.ended = True

    def _read_up_to(self, end: int, results: dict[int, Any]) -> None:
        data = bytearray()
        while self.read + len(data) < end:
            piece = os.pread(self.out, end - self.read - len(data), self.read + len(data))
            if not piece:
                raise BuildError("a worker process's results were cut short; nothing was changed")
            data += piece
        stream = io.BytesIO(data)
        while stream.tell() < len(data):
            number, result = pickle.load(stream)
            results[number] = result
        self.read = end


def _claim(claims: int) -> int | None:
    """The number of the next chunk no process has taken, or None when all are taken."""
    data = os.read(claims, _CHUNK_NUMBER.size)
    return _CHUNK_NUMBER.unpack(data)[0] if data else None


def _chunk_worker(
    function: Callable[[Sequence[T]], R],
    chunks: Sequence[Sequence[T]],
    claims: int,
    out: int,
    sender: Connection,
) -> None:
    _die_with_parent()
    try:
        with os.fdopen(out, "wb", closefd=False) as file:
            while (number := _claim(claims)) is not None:
                pickle.dump((number, function(chunks[number])), file, pickle.HIGHEST_PROTOCOL)
                file.flush()
                sender.send(file.tell())  # written up to here: a few bytes
        result: tuple[bool, object] = (True, None)
    except BaseException as error:  # sent to the parent, which raises it
        result = (False, error)
        while os.read(claims, 4096):  # and the chunks left are taken: no process starts one
            pass
    sender.send(result)
    sender.close()


def _worker_result(process: Any, receiver: Connection) -> Any:
    """What a worker sent back (raised here if it is an exception); a BuildError if it died."""
    try:
        ok, value = receiver.recv()
    except EOFError:
        raise _died(process) from None
    if not ok:
        raise value
    return value


def _died(process: Any) -> BuildError:
    """The error of a worker that died before it sent its result (once it has ended)."""
    process.join()
    return BuildError(f"a worker process died (exit code {process.exitcode}); nothing was changed")


def _kill(processes: Iterable[Any]) -> None:
    """Kill each process still running, and wait for all of them."""
    started = list(processes)
    for process in started:
        if process.is_alive():
            process.kill()
    for process in started:
        process.join()


class Computing(Generic[R]):
    """Values being computed one after another in a forked process beside this one
    (`compute_forked`)."""

    def __init__(self, process: Any, receiver: Connection) -> None:
        self._process = process
        self._receiver = receiver

    def result(self, fallback: R) -> R:
        """The next value, once computed; `fallback` if computing it raised, its process died
        or it has sent every value.

        For work this process could do itself: its failure is not the caller's.
        """
        try:
            ok, value = self._receiver.recv()
        except (EOFError, OSError):  # the process ended, or an earlier value failed
            ok, value = False, None
        if not ok:
            self._receiver.close()
        return value if ok else fallback

    def cancel(self) -> None:
        """Stop computing if it still is: no further value is wanted."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receiver.close()

    def __enter__(self) -> Computing[R]:
        return self

    def __exit__(self, *_exception: object) -> None:
        self.cancel()


def compute_forked(function: Callable[[], Iterable[R]]) -> Computing[R]:
    """Start computing the values of `function()` in a forked process and return at once; each
    is sent back through a pipe (pickled) as soon as it is computed, for `result()` to take in
    turn. For work that needs none of what this process does meanwhile, on the second core
    while this one is busy; in steps when this process needs a first part sooner than the rest.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_send_each, args=(function, sender), daemon=True)
    process.start()
    sender.close()
    return Computing(process, receiver)


def _send_each(function: Callable[[], Iterable[R]], sender: Connection) -> None:
    """Send each value of `function()` as it comes, then stop at the first failure (sent)."""
    _die_with_parent()
    try:
        for value in function():
            sender.send((True, value))
    except BaseException as error:  # the parent takes its fallback instead
        sender.send((False, error))
    sender.close()


#: The lowest priority a thread can take (nice 19): it runs when a core would be idle.
LOWEST_PRIORITY = 19


def in_idle_thread(steps: Generator[None, None, R], until: Callable[[], bool]) -> R:
    """Drive `steps` (a generator that yields between small steps and returns a value) in a
    thread of the lowest priority while this one waits, until it is done or `until()` is true;
    then this thread drives what is left, at its own priority. For work that must not slow a
    program this one has started (Pagefind, which at 10,000 partners spends its last 11 s on
    one core of two: the thread takes the idle one then), and that must not wait behind other
    programs once that one has ended (`until`).

    Its value is returned here, its exception raised here. If this thread is interrupted while
    waiting (Ctrl-C), the thread stops at its next step and has ended before the interrupt
    goes on, and `steps` is closed.
    """
    stop, began, ended = threading.Event(), threading.Event(), threading.Event()
    values: list[R] = []
    errors: list[BaseException] = []

    def run() -> None:
        began.set()
        try:
            _lower_priority()
            while not stop.is_set() and not until():
                next(steps)
        except StopIteration as done:
            values.append(done.value)
        except BaseException as error:  # raised in the caller's thread
            errors.append(error)
        finally:
            ended.set()

    worker = threading.Thread(target=run, name="idle", daemon=True)
    try:
        worker.start()  # waits for the thread to start: Ctrl-C may come in that wait too
        ended.wait()
    except BaseException:
        stop.set()
        if began.is_set():  # else it sees `stop` before its first step, if it ever starts
            wait_regardless(ended)
        steps.close()
        raise
    if errors:
        raise errors[0]
    if values:
        return values[0]
    return _drive(steps)  # handed back: the rest at this thread's priority


def _drive(steps: Generator[None, None, R]) -> R:
    """Run `steps` to its end; its value."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]  # the generator's R


def wait_regardless(ended: threading.Event) -> None:
    """Wait until a thread sets `ended` as it ends, even through further interrupts (they are
    lost: the first one is already going on).

    Not Thread.join(): on Python 3.11 a join interrupted by Ctrl-C marks a thread that still
    runs as ended (the fix of bpo-45274 releases the lock the running thread holds), and every
    later join returns at once, with the thread still writing."""
    while True:
        try:
            ended.wait()
            return
        except BaseException:  # Ctrl-C again: the thread is still to be waited for
            continue


def _lower_priority() -> None:
    """The calling thread at the lowest priority. On Linux nice is each thread's own; elsewhere
    setting it would lower the whole process, for good, so it is left as it is."""
    if sys.platform == "linux":
        try:
            os.setpriority(os.PRIO_PROCESS, 0, LOWEST_PRIORITY)
        except OSError:
            pass  # a sandbox that forbids it: the work runs at the usual priority


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
