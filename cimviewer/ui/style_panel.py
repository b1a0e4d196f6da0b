"""Editing a layer's style: single colour, semantic surfaces, categorical or graduated."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QFormLayout,
    QPushButton,
    QSpinBox,
    QWidget,
)

from cimviewer.core.colormaps import COLORMAP_NAMES
from cimviewer.core.layers import CityModelLayer, Layer, VectorLayer
from cimviewer.core.style import LayerStyle
from cimviewer.core.styling import attribute_fields


def layer_attributes(layer: Layer) -> list[dict]:
    if isinstance(layer, CityModelLayer):
        return layer.model.objects.attributes
    if isinstance(layer, VectorLayer):
        data = layer.data
        return [data.attributes(i) for i in range(min(data.n_features, 5000))]
    return []


class StylePanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layer: Layer | None = None
        self.mode = QComboBox(self)
        for key, label in (("single", self.tr("Single colour")),
                           ("semantic", self.tr("Semantic surfaces")),
                           ("categorical", self.tr("Categories of an attribute")),
                           ("graduated", self.tr("Classes of a numeric attribute"))):
            self.mode.addItem(label, key)
        self.attribute = QComboBox(self)
        self.classification = QComboBox(self)
        for key, label in (("equal_interval", self.tr("Equal interval")),
                           ("quantile", self.tr("Quantile")),
                           ("natural_breaks", self.tr("Natural breaks (Jenks)"))):
            self.classification.addItem(label, key)
        self.classes = QSpinBox(self)
        self.classes.setRange(2, 12)
        self.colormap = QComboBox(self)
        for name in COLORMAP_NAMES:
            self.colormap.addItem(name, name)
        self.color_button = QPushButton(self.tr("Choose…"), self)
        self.color_button.clicked.connect(self._choose_color)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Colour by"), self.mode)
        form.addRow(self.tr("Attribute"), self.attribute)
        form.addRow(self.tr("Classes"), self.classes)
        form.addRow(self.tr("Method"), self.classification)
        form.addRow(self.tr("Colour map"), self.colormap)
        form.addRow(self.tr("Colour"), self.color_button)
        self._form = form
        for widget in (self.mode, self.attribute, self.classification, self.colormap):
            widget.currentIndexChanged.connect(self._apply)
        self.classes.valueChanged.connect(self._apply)
        self.set_layer(None)

    def set_layer(self, layer: Layer | None) -> None:
        self.layer = layer
        style = layer.style if layer is not None else LayerStyle()
        widgets = (self.mode, self.attribute, self.classification, self.classes, self.colormap)
        for widget in widgets:
            widget.blockSignals(True)
        self.attribute.clear()
        if layer is not None:
            for name in attribute_fields(layer_attributes(layer)):
                self.attribute.addItem(name, name)
        self.mode.setCurrentIndex(max(0, self.mode.findData(style.mode)))
        self.attribute.setCurrentIndex(max(0, self.attribute.findData(style.attribute)))
        self.classification.setCurrentIndex(
            max(0, self.classification.findData(style.classification)))
        self.classes.setValue(style.classes)
        self.colormap.setCurrentIndex(max(0, self.colormap.findData(style.colormap)))
        for widget in widgets:
            widget.blockSignals(False)
        self.setEnabled(isinstance(layer, (CityModelLayer, VectorLayer)))
        self._update_rows()

    def _update_rows(self) -> None:
        mode = self.mode.currentData()
        by_attribute = mode in ("categorical", "graduated")
        self._form.setRowVisible(self.attribute, by_attribute)
        self._form.setRowVisible(self.classes, mode == "graduated")
        self._form.setRowVisible(self.classification, mode == "graduated")
        self._form.setRowVisible(self.colormap, mode == "graduated")
        self._form.setRowVisible(self.color_button, mode == "single")

    def _apply(self, *_args) -> None:
        self._update_rows()
        if self.layer is None:
            return
        self.layer.style = self.layer.style.with_(
            mode=self.mode.currentData(),
            attribute=self.attribute.currentData(),
            classification=self.classification.currentData(),
            classes=self.classes.value(),
            colormap=self.colormap.currentData(),
        )

    def _choose_color(self) -> None:
        if self.layer is None:
            return
        color = QColorDialog.getColor(QColor(*self.layer.style.color), self,
                                      self.tr("Layer colour"))
        if color.isValid():
            self.layer.style = self.layer.style.with_(
                mode="single", color=(color.red(), color.green(), color.blue()))
