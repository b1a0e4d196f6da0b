"""Fixtures for project-file tests: small data files and a project that uses them all."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.project.data import write_dataset

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "projects"


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory) -> Path:
    """A read-only folder with buildings.city.json, dem.tif and things.gpkg."""
    folder = tmp_path_factory.mktemp("dataset") / "data"
    write_dataset(folder)
    return folder


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
    poles.style = poles.style.with_(color=(10, 200, 30))
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


@pytest.fixture
def sample_project(dataset_dir):
    return build_project(dataset_dir)
