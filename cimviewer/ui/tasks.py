"""Running slow work off the GUI thread, with progress and cancel."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(str, str)  # one-line message, details


class Task(QRunnable):
    """Calls ``fn(progress=..., cancelled=...)`` in the thread pool.

    Results and errors come back through Qt signals, i.e. on the GUI thread.
    """

    def __init__(self, fn: Callable[..., Any]):
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)

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
            return
        self.signals.finished.emit(result)


def start(task: Task) -> Task:
    QThreadPool.globalInstance().start(task)
    return task
