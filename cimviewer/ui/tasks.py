"""Running slow work off the GUI thread, with progress and cancel.

Work runs on Python threads (a ThreadPoolExecutor), not QThreadPool: PROJ (through
pyproj) crashes on QThreadPool's threads, whose stacks are smaller than the 8 MB its
recursive CRS parser needs. Results and errors come back through Qt signals, which
Qt queues to the GUI thread.
"""

from __future__ import annotations

import contextlib
import threading
import traceback
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

_EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="cimviewer-task")


class TaskSignals(QObject):
    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(str, str)  # one-line message, details
    #: after finished or failed: every receiver has had them (queued in order)
    released = Signal()


class Task:
    """Calls ``fn(progress=..., cancelled=...)`` on a worker thread."""

    def __init__(self, fn: Callable[..., Any]):
        self.fn = fn
        self.signals = TaskSignals()
        self.signals.released.connect(self._release)
        self._cancel = threading.Event()
        self.future = None

    def _release(self) -> None:
        """Drop every connection once the result was delivered: receivers are often
        lambdas that capture their window, and a connection is a reference the garbage
        collector cannot see, so task and window would otherwise live forever."""
        for signal in (self.signals.progress, self.signals.finished, self.signals.failed,
                       self.signals.released):
            with contextlib.suppress(RuntimeError, TypeError), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                signal.disconnect()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self.fn(progress=self.signals.progress.emit, cancelled=self._cancel.is_set)
        except Exception as exc:  # reported to the user, never raised into Qt
            from cimviewer.io.errors import ReadError

            if isinstance(exc, ReadError):
                message = exc.one_line()
            else:
                message = f"{type(exc).__name__}: {exc}"
            self.signals.failed.emit(message, traceback.format_exc())
            self.signals.released.emit()
            return
        self.signals.finished.emit(result)
        self.signals.released.emit()


def start(task: Task) -> Task:
    task.future = _EXECUTOR.submit(task.run)
    return task
