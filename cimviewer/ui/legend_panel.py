"""The Legend dock: the current layer's style as rows of colour, class and unit.

It shows the same legend as the 3D overlay (both come from
:func:`cimviewer.core.legend.layer_legend`) and follows the current layer, its style
and its attribute values.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from cimviewer.core.layers import Layer
from cimviewer.core.legend import LegendSpec, legend_signals
from cimviewer.ui.legend_text import shown_legend

SWATCH_PX = 16


def swatch(rgb: tuple[int, int, int]) -> QIcon:
    """A square icon of one colour."""
    pixmap = QPixmap(SWATCH_PX, SWATCH_PX)
    pixmap.fill(QColor(*rgb))
    return QIcon(pixmap)


class LegendPanel(QWidget):
    """Rows of (colour swatch, class label, unit) for the layer it is shown."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layer: Layer | None = None
        self.spec = LegendSpec()
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setObjectName("legend_title")
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Colour"), self.tr("Class"), self.tr("Unit")])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.tree)
        self.refresh()

    def show_layer(self, layer: Layer | None) -> None:
        """Follow ``layer`` (the current layer), its style and its attribute values."""
        for signal in legend_signals(self.layer):
            signal.disconnect(self.refresh)
        self.layer = layer
        for signal in legend_signals(layer):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        """Read the legend of the layer again."""
        self.spec = spec = shown_legend(self.layer)
        self.tree.clear()
        if not spec.rows:
            self.title.setText(self.tr(
                "No legend: the current layer is not coloured by an attribute."))
            return
        if not spec.attribute:
            self.title.setText(spec.layer_name)
        else:
            self.title.setText(self.tr("{0}: coloured by {1}").format(
                spec.layer_name, spec.attribute_label or spec.attribute))
        for label, rgb in spec.rows:
            item = QTreeWidgetItem(["", label, spec.unit])
            item.setIcon(0, swatch(rgb))
            item.setToolTip(0, "#{:02x}{:02x}{:02x}".format(*rgb))
            self.tree.addTopLevelItem(item)
        self.tree.setColumnHidden(2, not spec.unit)
        for column in range(3):
            self.tree.resizeColumnToContents(column)

    def colors(self) -> list[tuple[int, int, int]]:
        """The swatch colours shown, top to bottom (read from the icons' pixels)."""
        found = []
        for i in range(self.tree.topLevelItemCount()):
            image = self.tree.topLevelItem(i).icon(0).pixmap(SWATCH_PX, SWATCH_PX).toImage()
            color = image.pixelColor(SWATCH_PX // 2, SWATCH_PX // 2)
            found.append((color.red(), color.green(), color.blue()))
        return found
