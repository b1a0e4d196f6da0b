"""Older project files upgrade step by step; newer ones open with a clear message."""

from __future__ import annotations

import json
import shutil

import pytest

from cimviewer.core.layers import MissingLayer
from cimviewer.io.project.file import SCHEMA_VERSION, open_project, read_document, save_project
from cimviewer.io.project.migrations import MIGRATIONS, v1_to_v2
from cimviewer.io.project.relocate import relocate_missing
from cimviewer.io.project.schema import Checker, ProjectError
from tests.io.project.data import FIXTURES


def test_every_old_schema_has_a_migration_step():
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_v1_to_v2_reshapes_the_draft_format(tmp_path):
    data = json.loads((FIXTURES / "v1_draft.cimproj").read_text(encoding="utf-8"))
    notes: list[str] = []
    out = v1_to_v2(data, tmp_path, Checker(), notes)
    assert out["schema_version"] == 2
    roads = out["layers"][2]
    assert roads["visible"] is False and "show" not in roads
    assert roads["load_options"] == {"layer": "roads", "drape_offset": 0.4}
    assert roads["source"].endswith("srv/gis/city/data/things.gpkg")
    assert out["camera"]["view_angle"] == 30.0 and out["camera"]["view_up"] == [0, 0, 1]
    assert [b["name"] for b in out["bookmarks"]] == ["east", "west"]
    assert out["plugin_state"] == {"pole_siting": {"version": 1, "data": {"radius": 80}}}
    assert "window_state" not in out and any("window layout" in n for n in notes)


def test_v1_file_with_data_in_place_opens_completely(dataset_dir, tmp_path):
    text = (FIXTURES / "v1_draft.cimproj").read_text(encoding="utf-8")
    path = tmp_path / "old.cimproj"
    path.write_text(text.replace("/srv/gis/city/data", dataset_dir.as_posix()), encoding="utf-8")
    opened = open_project(path)
    project = opened.project
    assert any("upgraded from schema 1 to 2" in m for m in opened.messages)
    assert [layer.kind for layer in project.layers] == ["terrain", "citymodel", "vector"]
    city = project.layers[1]
    assert city.lod == "2" and city.opacity == 0.5 and city.style.color == (200, 100, 50)
    assert project.layers[2].visible is False
    assert project.camera.state.position == (500070.0, 2499700.0, 300.0)
    assert [b.name for b in project.bookmarks] == ["east", "west"]
    assert project.time.speed == 2.0 and project.time.current.hour == 12
    assert project.plugin_state["pole_siting"]["version"] == 1
    # saving writes the current schema with relative paths
    saved = save_project(project, tmp_path / "new.cimproj")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION
    assert not data["layers"][0]["source"].startswith("/")


def test_v1_file_with_moved_data_is_relocated_in_one_step(dataset_dir, tmp_path):
    path = tmp_path / "old.cimproj"
    shutil.copy(FIXTURES / "v1_draft.cimproj", path)
    opened = open_project(path)
    assert all(isinstance(layer, MissingLayer) for layer in opened.project.layers)
    assert len(opened.messages) >= 3
    assert relocate_missing(opened.project, dataset_dir) == 3
    assert [layer.kind for layer in opened.project.layers] == ["terrain", "citymodel", "vector"]
    assert opened.project.layers[1].lod == "2" and opened.project.layers[1].opacity == 0.5
    assert opened.project.modified


def test_newer_file_opens_and_lists_what_was_not_understood(tmp_path):
    path = tmp_path / "new.cimproj"
    shutil.copy(FIXTURES / "v9_newer.cimproj", path)
    opened = open_project(path)
    first = opened.messages[0]
    assert "newer cimviewer 3.1.0" in first and "schema 9" in first
    for key in ("scenes", "annotations", "layers[0].point_size"):
        assert key in first
    (scan,) = opened.project.layers
    assert isinstance(scan, MissingLayer) and "splats" in scan.reason
    # saving again loses nothing this version did not understand
    save_project(opened.project, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["scenes"] == [{"name": "night", "sun": 0.1}]
    assert data["annotations"] == {"count": 0}
    assert data["layers"][0]["point_size"] == 2 and data["layers"][0]["type"] == "splats"
    assert data["plugin_state"]["coverage_5g"] == {"version": 12, "data": {"bands": [3500]},
                                                   "checksum": "x"}


def test_newer_file_with_a_changed_field_names_the_version(tmp_path):
    data = json.loads((FIXTURES / "v9_newer.cimproj").read_text(encoding="utf-8"))
    data["camera"] = "orbit:12"
    path = tmp_path / "n.cimproj"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProjectError, match=r"camera: must be a JSON object .*newer.*schema 9"):
        read_document(path)


def test_unknown_keys_in_a_current_file_are_reported(sample_project, tmp_path):
    path = save_project(sample_project, tmp_path / "p.cimproj")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["layers"][0]["colour_ramp"] = "x"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_document(path).messages == [
        "not understood and kept unchanged: layers[0].colour_ramp"]
