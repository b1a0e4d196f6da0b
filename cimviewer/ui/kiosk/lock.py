"""Locking the kiosk: quit chords swallowed, dialogs refused, the operator's PIN pad.

Alt+F4 reaches the window as a close request (refused in ``KioskWindow.closeEvent``);
Escape, Ctrl+Q, Ctrl+W, Ctrl+F4 and the like are eaten here before any widget sees
them. The operator chord (Ctrl+Shift+F12) opens the PIN pad; the right PIN unlocks.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cimviewer.ui.kiosk.overlays import panel_style

log = logging.getLogger("cimviewer")
OPERATOR_CHORD = QKeySequence("Ctrl+Shift+F12")
#: key combinations that quit, close or leave an application somewhere
QUIT_CHORDS = tuple(QKeySequence(text) for text in (
    "Esc", "Ctrl+Q", "Ctrl+W", "Alt+F4", "Ctrl+F4", "Ctrl+Shift+Q", "Ctrl+Shift+W",
    "Meta+Q", "Ctrl+O", "Ctrl+S", "Ctrl+N", "F11", "Alt+Tab", "Ctrl+Alt+Backspace"))
KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut)


def key_sequence(event: QKeyEvent) -> QKeySequence:
    """The key and its modifiers as one sequence (for comparisons)."""
    return QKeySequence(event.keyCombination())


class KeyLock(QObject):
    """Application-wide filter while the kiosk runs. ``operator_requested`` on the
    operator chord. Any dialog that opens (a library's error box) is closed and logged."""

    operator_requested = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.swallowed = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in KEY_EVENTS and isinstance(event, QKeyEvent):
            sequence = key_sequence(event)
            if sequence.matches(OPERATOR_CHORD) == QKeySequence.SequenceMatch.ExactMatch:
                if kind == QEvent.Type.KeyPress:
                    self.operator_requested.emit()
                return True
            if any(sequence.matches(q) == QKeySequence.SequenceMatch.ExactMatch
                   for q in QUIT_CHORDS):
                self.swallowed += kind == QEvent.Type.KeyPress
                return True
        elif kind == QEvent.Type.Show and isinstance(watched, QDialog):
            log.warning("kiosk: a dialog was refused: %s %s", watched.windowTitle(),
                        getattr(watched, "text", lambda: "")())
            QTimer.singleShot(0, watched.reject)
        return False


class PinPad(QWidget):
    """Digits, OK and Cancel, drawn inside the kiosk window (not a dialog).

    Signals: ``entered(pin)`` on OK, ``cancelled``.
    """

    entered = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kiosk_pin_pad")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(panel_style("kiosk_pin_pad", 26))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        self.label = QLabel(self)
        layout.addWidget(self.label)
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setStyleSheet("font-size: 30px; min-height: 56px;")
        self.field.returnPressed.connect(self._ok)
        layout.addWidget(self.field)
        grid = QGridLayout()
        for n, digit in enumerate("123456789"):
            grid.addWidget(self._key(digit), n // 3, n % 3)
        self.cancel_button = QPushButton(self)
        self.cancel_button.clicked.connect(self._cancel)
        grid.addWidget(self.cancel_button, 3, 0)
        grid.addWidget(self._key("0"), 3, 1)
        self.ok_button = QPushButton(self)
        self.ok_button.setObjectName("kiosk_pin_ok")
        self.ok_button.clicked.connect(self._ok)
        grid.addWidget(self.ok_button, 3, 2)
        layout.addLayout(grid)
        self.hide()

    def _key(self, digit: str) -> QPushButton:
        button = QPushButton(digit, self)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.field.insert(digit))
        return button

    def open(self, message: str = "") -> None:
        self.label.setText(message or self.tr("Operator PIN"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.ok_button.setText(self.tr("OK"))
        self.field.clear()
        self.adjustSize()
        self.show()
        self.raise_()
        self.field.setFocus()

    def _ok(self) -> None:
        pin = self.field.text()
        self.field.clear()
        self.entered.emit(pin)

    def _cancel(self) -> None:
        self.hide()
        self.cancelled.emit()
