"""The embedded demo city: the project that opens when no file is given."""

from __future__ import annotations

from pathlib import Path

from cimviewer.core.project import Project
from cimviewer.geometry.placement import drape_layers, place_sensors
from cimviewer.io.errors import ReadError
from cimviewer.io.layers import open_layer
from cimviewer.resources import demo_dir

#: (file, layer name, load options); vector features are draped on the terrain
DEMO_LAYERS: tuple[tuple[str, str, dict], ...] = (
    ("terrain.tif", "Terrain", {}),
    ("buildings.city.json", "Buildings", {}),
    ("roads.gpkg", "Roads", {"layer": "roads", "drape_offset": 0.4}),
    ("street_furniture.gpkg", "Poles", {"layer": "poles", "drape_offset": 0.0}),
    ("infrastructure.gpkg", "Substations", {"layer": "substations", "drape_offset": 0.0}),
    ("infrastructure.gpkg", "Fibre nodes", {"layer": "fibre_nodes", "drape_offset": 0.0}),
)
#: the sensor layer: positions (on poles), replaying the readings CSV (+08:00)
DEMO_SENSORS = ("sensors.gpkg", "Sensors", {"layer": "sensors"}, "sensor_readings.csv")


def demo_building_path() -> Path:
    return demo_dir() / "buildings.city.json"


def _demo_sensors(folder: Path, crs: str | None, names: dict[str, str]):
    from cimviewer.core.sensors import SensorSettings
    from cimviewer.io.sensors.readings import open_sensor_layer

    filename, name, options, readings = DEMO_SENSORS
    settings = SensorSettings(replay={"path": str(folder / readings), "timezone": "+08:00"},
                              surface_quantity="pm25")
    return open_sensor_layer(folder / filename, name=names.get(name, name), project_crs=crs,
                             options=options,
                             settings=settings)


def open_demo_project(folder: Path | None = None, *, with_points: bool = True,
                      names: dict[str, str] | None = None) -> Project:
    """Terrain, buildings, roads and (optionally) point layers of the demo district.

    ``names`` shows the layers under other names (the UI's language): English name ->
    name."""
    names = names or {}
    folder = folder or demo_dir()
    if not (folder / "buildings.city.json").exists():
        raise ReadError("the demo city is missing from this installation", folder)
    layers = []
    crs = None
    for filename, name, options in DEMO_LAYERS:
        if not with_points and filename != "roads.gpkg" and "layer" in options:
            continue
        layer = open_layer(folder / filename, name=names.get(name, name), project_crs=crs,
                           options=options)
        crs = crs or layer.crs
        layers.append(layer)
    if with_points:
        layers.append(_demo_sensors(folder, crs, names))
    drape_layers(layers)
    place_sensors(layers)
    project = Project()
    for layer in layers:
        project.add_layer(layer)
    project.mark_saved()
    return project
