"""The wall-clock budget of one import (``limits.LIMITS.import_seconds``).

Two ways to stop, because an import may run in the main thread (the CLI, the app's import
child process) or in another one (a Streamlit script thread, a test):
- in the main thread a SIGALRM timer raises ``ImportTimeout`` wherever Python code is running,
  so no loop needs a checkpoint to be stopped;
- everywhere, the readers call ``check_budget()`` between their stages (pages, paragraphs,
  tables), which raises once the time is up.
``ImportTimeout`` is a BaseException, like KeyboardInterrupt, so the importers' own
``except Exception`` handlers (which turn parser failures into "damaged file" messages) let it
through; ``import_bytes`` turns it into the Chinese message.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from types import FrameType

_deadline: ContextVar[float | None] = ContextVar("gkassist_import_deadline", default=None)


class ImportTimeout(BaseException):  # a BaseException, like KeyboardInterrupt (see above)
    """The import went past its time budget."""


def check_budget() -> None:
    """Raise ImportTimeout when the running import is past its budget (no-op outside an import)."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise ImportTimeout


@contextlib.contextmanager
def import_budget(seconds: float) -> Iterator[None]:
    """Run the body within ``seconds``; an import nested in another keeps the outer budget."""
    if _deadline.get() is not None:
        yield
        return
    token = _deadline.set(time.monotonic() + seconds)
    try:
        with _alarm(seconds):
            yield
    finally:
        _deadline.reset(token)


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _deadline.get() is not None:  # the timer may fire just as the import ends
        raise ImportTimeout


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """A SIGALRM after ``seconds`` when this is the main thread of a POSIX process; else nothing.
    A timer someone else had set is put back afterwards with the time it had left."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    started = time.monotonic()
    other_delay, other_interval = signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if other_delay:
            left = max(other_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, other_interval)
