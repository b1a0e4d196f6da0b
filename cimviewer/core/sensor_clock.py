"""Sensor layers follow the project clock: the time slider drives what the map shows."""

from __future__ import annotations

from cimviewer.core.project import Project
from cimviewer.core.sensors import SensorLayer


class SensorClock:
    """Keeps every sensor layer's display time equal to ``project.time`` (None when live).

    When the project has no time range yet, the first sensor layer with readings sets
    it (start, end, current = end).
    """

    def __init__(self, project: Project):
        self.project = project
        project.time.changed.connect(self.sync)
        project.layers.events.inserted.connect(self._on_inserted)
        for layer in self.layers():
            self._adopt_range(layer)
        self.sync()

    def layers(self) -> list[SensorLayer]:
        return [layer for layer in self.project.layers if isinstance(layer, SensorLayer)]

    def _on_inserted(self, _index: int, layer: object) -> None:
        if isinstance(layer, SensorLayer):
            self._adopt_range(layer)
            self.sync()

    def _adopt_range(self, layer: SensorLayer) -> None:
        time = self.project.time
        span = layer.time_range()
        if span is None or time.start is not None:
            return
        modified = self.project.modified
        time.set(start=span[0], end=span[1], current=time.current or span[1])
        if not modified:  # adopting a range is not a user change
            self.project.mark_saved()

    def sync(self) -> None:
        time = self.project.time
        when = None if time.live or time.current is None else time.current
        for layer in self.layers():
            layer.display_time = when

    def dispose(self) -> None:
        self.project.time.changed.disconnect(self.sync)
        self.project.layers.events.inserted.disconnect(self._on_inserted)
