"""Running one algorithm off the GUI thread: validated parameters in, progress, Cancel,
and the outputs delivered on the GUI thread (QGIS's ``QgsProcessingAlgRunnerTask``).

The Algorithms dialog and plugin docks both run algorithms through here. Each run has a
thread of its own, so a plugin that hangs cannot block the shared task pool; one that
does not stop within ``grace_seconds`` of Cancel is abandoned (reported, never joined).
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from cimviewer.algorithms.backends import Backend
from cimviewer.algorithms.base import Algorithm, Cancelled, Context
from cimviewer.algorithms.runner import execute
from cimviewer.core.project import Project
from cimviewer.ui.tasks import Task

if TYPE_CHECKING:
    from cimviewer.ui.shell import Shell

#: ``(outputs) -> extra``: called on the worker after the run (writing result files)
AfterRun = Callable[[dict[str, Any]], Any]


class AlgorithmTask(QObject):
    """One run of ``algorithm`` with checked ``params``.

    Signals (all on the GUI thread): ``progress(fraction)``; ``finished(outputs)`` — or
    ``(outputs, after(outputs))`` when ``after`` is given; ``failed(message)`` — one
    line; ``cancelled()``; ``abandoned(message)`` — it did not stop after Cancel.
    """

    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    abandoned = Signal(str)

    def __init__(self, algorithm: Algorithm, params: dict[str, Any], project: Project, *,
                 plugin: str | None = None, backend: Backend | None = None,
                 after: AfterRun | None = None, grace_seconds: float = 3.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.algorithm = algorithm
        self.params = params
        self.project = project
        self.plugin = plugin or algorithm.qualified_name.partition(".")[0]
        self.backend = backend
        self.after = after
        self.grace_seconds = grace_seconds
        self.task: Task | None = None
        self._shell: Shell | None = None
        self._done = False
        #: the traceback of the last failure (for a "Details" view), "" when none
        self.details = ""

    @property
    def running(self) -> bool:
        return self.task is not None and not self._done

    def start(self, shell: Shell | None = None) -> AlgorithmTask:
        """Start on a thread of its own; with ``shell``, the window's status bar shows
        its progress and its Cancel button cancels it too."""
        algorithm, params, project = self.algorithm, self.params, self.project
        plugin, backend, after = self.plugin, self.backend, self.after

        def work(progress, cancelled):
            ctx = Context(progress=progress, cancelled=cancelled, project=project,
                          plugin=plugin)
            outputs = execute(algorithm, params, ctx, backend)
            return outputs if after is None else (outputs, after(outputs))

        task = Task(work)
        self.task = task
        task.signals.progress.connect(self._on_progress)
        task.signals.finished.connect(self._on_finished)
        task.signals.failed.connect(self._on_failed)
        if shell is not None:
            self._shell = shell
            shell.track_task(task)
        threading.Thread(target=task.run, daemon=True,
                         name=f"algorithm-{algorithm.qualified_name}").start()
        return self

    def cancel(self) -> None:
        """Ask the algorithm to stop; abandon it if it has not within the grace time."""
        task = self.task
        if task is None or self._done:
            return
        task.cancel()
        QTimer.singleShot(int(self.grace_seconds * 1000), lambda: self._abandon(task))

    def forget(self) -> None:
        """Cancel and drop all deliveries (the widget that asked is going away)."""
        if self.task is not None and not self._done:
            self.task.cancel()
            if self._shell is not None:
                self._shell.untrack_task(self.task)
        self._done = True

    def _abandon(self, task: Task) -> None:
        if self.task is not task or self._done:
            return
        self._done = True
        if self._shell is not None:
            self._shell.untrack_task(task)
        self.abandoned.emit(f"{self.algorithm.qualified_name} did not stop within "
                            f"{self.grace_seconds:g} s of Cancel; it was abandoned")
        self._let_go()

    def _on_progress(self, fraction: float) -> None:
        if not self._done:
            self.progress.emit(fraction)

    def _on_finished(self, result: Any) -> None:
        if self._done:
            return
        self._done = True
        self.finished.emit(result)
        self._let_go()

    def _on_failed(self, message: str, details: str) -> None:
        if self._done:
            return
        self._done = True
        self.details = details
        if message.startswith(Cancelled.__name__):
            self.cancelled.emit()
        else:
            self.failed.emit(message)
        self._let_go()

    def _let_go(self) -> None:
        """Delivered: drop the receivers' connections (lambdas that capture a dock or a
        window would otherwise keep them alive through this object for ever)."""
        self._shell = None
        for signal in (self.progress, self.finished, self.failed, self.cancelled,
                       self.abandoned):
            with contextlib.suppress(RuntimeError, TypeError), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                signal.disconnect()
