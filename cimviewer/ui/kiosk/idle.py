"""Noticing visitors: any touch, click, drag, wheel or key anywhere in the app."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal

INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                QEvent.Type.Wheel, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
                QEvent.Type.TouchUpdate, QEvent.Type.TabletPress}


class IdleWatcher(QObject):
    """Application-wide input filter.

    ``activity`` on every input (a mouse move only with a button down: a mouse resting
    on the screen is nobody); ``idle`` once no input came for the armed time.
    """

    activity = Signal()
    idle = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.last_input = time.monotonic()
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.idle.emit)

    def arm(self, seconds: float) -> None:
        """Emit ``idle`` after ``seconds`` without input (restarted by any input)."""
        self._timer.setInterval(max(1, int(seconds * 1000)))
        self._timer.start()

    def disarm(self) -> None:
        self._timer.stop()

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS or (kind == QEvent.Type.MouseMove
                                    and event.buttons() != Qt.MouseButton.NoButton):
            self.last_input = time.monotonic()
            if self._timer.isActive():
                self._timer.start()  # the full time again from now
            self.activity.emit()
        return False
