"""The point cloud layer in the project file (layer type ``"pointcloud"``).

A point cloud record is an ordinary layer record (``source`` = the LAS / LAZ file,
``load_options`` with its ``crs`` when the user gave one) plus a ``"pointcloud"`` object
with the display settings: ``color_mode`` (rgb, intensity, classification, height) and
``point_size`` (pixels). The height colour map is the layer style's ``colormap``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cimviewer.core.layers import Layer, PointCloudLayer
from cimviewer.core.pointcloud import COLOR_MODES
from cimviewer.io.project.schema import Checker

#: keys a point cloud record has beyond the common ones
KEYS = {"pointcloud"}


def parse(raw: dict[str, Any], where: str, checker: Checker,
          base_dir: Path | None) -> dict[str, Any]:
    """Validate the ``pointcloud`` object of a layer record (raises ProjectError)."""
    where = f"{where}.pointcloud"
    data = checker.obj(raw.get("pointcloud", {}), where)
    checker.note_unknown(data, {"color_mode", "point_size"}, where)
    out: dict[str, Any] = {}
    if data.get("color_mode") is not None:
        mode = checker.text(data["color_mode"], f"{where}.color_mode", nonempty=True)
        if mode not in COLOR_MODES:
            raise checker.fail(f"{where}.color_mode", f"must be one of {', '.join(COLOR_MODES)}")
        out["color_mode"] = mode
    if "point_size" in data:
        out["point_size"] = checker.number(data["point_size"], f"{where}.point_size", 1, 20)
    return out


def open_record(record, crs: str | None) -> Layer:
    """The point cloud layer of a record (raises ReadError when its file cannot be read)."""
    from cimviewer.io.layers import open_layer

    layer = open_layer(record.path, name=record.name, project_crs=crs,
                       options=record.load_options)
    settings = record.parsed or {}
    if isinstance(layer, PointCloudLayer):
        mode = settings.get("color_mode")
        if mode in layer.cloud.color_modes():  # a mode the file no longer has: default
            layer.color_mode = mode
        if "point_size" in settings:
            layer.point_size = settings["point_size"]
    return layer


def record_extra(layer: Layer, project_dir: Path | None) -> dict[str, Any]:
    """The keys a point cloud layer adds to its record when saved."""
    if not isinstance(layer, PointCloudLayer):
        return {}
    return {"pointcloud": {"color_mode": layer.color_mode, "point_size": layer.point_size}}


def after_load(layers: list[Layer]) -> None:
    """Nothing to place once all layers are read."""
