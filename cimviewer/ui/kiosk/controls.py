"""The kiosk's touch-sized control bar: home, the story, layer toggles, language."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from cimviewer.core.kiosk import StoryStop

BUTTON_HEIGHT = 72  #: px; touch targets of at least 64 px
FONT_PX = 21
#: a language is offered by its own name (an endonym), which is never translated
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}

STYLE = f"""
QWidget#kiosk_controls {{ background: rgb(16, 24, 36); }}
QPushButton {{
  min-height: {BUTTON_HEIGHT}px; font-size: {FONT_PX}px; color: white;
  background: #24364f; border: 2px solid #3d5a80; border-radius: 12px; padding: 0 16px;
}}
QPushButton:checked {{ background: #2f7dd1; border-color: #8ec5ff; }}
QPushButton#kiosk_story:checked {{ background: #d18a2f; border-color: #ffd08e; }}
"""


def _button(text: str, parent: QWidget, name: str, checkable: bool = False) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setCheckable(checkable)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumHeight(BUTTON_HEIGHT)
    button.setMinimumWidth(BUTTON_HEIGHT)  # never wider than the screen: labels shrink
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


class ControlBar(QWidget):
    """Signals: ``home_clicked``, ``stop_clicked(index)``, ``layer_toggled(name, on)``,
    ``language_clicked``."""

    home_clicked = Signal()
    stop_clicked = Signal(int)
    layer_toggled = Signal(str, bool)
    language_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kiosk_controls")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.setSpacing(12)
        self.home_button = _button("", self, "kiosk_home")
        self.home_button.clicked.connect(self.home_clicked.emit)
        self._layout.addWidget(self.home_button)
        self.story_buttons: list[QPushButton] = []
        self._story_end = QWidget(self)  # stretch between the story and the toggles
        self._layout.addWidget(self._story_end, 1)
        self.layer_buttons: dict[str, QPushButton] = {}
        self.language_button = _button("", self, "kiosk_language")
        self.language_button.clicked.connect(self.language_clicked.emit)
        self._layout.addWidget(self.language_button)
        self._stops: list[StoryStop] = []
        self.language = "en"

    def set_stops(self, stops: list[StoryStop]) -> None:
        for button in self.story_buttons:
            button.deleteLater()
        self._stops = list(stops)
        self.story_buttons = []
        for i, _stop in enumerate(stops):
            button = _button("", self, "kiosk_story", checkable=True)
            button.clicked.connect(lambda _on=False, k=i: self.stop_clicked.emit(k))
            self._layout.insertWidget(1 + i, button)
            button.show()
            self.story_buttons.append(button)
        self.retranslate(self.language)

    def set_layers(self, names: list[str]) -> None:
        for button in self.layer_buttons.values():
            button.deleteLater()
        self.layer_buttons = {}
        at = self._layout.indexOf(self.language_button)
        for i, name in enumerate(names):
            button = _button(name, self, "kiosk_layer", checkable=True)
            button.toggled.connect(lambda on, n=name: self.layer_toggled.emit(n, on))
            self._layout.insertWidget(at + i, button)
            button.show()
            self.layer_buttons[name] = button
        self.retranslate(self.language)

    def show_layer(self, name: str, visible: bool) -> None:
        button = self.layer_buttons.get(name)
        if button is not None and button.isChecked() != visible:
            button.blockSignals(True)
            button.setChecked(visible)
            button.blockSignals(False)

    def mark_stop(self, index: int) -> None:
        """Highlight the story button of the stop shown now (-1: none)."""
        for i, button in enumerate(self.story_buttons):
            button.setChecked(i == index)

    def retranslate(self, language: str) -> None:
        self.language = language
        self.home_button.setText(self.tr("Home view"))
        for stop, button in zip(self._stops, self.story_buttons, strict=True):
            button.setText(_short(stop, language, 24 if len(self._stops) <= 3 else 6))
        titles = self.layer_titles()
        for name, button in self.layer_buttons.items():
            button.setText(titles.get(name, name))
        other = "en" if language == "zh_CN" else "zh_CN"
        self.language_button.setText(LANGUAGE_NAMES[other])


    def layer_titles(self) -> dict[str, str]:
        """Translated titles for the demo city's layers (other layers show their name)."""
        return {"Roads": self.tr("Roads"), "Poles": self.tr("Smart poles"),
                "Sensors": self.tr("Sensors"), "Substations": self.tr("Substations"),
                "Fibre nodes": self.tr("Fibre nodes"), "Buildings": self.tr("Buildings"),
                "Terrain": self.tr("Terrain")}


def _short(stop: StoryStop, language: str, limit: int) -> str:
    """A button label: the caption, cut to about ``limit`` Chinese characters (twice
    as many Latin ones)."""
    text = stop.caption(language)
    limit = limit if language == "zh_CN" else limit * 2
    return text if len(text) <= limit else text[: limit - 1] + "…"
