"""The time slider dock: scrub, play/pause at a chosen speed, or follow live data."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QWidget,
)

from cimviewer.core.project import Project

STEPS = 1000
TICK_MS = 100
SPEEDS = (1, 60, 300, 900, 3600, 14400)


class TimeSliderPanel(QWidget):
    """Drives ``project.time``; follows it when something else changes it."""

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self._updating = False
        self.play_button = QPushButton(self.tr("Play"), self)
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self.set_playing)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, STEPS)
        self.slider.valueChanged.connect(self._on_slider)
        self.label = QLabel(self)
        self.label.setMinimumWidth(190)
        self.speed = QComboBox(self)
        for s in SPEEDS:
            self.speed.addItem(self._speed_text(s), float(s))
        self.speed.currentIndexChanged.connect(self._on_speed)
        self.live = QCheckBox(self.tr("Live"), self)
        self.live.toggled.connect(self.set_live)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (self.play_button, self.slider, self.label, self.speed, self.live):
            layout.addWidget(widget)
        layout.setStretch(1, 1)
        self.timer = QTimer(self, interval=TICK_MS)
        self.timer.timeout.connect(self._advance)
        project.time.changed.connect(self.refresh)
        self.refresh()

    # --- model -> widgets -----------------------------------------------------------------
    def refresh(self) -> None:
        time = self.project.time
        self._updating = True
        try:
            has_range = time.start is not None and time.end is not None and time.end > time.start
            self.slider.setEnabled(has_range and not time.live)
            self.play_button.setEnabled(has_range and not time.live)
            self.live.setChecked(time.live)
            if has_range and time.current is not None:
                span = (time.end - time.start).total_seconds()
                frac = (time.current - time.start).total_seconds() / span
                self.slider.setValue(round(min(max(frac, 0.0), 1.0) * STEPS))
            self._show_speed(time.speed)
            if time.live:
                self.label.setText(self.tr("Live"))
            elif time.current is not None:
                self.label.setText(time.current.strftime("%Y-%m-%d %H:%M %z"))
            else:
                self.label.setText(self.tr("No time range"))
        finally:
            self._updating = False

    def _speed_text(self, speed: float) -> str:
        return self.tr("{0}×").format(f"{speed:g}")

    def _show_speed(self, speed: float) -> None:
        """The box shows the clock's speed (one it does not list is added)."""
        index = self.speed.findData(float(speed))
        if index < 0:
            self.speed.addItem(self._speed_text(speed), float(speed))
            index = self.speed.count() - 1
        self.speed.setCurrentIndex(index)

    # --- widgets -> model -----------------------------------------------------------------
    def _on_slider(self, value: int) -> None:
        if self._updating:
            return
        self.set_fraction(value / STEPS)

    def set_fraction(self, fraction: float) -> None:
        time = self.project.time
        if time.start is None or time.end is None:
            return
        time.set(current=time.start + (time.end - time.start) * float(fraction))

    def set_time(self, when: datetime) -> None:
        self.project.time.set(current=when)

    def _on_speed(self, _index: int) -> None:
        if self._updating:
            return
        speed = float(self.speed.currentData())
        if speed != self.project.time.speed:
            self.project.time.set(speed=speed)

    def set_playing(self, on: bool) -> None:
        """Play or pause; Play at the end of the range starts again from its start (as
        a media player does)."""
        time = self.project.time
        if on and time.start is not None and time.end is not None and (
                time.current is None or time.current >= time.end):
            time.set(current=time.start)
        if on:
            self.timer.start()
            self.play_button.setText(self.tr("Pause"))
        else:
            self.timer.stop()
            self.play_button.setText(self.tr("Play"))
        if self.play_button.isChecked() != on:
            self.play_button.setChecked(on)

    def set_live(self, on: bool) -> None:
        if self._updating:
            return
        if on:
            self.set_playing(False)
        self.project.time.set(live=on)

    def _advance(self) -> None:
        time = self.project.time
        if time.start is None or time.end is None or time.live:
            self.set_playing(False)
            return
        current = time.current or time.start
        step = timedelta(seconds=time.speed * self.timer.interval() / 1000.0)
        nxt = current + step
        if nxt >= time.end:
            nxt = time.end
            self.set_playing(False)
        time.set(current=nxt)
