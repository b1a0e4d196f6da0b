"""Save a project, reopen it, and compare every field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from cimviewer import __version__
from cimviewer.core.layers import MissingLayer
from cimviewer.core.project import Project
from cimviewer.io.project.file import (
    SCHEMA_VERSION,
    open_project,
    project_to_dict,
    read_document,
    save_project,
    saved_layout,
)
from tests.io.project.data import build_project

LAYOUT = {"version": 7, "state": "AAAA/w=="}


def snapshot(project: Project) -> dict:
    """Every saved field of a project, as comparable plain data."""
    return {
        "crs": project.crs,
        "origin": None if project.origin is None else [float(v) for v in project.origin],
        "layers": [{"kind": layer.kind, "name": layer.name,
                    "source": str(Path(layer.source).resolve()),
                    "load_options": layer.load_options, "lod": getattr(layer, "lod", None),
                    "visible": layer.visible, "opacity": layer.opacity,
                    "style": layer.style.to_dict()} for layer in project.layers],
        "camera": project.camera.state,
        "bookmarks": list(project.bookmarks),
        "time": project.time.to_dict(),
        "plugin_state": project.plugin_state,
    }


def test_round_trip_keeps_every_field(sample_project, tmp_path):
    (tmp_path / "work").mkdir()
    path = save_project(sample_project, tmp_path / "work" / "city", layout=LAYOUT)
    assert path == (tmp_path / "work" / "city.cimproj").resolve()
    assert sample_project.path == path and not sample_project.modified
    before = snapshot(sample_project)

    reopened = Project()
    opened = open_project(path, reopened)
    assert opened.messages == []
    assert snapshot(reopened) == before
    assert reopened.path == path and not reopened.modified
    assert saved_layout(reopened) == LAYOUT
    # vector layers were draped on the terrain again
    roads = reopened.layers[2]
    assert np.all(roads.data.vertices[:, 2] > 2.0)


def test_file_is_diffable_json_with_relative_posix_paths(sample_project, tmp_path):
    path = save_project(sample_project, tmp_path / "p.cimproj")
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and '\n  "layers": [' in text and "杆" in text  # real UTF-8
    data = json.loads(text)
    assert list(data)[:3] == ["format", "schema_version", "app_version"]
    assert data["schema_version"] == SCHEMA_VERSION and data["app_version"] == __version__
    for layer in data["layers"]:
        assert not Path(layer["source"]).is_absolute() and "\\" not in layer["source"]
        assert (path.parent / layer["source"]).exists()
    assert data["layers"][1]["format"] == "cityjson" and data["layers"][1]["lod"] == "1"
    assert data["layers"][2]["load_options"] == {"drape_offset": 0.5, "layer": "roads"}
    assert data["plugin_state"] == {"pole_siting": {"data": {"ids": [1, 2], "radius": 120},
                                                    "version": 3}}
    # saving twice gives the same bytes
    first = path.read_bytes()
    save_project(sample_project, path)
    assert path.read_bytes() == first
    assert path.with_name("p.cimproj.bak").read_bytes() == first


def test_moving_project_and_data_together_keeps_working(dataset_dir, tmp_path):
    data = tmp_path / "a" / "data"
    shutil.copytree(dataset_dir, data)
    project = build_project(data)
    save_project(project, tmp_path / "a" / "p.cimproj")
    shutil.move(tmp_path / "a", tmp_path / "b")
    opened = open_project(tmp_path / "b" / "p.cimproj")
    assert opened.messages == []
    assert not any(isinstance(layer, MissingLayer) for layer in opened.project.layers)
    assert str(opened.project.layers[0].source).startswith(str(tmp_path / "b"))


def test_missing_data_opens_as_missing_layers_and_saves_back_unchanged(dataset_dir,
                                                                        tmp_path):
    data = tmp_path / "data"
    shutil.copytree(dataset_dir, data)
    project = build_project(data)
    path = save_project(project, tmp_path / "p.cimproj")
    original = json.loads(path.read_text(encoding="utf-8"))
    (data / "buildings.city.json").unlink()
    opened = open_project(path)
    missing = [layer for layer in opened.project.layers if isinstance(layer, MissingLayer)]
    assert [layer.name for layer in missing] == ["Buildings"]
    assert len(opened.messages) == 1 and "layers[1] (Buildings)" in opened.messages[0]
    assert "does not exist" in opened.messages[0]
    assert opened.project.layers[1] is missing[0]  # same position
    save_project(opened.project, path)
    assert json.loads(path.read_text(encoding="utf-8"))["layers"] == original["layers"]


def test_unknown_lod_is_a_message_not_an_error(sample_project, tmp_path):
    data = project_to_dict(sample_project, tmp_path / "p.cimproj")
    data["layers"][1]["lod"] = "3"
    path = tmp_path / "p.cimproj"
    path.write_text(json.dumps(data), encoding="utf-8")
    opened = open_project(path)
    assert opened.project.layers[1].lod is None
    assert any("LoD 3 is not in the data" in m for m in opened.messages)


def test_open_into_the_same_project_object(sample_project, tmp_path):
    path = save_project(sample_project, tmp_path / "p.cimproj")
    other = build_project(Path(sample_project.layers[0].source).parent)
    other.bookmarks.pop()
    seen = []
    other.layers.events.inserted.connect(lambda _i, layer: seen.append(layer.name))
    opened = open_project(path, other)
    assert opened.project is other
    assert seen == ["Terrain", "Buildings", "Roads", "Poles 杆"]
    assert len(other.bookmarks) == 2


def test_document_reads_without_loading_data(sample_project, tmp_path):
    path = save_project(sample_project, tmp_path / "p.cimproj")
    doc = read_document(path)
    assert [r.name for r in doc.layers] == ["Terrain", "Buildings", "Roads", "Poles 杆"]
    assert [b.name for b in doc.bookmarks] == ["east", "west 西"]


@pytest.mark.parametrize("name", ["p", "p.cimproj", "p.CIMPROJ"])
def test_suffix_is_added_when_missing(sample_project, tmp_path, name):
    path = save_project(sample_project, tmp_path / name)
    assert path.suffix.lower() == ".cimproj"


def test_buildings_on_the_terrain_reopen_without_warnings(dataset_dir, tmp_path):
    """``on_terrain`` is a load option like any other: no 'not understood', no numpy
    warning, and the buildings stand on the terrain again."""
    import warnings

    from cimviewer.geometry.placement import drape_layers
    from cimviewer.io.layers import open_layer

    project = Project()
    dem = open_layer(dataset_dir / "dem.tif", name="Terrain")
    city = open_layer(dataset_dir / "buildings.city.json", name="Buildings",
                      project_crs=dem.crs, options={"on_terrain": True})
    drape_layers([dem, city])
    project.add_layer(dem)
    project.add_layer(city)
    lowest = city.model.mesh_for_lod(None).vertices[:, 2].min()
    path = save_project(project, tmp_path / "terrain")

    reopened = Project()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opened = open_project(path, reopened)
    assert opened.messages == []
    assert reopened.layers[1].load_options == {"on_terrain": True}
    again = reopened.layers[1].model.mesh_for_lod(None).vertices[:, 2].min()
    assert again == pytest.approx(lowest)


def test_sun_time_zone_and_shadows_are_saved(tmp_path):
    from datetime import datetime

    project = Project()
    project.sun.set(when=datetime(2024, 6, 21, 15, 0), time_zone="Asia/Shanghai",
                    latitude=22.54, longitude=114.06, shadows=True)
    path = save_project(project, tmp_path / "sun.cimproj")
    saved = json.loads(path.read_text(encoding="utf-8"))["sun"]
    assert saved["time_zone"] == "Asia/Shanghai" and saved["when"] == "2024-06-21T15:00:00"
    again = open_project(path).project
    assert again.sun.to_dict() == project.sun.to_dict()
    assert abs(again.sun.position()[1] - project.sun.position()[1]) < 1e-9


def test_a_file_with_an_unknown_time_zone_is_refused(tmp_path):
    from cimviewer.io.project.schema import ProjectError

    path = save_project(Project(), tmp_path / "bad.cimproj")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sun"]["time_zone"] = "Mars/Olympus"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProjectError, match="time zone"):
        read_document(path)
