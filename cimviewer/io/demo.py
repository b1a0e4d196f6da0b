"""The embedded demo city: the project that opens when no file is given."""

from __future__ import annotations

from pathlib import Path

from cimviewer.core.layers import TerrainLayer, VectorLayer
from cimviewer.core.project import Project
from cimviewer.io.errors import ReadError
from cimviewer.io.layers import drape_on_terrain, open_layer
from cimviewer.io.vector import read_vector
from cimviewer.resources import demo_dir

#: (file, vector layer or None, layer name, metres above terrain for 2D features)
DEMO_LAYERS: tuple[tuple[str, str | None, str, float], ...] = (
    ("terrain.tif", None, "Terrain", 0.0),
    ("buildings.city.json", None, "Buildings", 0.0),
    ("roads.gpkg", "roads", "Roads", 0.4),
    ("street_furniture.gpkg", "poles", "Poles", 0.0),
    ("infrastructure.gpkg", "substations", "Substations", 0.0),
    ("infrastructure.gpkg", "fibre_nodes", "Fibre nodes", 0.0),
    ("sensors.gpkg", "sensors", "Sensors", 0.0),
)


def demo_building_path() -> Path:
    return demo_dir() / "buildings.city.json"


def open_demo_project(folder: Path | None = None, *, with_points: bool = True) -> Project:
    """Terrain, buildings, roads and (optionally) point layers of the demo district."""
    folder = folder or demo_dir()
    if not (folder / "buildings.city.json").exists():
        raise ReadError("the demo city is missing from this installation", folder)
    project = Project()
    terrain = None
    for filename, sublayer, name, offset in DEMO_LAYERS:
        path = folder / filename
        if sublayer is None:
            layer = open_layer(path, name=name)
            if isinstance(layer, TerrainLayer):
                terrain = layer.grid
        else:
            if not with_points and offset == 0.0:
                continue
            data = read_vector(path, layer=sublayer)
            if terrain is not None:
                drape_on_terrain(data, terrain, offset)
            layer = VectorLayer(name, data, path)
            layer.load_options = {"layer": sublayer}
        project.add_layer(layer)
    return project
