"""Work shared among forked processes: results in order, errors raised here, deaths reported."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Generator, Iterator, Sequence

import pytest
from interrupts import interrupt_main_thread_once_it_waits_in

from partnerdir import parallel
from partnerdir.parallel import compute_forked, in_idle_thread, map_chunks, map_forked
from partnerdir.problems import BuildError


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_come_back_in_order_from_other_processes() -> None:
    results = map_forked(square_and_pid, [1, 2, 3])
    assert [value for value, _ in results] == [1, 4, 9]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid() and len(set(pids)) == 3


def fail_in_worker(n: int) -> int:
    if n == 2:
        raise ValueError("no twos")
    return n


def test_an_exception_in_a_worker_is_raised_here() -> None:
    with pytest.raises(ValueError, match="no twos"):
        map_forked(fail_in_worker, [1, 2])


def die_in_worker(n: int) -> int:
    if n == 2:
        os._exit(3)
    return n


def test_a_worker_that_dies_is_a_clear_error() -> None:
    with pytest.raises(BuildError, match=r"a worker process died \(exit code 3\)"):
        map_forked(die_in_worker, [1, 2])


def chunk_and_pid(chunk: Sequence[int]) -> tuple[list[int], int]:
    time.sleep(0.01)
    return list(chunk), os.getpid()


def test_chunks_come_back_in_order_whichever_process_took_them() -> None:
    results = map_chunks(chunk_and_pid, range(50), 3, 4, lambda: time.sleep(0.2))
    assert [n for chunk, _ in results for n in chunk] == list(range(50))
    assert [len(chunk) for chunk, _ in results] == [4] * 12 + [2]
    assert {pid for _, pid in results} - {os.getpid()}  # the others took chunks meanwhile


def test_the_other_processes_take_chunks_while_this_one_does_its_first_work() -> None:
    results = map_chunks(chunk_and_pid, range(40), 2, 1, lambda: time.sleep(0.3))
    here = [chunk for chunk, pid in results if pid == os.getpid()]
    # 0.3 s of other work first: the other process took about 30 chunks meanwhile, and each
    # process took half of the rest as it came
    assert len(here) < 15, len(here)
    assert [n for chunk, _ in results for n in chunk] == list(range(40))


def test_the_other_processes_results_are_read_here_between_this_ones_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[str] = []
    read_up_to = parallel._ChunkWorker._read_up_to

    def reading(worker: parallel._ChunkWorker, end: int, results: dict[int, object]) -> None:
        events.append("read")
        read_up_to(worker, end, results)

    def chunk(numbers: Sequence[int]) -> list[int]:
        if os.getpid() == PARENT:
            events.append("own")
        time.sleep(0.01)
        return list(numbers)

    monkeypatch.setattr(parallel._ChunkWorker, "_read_up_to", reading)
    results = map_chunks(chunk, range(60), 2, 1)
    assert [n for numbers in results for n in numbers] == list(range(60))
    last_own = len(events) - events[::-1].index("own")
    assert "read" in events[:last_own]  # not all of them once this process is done


def test_chunks_are_made_larger_rather_than_more_than_a_pipe_holds() -> None:
    results = map_chunks(len, range(5000), 2, 1)
    assert len(results) <= parallel.MAX_CHUNKS and sum(results) == 5000
    assert set(results) == {5}


def test_one_process_or_one_chunk_runs_here() -> None:
    order: list[str] = []
    results = map_chunks(chunk_and_pid, range(3), 1, 2, lambda: order.append("first"))
    assert order == ["first"] and {pid for _, pid in results} == {os.getpid()}
    assert [chunk for chunk, _ in map_chunks(chunk_and_pid, range(3), 4, 8)] == [[0, 1, 2]]


def fail_on_seven(chunk: Sequence[int]) -> int:
    if 7 in chunk:
        raise ValueError("no sevens")
    time.sleep(0.05)
    return len(chunk)


PARENT = os.getpid()


def test_an_exception_in_a_chunk_is_raised_here_and_no_chunk_is_taken_after_it() -> None:
    started = time.monotonic()
    with pytest.raises(ValueError, match="no sevens"):
        map_chunks(fail_on_seven, [7] + [1] * 100, 2, 1, lambda: time.sleep(0.2))
    # 100 chunks of 0.05 s would take 2.5 s in two processes
    assert time.monotonic() - started < 1.5


def die_on_seven(chunk: Sequence[int]) -> int:
    if 7 in chunk and os.getpid() != PARENT:
        os._exit(3)
    return len(chunk)


def test_a_worker_that_dies_in_a_chunk_is_a_clear_error() -> None:
    with pytest.raises(BuildError, match=r"a worker process died \(exit code 3\)"):
        map_chunks(die_on_seven, [7, 7, 1, 2], 2, 1, lambda: time.sleep(0.3))


def pid() -> int:
    return os.getpid()


def fail() -> int:
    raise ValueError("not today")


def test_a_value_computed_in_another_process_comes_back() -> None:
    with compute_forked(lambda: [pid()]) as computing:
        assert computing.result(0) not in (0, os.getpid())
        assert computing.result(0) == 0  # every value sent: the fallback


def test_values_come_back_one_at_a_time_as_they_are_computed() -> None:
    def first_then_wait() -> Iterator[float]:
        yield time.monotonic()
        time.sleep(0.5)
        yield time.monotonic()

    with compute_forked(first_then_wait) as computing:
        first = computing.result(0.0)
        taken = time.monotonic()
        second = computing.result(0.0)
    assert first <= taken < second


def test_a_value_that_fails_to_compute_is_the_fallback() -> None:
    with compute_forked(lambda: [fail()]) as computing:
        assert computing.result(-1) == -1


def values_then_failure() -> Iterator[int]:
    yield 1
    yield fail()
    yield 3


def test_values_after_a_failure_are_the_fallback() -> None:
    with compute_forked(values_then_failure) as computing:
        assert [computing.result(-1) for _ in range(3)] == [1, -1, -1]


def test_a_value_no_longer_wanted_stops_being_computed() -> None:
    with compute_forked(lambda: [time.sleep(60)]) as computing:
        started = time.monotonic()
    computing.cancel()  # again: nothing left to stop
    assert time.monotonic() - started < 10


def death_signal() -> int:
    """The signal this process gets when its parent dies (prctl PR_GET_PDEATHSIG)."""
    import ctypes

    signal_number = ctypes.c_int(0)
    ctypes.CDLL(None).prctl(2, ctypes.byref(signal_number))
    return signal_number.value


def no_library_search(name: str) -> str | None:
    raise AssertionError(f"find_library({name!r}) runs ldconfig in a new process")


def test_a_worker_dies_with_its_parent_without_searching_for_the_c_library(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ctypes.util
    import signal

    monkeypatch.setattr(ctypes.util, "find_library", no_library_search)
    [_, in_worker] = map_forked(lambda _: death_signal(), [0, 1])
    assert in_worker == signal.SIGKILL
    with compute_forked(lambda: [death_signal()]) as computing:
        assert computing.result(0) == signal.SIGKILL


def priorities(steps: int, log: list[tuple[str, int]]) -> Generator[None, None, str]:
    """`steps` steps, each logging its thread's name and nice value."""
    for _ in range(steps):
        log.append((threading.current_thread().name, os.getpriority(os.PRIO_PROCESS, 0)))
        yield
    return "done"


