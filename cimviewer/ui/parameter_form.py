"""A form for an algorithm's declared parameters: the one source of the widgets, their
defaults and ranges for the Algorithms dialog and for plugin docks alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from cimviewer.algorithms import parameters as params_
from cimviewer.algorithms.base import Algorithm
from cimviewer.core.layers import Layer
from cimviewer.core.project import Project

if TYPE_CHECKING:
    from cimviewer.ui.shell import Shell


class ParameterForm(QWidget):
    """Widgets for ``algorithm``'s parameters (all, or all but ``exclude``), with the
    declared defaults, ranges, units and labels; ``values()`` gives the raw values for
    :func:`cimviewer.api.validate`.

    ``shell`` (optional) lets point and polygon parameters be picked in the 3D view.
    ``texts`` translates the declared labels, choices and descriptions (the plugin's
    ``i18n/<language>.json``). Layer choices follow the project's layers.
    """

    #: a value in the form was edited (by the user or set_value)
    changed = Signal()

    def __init__(self, algorithm: Algorithm, project: Project, shell: Shell | None = None,
                 parent: QWidget | None = None, *, exclude: tuple[str, ...] = (),
                 texts: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        self.texts = dict(texts or {})
        self.algorithm = algorithm
        self.project = project
        self.shell = shell
        self.parameters = [p for p in algorithm.parameters() if p.name not in exclude]
        self.widgets: dict[str, QWidget] = {}
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        for param in self.parameters:
            widget = self._widget_for(param)
            widget.setObjectName(f"param_{param.name}")
            widget.setToolTip(self.text(param.description))
            self.widgets[param.name] = widget
            self.form.addRow(self.text(param.label) + ("" if param.optional else " *"), widget)
        for param in self.parameters:
            if isinstance(param, params_.FieldParam) and param.layer in self.widgets:
                self._link_field(param)
            if isinstance(param, params_.Enum) and param.depends_on in self.widgets:
                self._link_choices(param)
        for widget in self.widgets.values():
            self._watch(widget)
        connections = [(project.layers.events.inserted, self._refill_layers),
                       (project.layers.events.removed, self._refill_layers)]
        for signal, slot in connections:
            signal.connect(slot)
        self.destroyed.connect(lambda _o=None, c=connections: _disconnect(c))

    def _watch(self, widget: QWidget) -> None:
        """``changed`` follows every edit of the widget (or of the line edit inside a
        file or coordinates widget)."""
        for signal in _change_signals(widget):
            signal.connect(self.changed)

    def text(self, english: str) -> str:
        return self.texts.get(english, english) if english else english

    def row_label(self, name: str) -> QWidget | None:
        """The label widget of a parameter's row (tests, docks that rearrange)."""
        return self.form.labelForField(self.widgets[name])

    def values(self) -> dict[str, Any]:
        """The raw values of the form (what the user typed or chose)."""
        return self.raw_values()

    def _fill_layer_combo(self, combo: QComboBox, param: params_.LayerParam) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if param.optional:
            combo.addItem(self.tr("(none)"), None)
        for layer in self.project.layers:
            if param.accepts(layer):
                combo.addItem(layer.name, layer.uid)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if combo.currentData() != current:
            combo.currentIndexChanged.emit(combo.currentIndex())

    def _refill_layers(self, *_args) -> None:
        for param in self.parameters:
            if isinstance(param, params_.LayerParam):
                self._fill_layer_combo(self.widgets[param.name], param)

    # --- widgets ----------------------------------------------------------------------
    def _widget_for(self, param: params_.Parameter) -> QWidget:
        if isinstance(param, params_.Number):
            box = QSpinBox(self) if param.integer else QDoubleSpinBox(self)
            if isinstance(box, QDoubleSpinBox):
                box.setDecimals(3)
            box.setRange(param.minimum if param.minimum is not None else -1e9,
                         param.maximum if param.maximum is not None else 1e9)
            if param.unit:
                box.setSuffix(f" {param.unit}")
            if param.default is not None:
                box.setValue(param.default)
            return box
        if isinstance(param, params_.Enum):
            combo = QComboBox(self)
            for value in param.choices:
                combo.addItem(self.text(param.labels.get(value, value)), value)
            if param.default in param.choices:
                combo.setCurrentIndex(list(param.choices).index(param.default))
            return combo
        if isinstance(param, params_.Bool):
            check = QCheckBox(self)
            check.setChecked(bool(param.default))
            return check
        if isinstance(param, params_.LayerParam):
            combo = QComboBox(self)
            self._fill_layer_combo(combo, param)
            return combo
        if isinstance(param, params_.FieldParam):
            combo = QComboBox(self)
            combo.setEditable(True)
            return combo
        if isinstance(param, params_.FileParam):
            return self._file_widget(param)
        if isinstance(param, (params_.PointParam, params_.PolygonParam)):
            return self._map_widget(param)
        edit = QLineEdit(self)
        if isinstance(param, params_.CRSParam):
            edit.setText(str(param.default or self.project.crs or ""))
        elif param.default is not None:
            edit.setText(str(param.default))
        return edit

    def _map_widget(self, param: params_.PointParam | params_.PolygonParam) -> QWidget:
        """Coordinates as text, or picked in the 3D view: one click for a point, a click
        per corner for a polygon (until the button is released)."""
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(box)
        edit.setPlaceholderText(param.cli_hint())
        if param.default is not None:
            edit.setText(str(param.default))
        pick = QPushButton(self.tr("Pick on map"), box)
        pick.setObjectName("pick")
        pick.setCheckable(True)
        polygon = isinstance(param, params_.PolygonParam)
        pick.setToolTip(self.tr("Click the corners in the 3D view, then release this button")
                        if polygon else self.tr("Click a point in the 3D view"))
        shell = self.shell

        def clicked(world) -> None:
            text = f"{world[0]:.2f},{world[1]:.2f}"
            if polygon:
                current = edit.text().strip()
                edit.setText(f"{current};{text}" if current else text)
            else:
                edit.setText(text)
                pick.setChecked(False)

        listening = [False]

        def toggled(on: bool) -> None:
            if shell is None or on == listening[0]:
                return
            listening[0] = on
            if on:
                if polygon:
                    edit.clear()
                shell.view_clicked.connect(clicked)
            else:
                with contextlib.suppress(RuntimeError, TypeError):  # the shell went first
                    shell.view_clicked.disconnect(clicked)

        pick.toggled.connect(toggled)
        self.destroyed.connect(lambda _o=None: toggled(False))
        row.addWidget(edit)
        row.addWidget(pick)
        return box

    def _file_widget(self, param: params_.FileParam) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(box)
        edit.setObjectName("path")
        if param.default is not None:
            edit.setText(str(param.default))
        browse = QPushButton("…", box)
        pattern = " ".join(f"*{s}" for s in param.suffixes) or "*"

        def choose() -> None:
            if param.mode == "save":
                path, _ = QFileDialog.getSaveFileName(self, param.label, edit.text(), pattern)
            else:
                path, _ = QFileDialog.getOpenFileName(self, param.label, edit.text(), pattern)
            if path:
                edit.setText(path)
        browse.clicked.connect(choose)
        row.addWidget(edit, 1)
        row.addWidget(browse)
        return box

    def _link_field(self, param: params_.FieldParam) -> None:
        layer_combo = self.widgets[param.layer]
        field_combo = self.widgets[param.name]

        def refill() -> None:
            current = field_combo.currentText() or str(param.default or "")
            field_combo.clear()
            layer = self.project.layer_by_uid(layer_combo.currentData() or "")
            if layer is not None:
                field_combo.addItems(params_.layer_fields(layer, param.numeric, param.text))
            field_combo.setCurrentText(current)
        layer_combo.currentIndexChanged.connect(lambda _i: refill())
        refill()

    def _link_choices(self, param: params_.Enum) -> None:
        """Choices that follow another parameter: refilled whenever it changes, keeping
        the current choice (else the default, else the first) when still offered."""
        combo = self.widgets[param.name]
        source = self.widgets[param.depends_on]

        def refill() -> None:
            current = combo.currentData()
            try:
                choices = param.choices_for({param.depends_on:
                                             self.raw_values()[param.depends_on]})
            except params_.ParameterError as exc:
                choices = []
                combo.setToolTip(str(exc))
            combo.blockSignals(True)
            combo.clear()
            for value in choices:
                combo.addItem(self.text(param.labels.get(value, value)), value)
            for wanted in (current, param.default):
                if wanted in choices:
                    combo.setCurrentIndex(choices.index(wanted))
                    break
            combo.blockSignals(False)
            combo.currentIndexChanged.emit(combo.currentIndex())

        for signal in _change_signals(source):
            signal.connect(lambda *_a: refill())
        refill()

    def raw_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for param in self.parameters:
            w = self.widgets[param.name]
            if isinstance(w, (QSpinBox, QDoubleSpinBox)):
                values[param.name] = w.value()
            elif isinstance(w, QCheckBox):
                values[param.name] = w.isChecked()
            elif isinstance(w, QComboBox) and isinstance(param, params_.LayerParam):
                values[param.name] = self.project.layer_by_uid(w.currentData() or "")
            elif isinstance(w, QComboBox) and isinstance(param, params_.Enum):
                values[param.name] = w.currentData()
            elif isinstance(w, QComboBox):
                values[param.name] = w.currentText()
            elif isinstance(w, QLineEdit):
                values[param.name] = w.text()
            else:  # a file or coordinates: a line edit with a button
                values[param.name] = w.findChild(QLineEdit).text()
        return values

    def set_value(self, name: str, value: Any) -> None:
        """Set a form field (tests and scripted use)."""
        w = self.widgets[name]
        if isinstance(w, (QSpinBox, QDoubleSpinBox)):
            w.setValue(value)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            index = w.findData(value.uid if isinstance(value, Layer) else value)
            if index < 0:
                index = w.findText(str(value))
            if index >= 0:
                w.setCurrentIndex(index)
            elif w.isEditable():
                w.setCurrentText(str(value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))
        else:
            w.findChild(QLineEdit).setText(str(value))


def _change_signals(widget: QWidget) -> list:
    """The signals a parameter widget emits when the user changes its value."""
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return [widget.valueChanged]
    if isinstance(widget, QCheckBox):
        return [widget.toggled]
    if isinstance(widget, QComboBox):
        return [widget.currentIndexChanged] + ([widget.editTextChanged]
                                               if widget.isEditable() else [])
    if isinstance(widget, QLineEdit):
        return [widget.textChanged]
    edit = widget.findChild(QLineEdit)
    return [] if edit is None else [edit.textChanged]


def _disconnect(connections: list) -> None:
    for signal, slot in connections:
        with contextlib.suppress(RuntimeError, ValueError, TypeError):
            signal.disconnect(slot)
