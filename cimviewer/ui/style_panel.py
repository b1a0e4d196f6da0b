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
from cimviewer.core.layers import CityModelLayer, Layer, RasterLayer, VectorLayer
from cimviewer.core.style import LayerStyle
from cimviewer.core.styling import TYPE_FIELD, attribute_fields, numeric_fields


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
        labels = {"viridis": self.tr("Viridis (blue–yellow)"), "terrain": self.tr("Terrain"),
                  "reds": self.tr("Reds"), "rdylgn": self.tr("Red–yellow–green")}
        for name in COLORMAP_NAMES:
            self.colormap.addItem(labels.get(name, name), name)
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
        self.mode.currentIndexChanged.connect(self._on_mode)
        for widget in (self.attribute, self.classification, self.colormap):
            widget.currentIndexChanged.connect(self._apply)
        self.classes.valueChanged.connect(self._apply)
        self.set_layer(None)

    def set_layer(self, layer: Layer | None) -> None:
        if isinstance(self.layer, CityModelLayer):
            self.layer.attribute_changed.disconnect(self._on_attribute_changed)
        self.layer = layer
        if isinstance(layer, CityModelLayer):
            # fields joined or computed later are offered as soon as they exist
            layer.attribute_changed.connect(self._on_attribute_changed)
        style = layer.style if layer is not None else LayerStyle()
        widgets = (self.mode, self.attribute, self.classification, self.classes, self.colormap)
        for widget in widgets:
            widget.blockSignals(True)
        self.mode.setCurrentIndex(max(0, self.mode.findData(style.mode)))
        self._fill_attributes(style.attribute)
        self._fill_classifications(bool(style.fixed_classes))
        self.classification.setCurrentIndex(
            max(0, self.classification.findData(style.classification)))
        self.classes.setValue(style.classes)
        self.colormap.setCurrentIndex(max(0, self.colormap.findData(style.colormap)))
        for widget in widgets:
            widget.blockSignals(False)
        self.setEnabled(isinstance(layer, (CityModelLayer, VectorLayer, RasterLayer)))
        self.mode.setEnabled(not isinstance(layer, RasterLayer))  # values: classes only
        self._update_rows()

    def _fill_classifications(self, fixed: bool) -> None:
        """Offer the style's own fixed classes (a result's bands) when it has them."""
        index = self.classification.findData("fixed")
        if fixed and index < 0:
            self.classification.addItem(self.tr("Classes of the result"), "fixed")
        elif not fixed and index >= 0:
            self.classification.removeItem(index)

    def _fill_attributes(self, wanted: str | None) -> None:
        """The fields the mode can colour by: numeric ones for classes, any for
        categories (and the object type of a city model); keeps ``wanted`` if listed."""
        self.attribute.blockSignals(True)
        self.attribute.clear()
        layer = self.layer
        if isinstance(layer, RasterLayer):
            self.attribute.addItem(layer.grid.name, layer.grid.name)
        elif layer is not None:
            attributes = layer_attributes(layer)
            if self.mode.currentData() == "graduated":
                names = numeric_fields(attributes)
            else:
                names = attribute_fields(attributes)
                if isinstance(layer, CityModelLayer):
                    self.attribute.addItem(self.tr("Object type"), TYPE_FIELD)
            for name in names:
                self.attribute.addItem(name, name)
        self.attribute.setCurrentIndex(max(0, self.attribute.findData(wanted)))
        self.attribute.blockSignals(False)

    def _on_attribute_changed(self, _name: str) -> None:
        self._fill_attributes(self.attribute.currentData())

    def _on_mode(self, *_args) -> None:
        self._fill_attributes(self.attribute.currentData())
        self._apply()

    def _update_rows(self) -> None:
        mode = self.mode.currentData()
        by_attribute = mode in ("categorical", "graduated")
        self._form.setRowVisible(self.attribute, by_attribute)
        fixed = self.classification.currentData() == "fixed"
        self._form.setRowVisible(self.classes, mode == "graduated" and not fixed)
        self._form.setRowVisible(self.classification, mode == "graduated")
        self._form.setRowVisible(self.colormap, mode == "graduated" and not fixed)
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
