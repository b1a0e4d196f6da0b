"""IFC models in the view: pixels, picking, hidden storeys and spaces, project files,
and the ``cimviewer`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from cimviewer.core.camera import CameraState
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.io.layers import open_layer
from cimviewer.io.project.file import open_project, save_project
from tests.io.ifcfiles import build_ifc

pytestmark = pytest.mark.render

SIZE = (320, 240)
CENTRE = (SIZE[0] // 2, SIZE[1] // 2)  # display pixel (origin bottom left)


@pytest.fixture(scope="module")
def ifc_path(tmp_path_factory):
    """The test building without georeferencing: model coordinates in metres."""
    return build_ifc(tmp_path_factory.mktemp("ifcview") / "house.ifc")


def _index(layer: CityModelLayer, name: str) -> int:
    return next(i for i, a in enumerate(layer.model.objects.attributes)
                if a.get("Name") == name)


@pytest.fixture
def scene(ifc_path):
    from cimviewer.render.snapshot import OffscreenView

    project = Project()
    layer = project.add_layer(open_layer(ifc_path, project_crs="EPSG:4547"))
    view = OffscreenView(project, SIZE)
    yield project, layer, view
    view.close()


def _look_at(project: Project, eye, target, up=(0.0, 0.0, 1.0)) -> None:
    project.camera.state = CameraState(tuple(eye), tuple(target), up, 30.0)


def _pixel(view, x: int, y: int) -> np.ndarray:
    return view.image()[SIZE[1] - 1 - y, x].astype(int)


def test_storey_hidden_and_shown_again(scene):
    project, layer, view = scene
    # from the south, level with the first storey: its red wall fills the middle
    _look_at(project, (5.0, -30.0, 4.5), (5.0, 0.0, 4.5))
    red = _pixel(view, *CENTRE)
    assert red[0] > 150 and red[1] < 60 and red[2] < 60
    wall = _index(layer, "Wall 1")
    assert view.scene.pick(*CENTRE) == (layer.uid, wall)
    adapter = view.scene.adapters[layer.uid]
    before = adapter.mesh.n_triangles

    first = _index(layer, "First")
    layer.show_object(first, False)  # the storey, with the elements on it
    assert adapter.mesh.n_triangles < before
    assert not np.isin(adapter.mesh.tri_object, [wall, _index(layer, "Slab 1")]).any()
    behind = _pixel(view, *CENTRE)
    assert np.abs(behind - red).sum() > 150  # the sky, not the wall
    assert view.scene.pick(*CENTRE) is None

    layer.show_object(first, True)
    assert np.abs(_pixel(view, *CENTRE) - red).sum() < 10
    assert view.scene.pick(*CENTRE) == (layer.uid, wall)


def test_spaces_hidden_by_default_and_shown_on_request(scene):
    project, layer, view = scene
    assert layer.hidden_types == {"IfcSpace"}
    space = _index(layer, "Room 1")
    adapter = view.scene.adapters[layer.uid]
    assert space not in set(adapter.mesh.tri_object.tolist())
    # from above the room, under the first floor's slab: hide that storey first
    layer.show_object(_index(layer, "First"), False)
    _look_at(project, (3.0, 3.0, 40.0), (3.0, 3.0, 0.0), up=(0.0, 1.0, 0.0))
    assert view.scene.pick(*CENTRE) == (layer.uid, _index(layer, "Slab 0"))
    layer.show_type("IfcSpace", True)
    assert view.scene.pick(*CENTRE) == (layer.uid, space)


def test_selecting_a_storey_highlights_its_elements(scene):
    project, layer, view = scene
    _look_at(project, (5.0, -30.0, 4.5), (5.0, 0.0, 4.5))
    project.selection.set([(layer.uid, _index(layer, "Block A"))])  # the building
    yellow = _pixel(view, *CENTRE)
    assert yellow[0] > 200 and yellow[1] > 170 and yellow[2] < 80
    box = layer.model.object_bbox(_index(layer, "First"))
    assert box is not None and box[2] == pytest.approx(3.0)


def test_hidden_state_and_placement_options_saved_in_the_project(ifc_path, tmp_path):
    project = Project()
    options = {"origin_x": 500_000.0, "origin_y": 4_000_000.0, "rotation": 30.0,
               "crs": "EPSG:32650"}
    layer = project.add_layer(open_layer(ifc_path, options=options))
    assert layer.crs == "EPSG:32650"
    ground = _index(layer, "Ground")
    layer.set_hidden(objects=[ground], types=[])
    path = save_project(project, tmp_path / "bim")
    saved = json.loads(path.read_text(encoding="utf-8"))["layers"][0]
    assert saved["load_options"]["origin_y"] == 4_000_000.0
    assert saved["hidden"] == {"objects": [layer.model.objects.ids[ground]], "types": []}

    again = Project()
    open_project(path, again)
    reopened = again.layers[0]
    assert reopened.load_options == options
    assert reopened.hidden_objects == {ground} and reopened.hidden_types == set()
    assert reopened.bbox()[0] == pytest.approx(layer.bbox()[0])


def test_screenshot_and_info_commands(ifc_path, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    out_png = tmp_path / "house.png"
    run = subprocess.run([sys.executable, "-m", "cimviewer", "screenshot", str(ifc_path),
                          "--out", str(out_png), "--size", "320x200"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    from PIL import Image

    img = np.asarray(Image.open(out_png).convert("RGB")).astype(int)
    # the sky is a vertical gradient: a pixel unlike its row's left end is the model
    background = img[:, :1, :]
    model = np.abs(img - background).sum(axis=2) > 40
    assert model.mean() > 0.05
    info = subprocess.run([sys.executable, "-m", "cimviewer", "info", str(ifc_path), "--json"],
                          capture_output=True, text=True, timeout=120, env=env)
    data = json.loads(info.stdout)
    assert data["format"] == "IFC" and data["types"]["IfcSlab"] == 2
    for key in ("crs", "objects", "lods", "bbox", "vertices", "triangles"):
        assert key in data
