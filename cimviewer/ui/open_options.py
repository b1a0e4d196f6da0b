"""How to open a file: the load options the readers know, offered where they apply.

After a file is chosen in File > Open, formats with choices get a short dialog:
vector files (which layer; polygons extruded into LoD1 buildings from a height or
storeys field; features draped on the terrain), DEM rasters (an image draped on them),
CityJSONSeq files (streamed from disk) and IFC building models (placed by hand: map
coordinates of the model's origin, rotation and CRS, for files without georeferencing
or to override it). The result is the layer's ``load_options``,
saved with the project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cimviewer.io.errors import ReadError
from cimviewer.io.pointcloud.reader import POINT_SUFFIXES
from cimviewer.io.raster import RASTER_SUFFIXES
from cimviewer.io.vector import VECTOR_SUFFIXES, layer_info

HEIGHT_NAMES = ("height", "height_m", "measuredheight", "h", "building_height", "高度")
STOREY_NAMES = ("storeys", "floors", "levels", "building:levels", "num_floors", "层数")


def has_options(path: Path) -> bool:
    """Whether opening ``path`` offers choices."""
    name = path.name.lower()
    return name.endswith((*VECTOR_SUFFIXES, *RASTER_SUFFIXES, ".city.jsonl", ".jsonl",
                          ".ifc", *POINT_SUFFIXES))


class OpenOptionsDialog(QDialog):
    """Load options for one file; :meth:`options` gives them once accepted."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("open_options")
        self.path = Path(path)
        self.setWindowTitle(self.tr("Open {0}").format(self.path.name))
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        name = self.path.name.lower()
        self.kind = ("vector" if name.endswith(VECTOR_SUFFIXES) else
                     "raster" if name.endswith(RASTER_SUFFIXES) else
                     "ifc" if name.endswith(".ifc") else
                     "pointcloud" if name.endswith(POINT_SUFFIXES) else "sequence")
        {"vector": self._vector, "raster": self._raster, "sequence": self._sequence,
         "ifc": self._ifc, "pointcloud": self._pointcloud}[self.kind]()

    # --- vector files -----------------------------------------------------------------
    def _vector(self) -> None:
        try:
            info = layer_info(self.path)
        except ReadError as exc:
            self.form.addRow(QLabel(exc.one_line(), self))
            return
        self.layer = QComboBox(self)
        for name in info["layers"]:
            self.layer.addItem(name, name)
        self.layer.currentIndexChanged.connect(self._on_layer)
        if len(info["layers"]) > 1:
            self.form.addRow(self.tr("Layer"), self.layer)
        self.extrude = QCheckBox(self.tr("Extrude polygons into LoD1 buildings"), self)
        self.height_field = QComboBox(self)
        self.storeys_field = QComboBox(self)
        self.storey_height = _spin(3.0, self.tr(" m"), 0.5, 20.0)
        self.default_height = _spin(10.0, self.tr(" m"), 0.5, 1000.0)
        self.drape = QCheckBox(self.tr("Drape on the terrain"), self)
        self.drape_offset = _spin(0.0, self.tr(" m"), -100.0, 1000.0)
        self.form.addRow(self.extrude)
        self.form.addRow(self.tr("Height field"), self.height_field)
        self.form.addRow(self.tr("Storeys field"), self.storeys_field)
        self.form.addRow(self.tr("Storey height"), self.storey_height)
        self.form.addRow(self.tr("Height where unknown"), self.default_height)
        self.form.addRow(self.drape)
        self.form.addRow(self.tr("Above the terrain by"), self.drape_offset)
        self.extrude.toggled.connect(self._enable)
        self.drape.toggled.connect(self._enable)
        self._on_layer()

    def _on_layer(self, *_args: object) -> None:
        try:
            info = layer_info(self.path, self.layer.currentData())
        except ReadError:
            return
        polygons = "polygon" in info["geometry"].lower()
        numbers = [name for name, kind in info["fields"].items() if kind == "number"]
        for combo, wanted in ((self.height_field, HEIGHT_NAMES),
                              (self.storeys_field, STOREY_NAMES)):
            combo.clear()
            combo.addItem(self.tr("(none)"), None)
            for name in numbers:  # heights and storeys are numbers: no text fields here
                combo.addItem(name, name)
            match = next((n for n in numbers if n.lower() in wanted), None)
            if match is not None:
                combo.setCurrentIndex(combo.findData(match))
        self.extrude.setEnabled(polygons)
        self.extrude.setChecked(polygons and self.height_field.currentData() is not None)
        self.drape.setChecked(not polygons)
        self._enable()

    def _enable(self, *_args: object) -> None:
        on = self.extrude.isChecked()
        for widget in (self.height_field, self.storeys_field, self.storey_height,
                       self.default_height):
            widget.setEnabled(on)
        self.drape.setEnabled(not on)
        self.drape_offset.setEnabled(self.drape.isChecked() and not on)

    # --- rasters and sequences ------------------------------------------------------------
    def _raster(self) -> None:
        self.imagery = QLineEdit(self)
        self.imagery.setPlaceholderText(self.tr("(none)"))
        browse = QPushButton(self.tr("Choose…"), self)
        browse.clicked.connect(self._choose_imagery)
        row = QHBoxLayout()
        row.addWidget(self.imagery, 1)
        row.addWidget(browse)
        self.form.addRow(self.tr("Image draped on the terrain"), row)

    def _choose_imagery(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Image draped on the terrain"), str(self.path.parent),
            self.tr("Images (*.tif *.tiff *.png *.jpg *.jpeg)"))
        if path:
            self.imagery.setText(path)

    def _sequence(self) -> None:
        self.streamed = QCheckBox(self.tr("Stream from disk (for cities larger than memory)"),
                                  self)
        from cimviewer.io.registry import STREAM_AUTO_BYTES

        self.streamed.setChecked(self.path.stat().st_size > STREAM_AUTO_BYTES)
        self.form.addRow(self.streamed)

    # --- IFC building models ----------------------------------------------------------------
    def _ifc(self) -> None:
        text = self.tr("Georeferenced files are placed by their IfcMapConversion or site.")
        note = QLabel(text, self)
        note.setWordWrap(True)
        self.form.addRow(note)
        self.place = QCheckBox(self.tr("Place the model by hand (overrides the file)"), self)
        self.origin_x = _spin(0.0, self.tr(" m"), -1e9, 1e9, 3)
        self.origin_y = _spin(0.0, self.tr(" m"), -1e9, 1e9, 3)
        self.origin_z = _spin(0.0, self.tr(" m"), -1e5, 1e5, 3)
        self.rotation = _spin(0.0, self.tr(" °"), -360.0, 360.0, 3)
        self.rotation.setToolTip(self.tr("Degrees anticlockwise from map east to model x"))
        self.crs = QLineEdit(self)
        self.crs.setPlaceholderText(self.tr("EPSG code, e.g. EPSG:4547 (empty: from the file)"))
        self.form.addRow(self.place)
        self.form.addRow(self.tr("Origin easting (x)"), self.origin_x)
        self.form.addRow(self.tr("Origin northing (y)"), self.origin_y)
        self.form.addRow(self.tr("Origin height (z)"), self.origin_z)
        self.form.addRow(self.tr("Rotation"), self.rotation)
        self.form.addRow(self.tr("Coordinate system"), self.crs)
        self.place.toggled.connect(self._enable_placement)
        self._enable_placement()

    def _enable_placement(self, *_args: object) -> None:
        for widget in (self.origin_x, self.origin_y, self.origin_z, self.rotation):
            widget.setEnabled(self.place.isChecked())

    # --- point clouds ---------------------------------------------------------------------
    def _pointcloud(self) -> None:
        self.crs = QLineEdit(self)
        self.crs.setPlaceholderText(self.tr("(as in the file, else the project CRS)"))
        tip = self.tr("CRS of the coordinates (EPSG:4547...) when the file names none")
        self.crs.setToolTip(tip)
        self.form.addRow(self.tr("Coordinate system"), self.crs)

    # --- the result ---------------------------------------------------------------------
    def options(self) -> dict[str, Any]:
        """The load options chosen (only those that differ from reading as is)."""
        out: dict[str, Any] = {}
        if self.kind == "vector" and hasattr(self, "layer"):
            if self.layer.count() > 1:
                out["layer"] = self.layer.currentData()
            if self.extrude.isChecked():
                out["extrude"] = True
                for key, combo in (("height_attribute", self.height_field),
                                   ("storeys_attribute", self.storeys_field)):
                    if combo.currentData() is not None:
                        out[key] = combo.currentData()
                out["storey_height"] = self.storey_height.value()
                out["default_height"] = self.default_height.value()
                out["on_terrain"] = True
            elif self.drape.isChecked():
                out["drape_offset"] = self.drape_offset.value()
        elif self.kind == "raster" and self.imagery.text().strip():
            image = Path(self.imagery.text().strip())
            out["imagery"] = (image.name if image.parent == self.path.parent
                              else str(image))
        elif self.kind == "sequence":
            out["streamed"] = self.streamed.isChecked()
        elif self.kind == "ifc":
            if self.place.isChecked():
                out.update(origin_x=self.origin_x.value(), origin_y=self.origin_y.value(),
                           origin_z=self.origin_z.value(), rotation=self.rotation.value())
            if self.crs.text().strip():
                out["crs"] = self.crs.text().strip()
        elif self.kind == "pointcloud" and self.crs.text().strip():
            out["crs"] = self.crs.text().strip()
        return out


def _spin(value: float, suffix: str, low: float, high: float,
          decimals: int = 1) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin
