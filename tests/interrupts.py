"""Ctrl-C delivered to the main thread at a chosen point, from another thread."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from types import FrameType


def interrupt_main_thread_once_it_waits_in(function: str, timeout: float = 5.0) -> None:
    """Send SIGINT to this process once the main thread, inside `function`, is blocked in a
    wait (Event.wait, Thread.join) other than Thread.start's: Python then raises
    KeyboardInterrupt in that wait."""
    main = threading.main_thread().ident
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if main is not None and _waits_in(sys._current_frames().get(main), function):
            os.kill(os.getpid(), signal.SIGINT)
            return
        time.sleep(0.001)
    raise AssertionError(f"the main thread never waited in {function}()")


def _waits_in(frame: FrameType | None, function: str) -> bool:
    """Whether `frame` waits, called from `function` other than through Thread.start."""
    names = []
    while frame is not None:
        names.append(frame.f_code.co_name)
        frame = frame.f_back
    if function not in names or names[0] not in ("wait", "_wait_for_tstate_lock"):
        return False
    return "start" not in names[: names.index(function)]
