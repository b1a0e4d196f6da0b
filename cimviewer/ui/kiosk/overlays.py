"""Widgets shown over the kiosk's 3D view: the fading caption and the countdown."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cimviewer.ui.kiosk.controls import BUTTON_HEIGHT

FADE_MS = 800
CAPTION_PX = 34
FADE_FROM = 0.35
PANEL_STYLE = """
QWidget#{name} {{ background: rgb(16, 24, 36); border-radius: 18px; }}
QLabel {{ color: white; font-size: {font}px; }}
QPushButton {{ min-height: {button}px; font-size: 24px; color: white; background: #2f7dd1;
  border: 2px solid #8ec5ff; border-radius: 12px; padding: 0 28px; }}
"""


def panel_style(name: str, font: int = 26) -> str:
    """Opaque panels: the 3D view under them is a native OpenGL window that Qt cannot
    blend with (a translucent panel shows stale pixels of what was there before)."""
    return PANEL_STYLE.format(name=name, font=font, button=BUTTON_HEIGHT)


class Caption(QWidget):
    """The caption of the current stop: its text fades in, and out before it hides.

    The box is opaque and only the text fades: the 3D view under it is a native
    OpenGL window that Qt cannot blend with (a translucent overlay showed the old
    caption through the new one).
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kiosk_caption")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._text = ""
        self._opacity = 0.0
        self.font_ = QFont(self.font())
        self.font_.setPixelSize(CAPTION_PX)
        self.animation = QVariantAnimation(self)
        self.animation.setDuration(FADE_MS)
        self.animation.valueChanged.connect(self._set_opacity)
        self.animation.finished.connect(self._after_fade)
        self.hide()

    def text(self) -> str:
        return self._text

    def show_text(self, text: str) -> None:
        """Fade in with ``text`` (from a faint start: on a slow software-rendered frame
        the fade may take only a step or two, and an empty box must not show)."""
        self._text = text
        if not self.isVisible():
            self._opacity = FADE_FROM
        self.show()
        self.raise_()
        self._fade(1.0)

    def fade_out(self) -> None:
        if not self.isVisible():
            return
        if self._opacity <= 0.01:  # nothing to fade (it was only starting to show)
            self.animation.stop()
            self._opacity = 0.0
            self.hide()
        else:
            self._fade(0.0)

    def opacity(self) -> float:
        return self._opacity

    def heightForWidth(self, width: int) -> int:
        metrics = QFontMetrics(self.font_)
        flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        rect = metrics.boundingRect(0, 0, width - 64, 10_000, flags, self._text or "M")
        return rect.height() + 36

    def _fade(self, target: float) -> None:
        self.animation.stop()
        self.animation.setStartValue(self._opacity)
        self.animation.setEndValue(target)
        self.animation.start()

    def _set_opacity(self, value: object) -> None:
        self._opacity = float(value)  # type: ignore[arg-type]
        self.update()

    def _after_fade(self) -> None:
        if float(self.animation.endValue()) <= 0.0:
            self._opacity = 0.0
            self.hide()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(16, 24, 36))
        painter.setFont(self.font_)
        painter.setPen(QColor(255, 255, 255, int(255 * self._opacity)))
        painter.drawText(self.rect().adjusted(32, 0, -32, 0),
                         int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                         self._text)
        painter.end()


class Countdown(QWidget):
    """"Returning to the start in N s" with a button to stay.

    Signals: ``expired`` when it reaches zero, ``stay`` when the button is pressed.
    """

    expired = Signal()
    stay = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kiosk_countdown")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(panel_style("kiosk_countdown", 30))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.setSpacing(24)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)
        self.stay_button = QPushButton(self)
        self.stay_button.setObjectName("kiosk_stay")
        self.stay_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stay_button.clicked.connect(self._on_stay)
        layout.addWidget(self.stay_button)
        self.remaining = 0
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._step)
        self.hide()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self, seconds: float, step_ms: int = 1000) -> None:
        self.remaining = max(1, round(seconds))
        self._timer.setInterval(step_ms)
        self._timer.start()
        self.retranslate()
        self.show()
        self.raise_()

    def cancel(self) -> None:
        self._timer.stop()
        self.hide()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Returning to the start in {0} s").format(self.remaining))
        self.stay_button.setText(self.tr("Stay here"))
        self.adjustSize()

    def _on_stay(self) -> None:
        self.cancel()
        self.stay.emit()

    def _step(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.cancel()
            self.expired.emit()
        else:
            self.retranslate()
