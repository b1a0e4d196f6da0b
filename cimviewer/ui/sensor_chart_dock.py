"""The sensor chart: series of the selected sensors on one pyqtgraph plot.

Click a sensor to chart it; Ctrl+click adds more to compare. In live mode the plot
scrolls with the newest readings. pyqtgraph is imported on first use (start-up time).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from cimviewer.core import colormaps
from cimviewer.core.project import Project
from cimviewer.core.sensors import SensorLayer

LIVE_WINDOW_S = 600.0


class ChartPanel(QWidget):
    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        hint = self.tr("Click a sensor on the map to chart it; Ctrl+click adds sensors to compare.")
        self.hint = QLabel(hint, self)
        self.hint.setWordWrap(True)
        self.layout_.addWidget(self.hint)
        self.plot = None
        self.cursor = None
        self.curves: dict[tuple[str, int], object] = {}
        self.series: list[tuple[SensorLayer, int]] = []

    def _ensure_plot(self) -> None:
        if self.plot is not None:
            return
        import pyqtgraph as pg

        self.plot = pg.PlotWidget(self, axisItems={"bottom": pg.DateAxisItem()})
        self.plot.setBackground("w")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.addLegend()
        self.cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen((120, 120, 120), width=1))
        self.plot.addItem(self.cursor)
        self.layout_.addWidget(self.plot)
        self.hint.hide()

    def show_sensors(self, items: list[tuple[SensorLayer, int]]) -> None:
        """Chart exactly these sensors (layer, row)."""
        import pyqtgraph as pg

        self._ensure_plot()
        keep = {(lay.uid, row) for lay, row in items}
        for key in [k for k in self.curves if k not in keep]:
            curve = self.curves.pop(key)
            self.plot.removeItem(curve)
            self.plot.plotItem.legend.removeItem(curve)
        self.series = list(items)
        if items:  # times on the axis in the data's own time zone (the time dock's too)
            self.set_time_zone(items[0][0].tzinfo)
        for n, (layer, row) in enumerate(items):
            key = (layer.uid, row)
            if key not in self.curves:
                color = tuple(int(c) for c in colormaps.CATEGORY_COLORS[n % 10])
                name = f"{layer.table.ids[row]} ({layer.table.units[row]})"
                self.curves[key] = self.plot.plot([], [], pen=pg.mkPen(color, width=2),
                                                  name=name)
        self.refresh()

    def set_time_zone(self, tz) -> None:
        """Label the time axis in ``tz`` (None: UTC); one offset, as pyqtgraph allows."""
        from datetime import datetime, timezone

        offset = (tz or timezone.utc).utcoffset(datetime.now(timezone.utc))
        east = offset.total_seconds() if offset is not None else 0.0
        axis = self.plot.getAxis("bottom")
        axis.utcOffset = -int(east)  # pyqtgraph counts seconds west of UTC
        axis.picture = None
        axis.update()

    def refresh(self) -> None:
        """Re-read the series from the ring buffers (called at the GUI tick)."""
        if self.plot is None or not self.series:
            return
        newest = -np.inf
        for layer, row in self.series:
            t, v = layer.history.series(row)
            self.curves[(layer.uid, row)].setData(t, v)
            if len(t):
                newest = max(newest, float(t[-1]))
        time = self.project.time
        if time.live and np.isfinite(newest):
            self.plot.setXRange(newest - LIVE_WINDOW_S, newest, padding=0.02)
            self.cursor.setPos(newest)
        elif time.current is not None:
            self.cursor.setPos(time.current.timestamp())

    def curve_data(self, layer: SensorLayer, row: int) -> tuple[np.ndarray, np.ndarray]:
        curve = self.curves[(layer.uid, row)]
        x, y = curve.getData()
        return (np.zeros(0) if x is None else x), (np.zeros(0) if y is None else y)
