"""The sensor layer in the project file (layer type ``"sensors"``).

A sensor layer record is an ordinary layer record (``source`` = the sensor positions)
plus a ``"sensors"`` object with the layer's :class:`SensorSettings`. The replay file's
path is stored relative to the project like every data path. The live connection is
stored without its password: passwords live in the system keyring only.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from cimviewer.core.layers import Layer
from cimviewer.core.sensors import SensorLayer, SensorSettings
from cimviewer.io.project.paths import resolve_stored, store_path
from cimviewer.io.project.schema import Checker

#: keys a sensor layer record has beyond the common ones
KEYS = {"sensors"}
#: a layer fed by a live connection or a readings file alone has no positions file
SOURCE_OPTIONAL = True
_SECRET_KEYS = {"password", "passwd", "secret", "token"}


def parse(raw: dict[str, Any], where: str, checker: Checker,
          base_dir: Path | None) -> SensorSettings:
    """Validate the ``sensors`` object of a layer record (raises ProjectError)."""
    data = checker.obj(raw.get("sensors", {}), f"{where}.sensors")
    where = f"{where}.sensors"
    if "history" in data:
        checker.integer(data["history"], f"{where}.history", 1, 1_000_000)
    if "surface_neighbours" in data:
        checker.integer(data["surface_neighbours"], f"{where}.surface_neighbours", 1, 10_000)
    for key in ("colormap", "surface_quantity"):
        checker.text(data.get(key), f"{where}.{key}", optional=True)
    if "labels" in data:
        checker.flag(data["labels"], f"{where}.labels")
    for key, lo, hi in (("glyph_size", 0.0, 1e4), ("surface_power", 0.0, 16.0)):
        if key in data:
            checker.number(data[key], f"{where}.{key}", lo, hi, lo_open=True)
    if data.get("replay") is not None:
        replay = checker.obj(data["replay"], f"{where}.replay")
        checker.text(replay.get("path"), f"{where}.replay.path", nonempty=True)
    if data.get("live") is not None:
        live = checker.obj(data["live"], f"{where}.live")
        checker.text(live.get("broker"), f"{where}.live.broker", nonempty=True)
    return settings_from_record(raw, base_dir)


def settings_from_record(raw: dict[str, Any], base_dir: Path | None) -> SensorSettings:
    data = copy.deepcopy(raw.get("sensors") or {})
    replay = data.get("replay")
    if replay:
        replay["path"] = str(resolve_stored(replay["path"], base_dir))
    live = data.get("live")
    if live:
        for key in _SECRET_KEYS:
            live.pop(key, None)
    return SensorSettings.from_dict(data)


def open_record(record, crs: str | None) -> SensorLayer:
    """The sensor layer of a record (raises ReadError when its data cannot be read)."""
    from cimviewer.io.sensors.readings import load_replay, open_sensor_layer

    if record.path is None:  # sensors known by id only: placed on their poles after load
        layer = SensorLayer(record.name, crs=crs, settings=record.parsed)
        load_replay(layer)
        return layer
    return open_sensor_layer(record.path, name=record.name, project_crs=crs,
                             options=record.load_options, settings=record.parsed)


def record_extra(layer: Layer, project_dir: Path | None) -> dict[str, Any]:
    """The keys a sensor layer adds to its record when saved."""
    if not isinstance(layer, SensorLayer):
        return {}
    data = layer.settings.to_dict()
    if data["replay"]:
        data["replay"] = dict(data["replay"], path=store_path(data["replay"]["path"],
                                                              project_dir))
    if data["live"]:
        data["live"] = {k: v for k, v in data["live"].items() if k not in _SECRET_KEYS}
    return {"sensors": data}


def after_load(layers: list[Layer]) -> None:
    """Place sensors on the terrain and their poles once all layers are read."""
    from cimviewer.geometry.placement import place_sensor_layers

    place_sensor_layers(layers)