def never() -> bool:
    return False


def test_steps_run_in_the_idle_thread_at_the_lowest_priority_and_their_value_comes_back() -> None:
    log: list[tuple[str, int]] = []
    before = os.getpriority(os.PRIO_PROCESS, 0)
    assert in_idle_thread(priorities(3, log), until=never) == "done"
    assert [thread for thread, _ in log] == ["idle"] * 3
    if sys.platform == "linux":  # nice is each thread's own there
        assert {nice for _, nice in log} == {parallel.LOWEST_PRIORITY}
    assert os.getpriority(os.PRIO_PROCESS, 0) == before  # this thread keeps its own


def test_once_the_awaited_program_ends_this_thread_drives_the_rest_at_its_own_priority() -> None:
    log: list[tuple[str, int]] = []
    assert in_idle_thread(priorities(5, log), until=lambda: len(log) == 2) == "done"
    threads = [thread for thread, _ in log]
    assert threads == ["idle", "idle", "MainThread", "MainThread", "MainThread"]
    assert log[2][1] == os.getpriority(os.PRIO_PROCESS, 0)


def test_an_exception_in_the_idle_thread_is_raised_here() -> None:
    def steps() -> Generator[None, None, None]:
        yield
        raise KeyError("in the idle thread")

    with pytest.raises(KeyError, match="in the idle thread"):
        in_idle_thread(steps(), until=never)


def test_the_idle_thread_has_stopped_when_an_interrupt_while_waiting_goes_on() -> None:
    """Ctrl-C while waiting: the build then removes the folder the thread writes into, so the
    thread must have stopped first, after the step under way. Waited for with Thread.join, it
    had not: Python 3.11 takes an interrupted join's thread for ended."""
    log: list[str] = []
    closed: list[bool] = []

    def steps() -> Generator[None, None, None]:
        try:
            for n in range(1000):
                if n == 1:
                    interrupt_main_thread_once_it_waits_in("in_idle_thread")
                    time.sleep(0.1)  # the step still under way when the interrupt comes
                log.append(f"step {n} done")
                yield
        except GeneratorExit:
            closed.append(True)
            raise

    with pytest.raises(KeyboardInterrupt):
        in_idle_thread(steps(), until=never)
    assert log == ["step 0 done", "step 1 done"]  # the step under way finished, no other began
    assert closed == [True]
