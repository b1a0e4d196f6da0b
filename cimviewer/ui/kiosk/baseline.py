"""The kiosk's own look of the project, put back after every visitor."""

from __future__ import annotations

from dataclasses import dataclass

from cimviewer.core.project import Project
from cimviewer.core.sensors import SensorLayer


@dataclass
class _LayerLook:
    visible: bool
    opacity: float
    style: object
    lod: str | None
    sensor_settings: object


class Baseline:
    """Visibility, opacity, style, level of detail and sensor settings of every layer,
    captured once the kiosk is set up; :meth:`restore` writes them back."""

    def __init__(self, project: Project):
        self.project = project
        self.looks: dict[str, _LayerLook] = {}

    def capture(self) -> None:
        self.looks = {layer.uid: _LayerLook(
            layer.visible, layer.opacity, layer.style, getattr(layer, "lod", None),
            layer.settings if isinstance(layer, SensorLayer) else None)
            for layer in self.project.layers}

    def restore(self) -> int:
        """Put every captured layer back as it was; returns how many changed."""
        changed = 0
        for layer in self.project.layers:
            look = self.looks.get(layer.uid)
            if look is None:
                continue
            before = (layer.visible, layer.opacity, layer.style)
            layer.visible = look.visible
            layer.opacity = look.opacity
            layer.style = look.style
            if look.lod is not None and getattr(layer, "lod", None) != look.lod:
                layer.lod = look.lod
            if isinstance(layer, SensorLayer) and layer.settings != look.sensor_settings:
                layer.settings = look.sensor_settings
                changed += 1
            changed += before != (layer.visible, layer.opacity, layer.style)
        self.project.selection.clear()
        return changed
