"""A dock that shows the app's log records (and a logging handler that feeds it)."""

from __future__ import annotations

import contextlib
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit


class _Bridge(QObject):
    record = Signal(str, int)


class QtLogHandler(logging.Handler):
    """Forwards log records to the GUI thread through a Qt signal."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.bridge = _Bridge()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(RuntimeError):  # the widget is gone during shutdown
            self.bridge.record.emit(self.format(record), record.levelno)


class LogPanel(QPlainTextEdit):
    MAX_LINES = 5000

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMaximumBlockCount(self.MAX_LINES)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.handler = QtLogHandler()
        self.handler.bridge.record.connect(self.append_record)

    def append_record(self, text: str, level: int) -> None:
        if level >= logging.ERROR:
            self.appendHtml(f'<span style="color:#b00020">{_escape(text)}</span>')
        elif level >= logging.WARNING:
            self.appendHtml(f'<span style="color:#a05a00">{_escape(text)}</span>')
        else:
            self.appendPlainText(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
