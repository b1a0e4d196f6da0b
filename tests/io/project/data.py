"""Small datasets written into a temporary folder, for project tests."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import numpy as np

CRS = "EPSG:32650"
X0, Y0 = 500000.0, 2500000.0


def _box(x: float, y: float, w: float, h: float, base: int) -> tuple[list, list]:
    """Vertices and a Solid shell (indices from ``base``) of a w x w x h box."""
    verts = [[x, y, 0], [x + w, y, 0], [x + w, y + w, 0], [x, y + w, 0],
             [x, y, h], [x + w, y, h], [x + w, y + w, h], [x, y + w, h]]
    b = base
    shell = [[[b + 0, b + 3, b + 2, b + 1]], [[b + 4, b + 5, b + 6, b + 7]],
             [[b + 0, b + 1, b + 5, b + 4]], [[b + 1, b + 2, b + 6, b + 5]],
             [[b + 2, b + 3, b + 7, b + 6]], [[b + 3, b + 0, b + 4, b + 7]]]
    return verts, shell


def write_cityjson(path: Path, n: int = 4) -> Path:
    """``n`` box buildings in a row, each with an LoD 1 and an LoD 2 geometry."""
    vertices: list = []
    objects = {}
    for i in range(n):
        geoms = []
        for lod, h in (("1", 10.0 + 5 * i), ("2", 12.0 + 5 * i)):
            verts, shell = _box(X0 + 40 * i, Y0, 20.0, h, len(vertices))
            vertices += verts
            geoms.append({"type": "Solid", "lod": lod, "boundaries": [shell]})
        objects[f"B{i}"] = {"type": "Building", "attributes": {"height": 10 + 5 * i},
                            "geometry": geoms}
    scale = 0.001
    ints = [[round((v[0] - X0) / scale), round((v[1] - Y0) / scale), round(v[2] / scale)]
            for v in vertices]
    doc = {"type": "CityJSON", "version": "2.0",
           "transform": {"scale": [scale] * 3, "translate": [X0, Y0, 0.0]},
           "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/32650"},
           "CityObjects": objects, "vertices": ints}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def write_dem(path: Path) -> Path:
    import rasterio
    from rasterio.transform import from_origin

    rows, cols = 30, 40
    yy, xx = np.mgrid[0:rows, 0:cols]
    heights = (2.0 + 0.05 * xx + 0.02 * yy).astype("float32")
    transform = from_origin(X0 - 100, Y0 + 100, 5.0, 5.0)
    with rasterio.open(path, "w", driver="GTiff", height=rows, width=cols, count=1,
                       dtype="float32", crs=CRS, transform=transform) as dst:
        dst.write(heights, 1)
    return path


def write_gpkg(path: Path) -> Path:
    import geopandas as gpd
    from shapely.geometry import LineString, Point

    poles = gpd.GeoDataFrame({"pid": [1, 2, 3]},
                             geometry=[Point(X0 + 10 * i, Y0 - 20) for i in range(3)], crs=CRS)
    roads = gpd.GeoDataFrame({"name": ["a", "b"]},
                             geometry=[LineString([(X0 - 50, Y0 - 10), (X0 + 150, Y0 - 10)]),
                                       LineString([(X0 - 10, Y0 - 60), (X0 - 10, Y0 + 60)])],
                             crs=CRS)
    poles.to_file(path, layer="poles", driver="GPKG")
    roads.to_file(path, layer="roads", driver="GPKG")
    return path


def write_dataset(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {"buildings": write_cityjson(folder / "buildings.city.json"),
            "dem": write_dem(folder / "dem.tif"),
            "gpkg": write_gpkg(folder / "things.gpkg")}


FIXTURES = Path(__file__).resolve().parents[2] / "data" / "projects"


def build_project(data: Path):
    """A project exercising every saved field (styles, LoD, visibility, plugins...)."""
    from cimviewer.core.bookmarks import Bookmark
    from cimviewer.core.camera import CameraState
    from cimviewer.core.project import Project
    from cimviewer.geometry.placement import drape_layers
    from cimviewer.io.layers import open_layer

    project = Project()
    dem = open_layer(data / "dem.tif", name="Terrain")
    crs = dem.crs
    city = open_layer(data / "buildings.city.json", name="Buildings", project_crs=crs)
    roads = open_layer(data / "things.gpkg", name="Roads", project_crs=crs,
                       options={"layer": "roads", "drape_offset": 0.5})
    poles = open_layer(data / "things.gpkg", name="Poles 杆", project_crs=crs,
                       options={"layer": "poles", "drape_offset": 0.0})
    drape_layers([dem, city, roads, poles])
    for layer in (dem, city, roads, poles):
        project.add_layer(layer)
    city.lod = "1"
    city.opacity = 0.75
    city.style = city.style.with_(mode="graduated", attribute="height", colormap="magma",
                                  classes=4, classification="equal_interval")
    roads.visible = False
    poles.style = poles.style.with_(color=(10, 200, 30), mode="categorical",
                                    attribute="kind", attribute_label="杆型",
                                    value_labels=(("lamp", "路灯杆"),))
    east = CameraState((500300.0, 2500010.0, 40.0), (500070.0, 2500010.0, 5.0),
                       (0.0, 0.0, 1.0), 35.0)
    west = CameraState((499700.0, 2500010.0, 60.0), (499950.0, 2500010.0, 0.0))
    project.bookmarks.append(Bookmark("east", east))
    project.bookmarks.append(Bookmark("west 西", west))
    project.camera.state = CameraState((500070.0, 2499700.0, 300.0), (500070.0, 2500010.0, 0.0))
    project.time.set(current=datetime(2024, 5, 1, 12, 30), start=datetime(2024, 5, 1),
                     end=datetime(2024, 5, 2), speed=60.0)
    project.plugin_state["pole_siting"] = {"version": 3, "data": {"radius": 120, "ids": [1, 2]}}
    return project
