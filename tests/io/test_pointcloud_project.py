"""Point cloud layers in project files: saved, reopened with their display settings."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cimviewer.core.project import Project
from cimviewer.io.layers import open_layer
from cimviewer.io.project.file import open_project, save_project
from cimviewer.io.project.schema import ProjectError
from tests.io.lasfiles import terrain, write_las


def _project(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    path = write_las(data / "scan.laz", terrain(2000), classification=np.full(2000, 6),
                     intensity=np.arange(2000))
    project = Project()
    layer = open_layer(path, options={"crs": "EPSG:32650"})
    project.add_layer(layer)
    return project, layer


def test_a_point_cloud_layer_reopens_with_its_colour_mode_and_options(tmp_path):
    project, layer = _project(tmp_path)
    layer.color_mode = "classification"
    layer.point_size = 3
    layer.opacity = 0.5
    saved = save_project(project, tmp_path / "p.cimproj")
    record = json.loads(saved.read_text("utf-8"))["layers"][0]
    assert record["type"] == "pointcloud"
    assert record["source"] == "data/scan.laz"
    assert record["load_options"] == {"crs": "EPSG:32650"}
    assert record["pointcloud"] == {"color_mode": "classification", "point_size": 3.0}
    opened = open_project(saved)
    assert opened.messages == []
    again = opened.project.layers[0]
    assert again.kind == "pointcloud" and again.name == layer.name
    assert again.color_mode == "classification" and again.point_size == 3.0
    assert again.opacity == 0.5 and again.crs == "EPSG:32650"
    assert again.cloud.n_points == 2000
    np.testing.assert_allclose(again.bbox(), layer.bbox())


def test_a_bad_colour_mode_is_refused_in_one_line(tmp_path):
    project, _layer = _project(tmp_path)
    saved = save_project(project, tmp_path / "p.cimproj")
    data = json.loads(saved.read_text("utf-8"))
    data["layers"][0]["pointcloud"]["color_mode"] = "rainbow"
    saved.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ProjectError, match=r"layers\[0\]\.pointcloud\.color_mode"):
        open_project(saved)


def test_a_missing_point_cloud_file_keeps_its_record(tmp_path):
    project, _layer = _project(tmp_path)
    saved = save_project(project, tmp_path / "p.cimproj")
    (tmp_path / "data" / "scan.laz").unlink()
    opened = open_project(saved)
    assert opened.project.layers[0].kind == "missing"
    resaved = save_project(opened.project, tmp_path / "q.cimproj")
    record = json.loads(resaved.read_text("utf-8"))["layers"][0]
    assert record["type"] == "pointcloud" and record["pointcloud"]["point_size"] == 2.0
