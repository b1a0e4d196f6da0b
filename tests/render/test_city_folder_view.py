"""A folder of CityJSON tiles drawn as one streamed layer: buildings of every file on
screen, coarse blocks made of each tile's own objects, picks naming the right object."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.camera import CameraState
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.io.cityjson import folder
from cimviewer.io.cityjson.folder import open_folder
from cimviewer.render.adapters.citymodel import LEVEL_FULL
from cimviewer.render.snapshot import OffscreenView
from tests.io.cityfolder import ORIGIN_RD, write_city_folder

pytestmark = pytest.mark.render

SIZE = (400, 400)


def top_down(project: Project) -> None:
    bbox = project.bbox()
    centre = (bbox[:3] + bbox[3:]) / 2
    project.camera.state = CameraState(tuple(centre + np.array([0, 0, 400.0])),
                                       tuple(centre), (0, 1, 0), 30.0)


def to_pixel(view, project: Project, xyz) -> tuple[int, int]:
    """The display pixel (x from the left, y from the top) of a world point."""
    renderer = view.scene.renderer
    local = np.asarray(xyz, float) - np.asarray(view.scene.origin)
    renderer.SetWorldPoint(*local, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return round(x), round(SIZE[1] - 1 - y)


def test_buildings_of_every_file_are_drawn_and_picked_by_their_ids(tmp_path):
    model = open_folder(write_city_folder(tmp_path / "tiles"))
    project = Project()
    layer = project.add_layer(CityModelLayer("tiles", model))
    view = OffscreenView(project, SIZE)
    adapter = view.scene.adapters[layer.uid]
    adapter.forced_level = LEVEL_FULL
    top_down(project)
    layer.visible = False
    background = view.image().astype(int)
    layer.visible = True
    image = view.image().astype(int)
    drawn = np.abs(image - background).sum(axis=2) > 12
    assert len(adapter.tiles) == len(adapter.nodes) >= 1
    x0, y0 = ORIGIN_RD
    ids = model.objects.ids
    # the middle of a building of each file: drawn, and a pick there names it
    for name, (x, y) in {"a-4": (x0 + 85, y0 + 5), "b-1": (x0 + 25, y0 + 65),
                         "c-0": (x0 + 5, y0 + 125)}.items():
        px, py = to_pixel(view, project, (x, y, 20.0))
        assert drawn[py, px], name
        hit = view.scene.pick(px, SIZE[1] - 1 - py)  # pick: origin bottom-left
        assert hit is not None and ids[hit[1]] in (name, f"{name}-part"), (name, hit)
    # between rows: nothing
    px, py = to_pixel(view, project, (x0 + 45, y0 + 40, 0.0))
    assert not drawn[py, px]
    view.close()


def test_coarse_blocks_cover_the_buildings_before_any_tile_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "FEATURES_PER_TILE", 2)  # every file a tile of its own
    model = open_folder(write_city_folder(tmp_path / "tiles"))
    assert len(model.tile_source.tiles) == 3
    project = Project()
    layer = project.add_layer(CityModelLayer("tiles", model))
    view = OffscreenView(project, SIZE)
    adapter = view.scene.adapters[layer.uid]
    adapter.memory_budget = 0  # blocks only
    top_down(project)
    layer.visible = False
    background = view.image().astype(int)
    layer.visible = True
    drawn = np.abs(view.image().astype(int) - background).sum(axis=2) > 12
    assert not adapter.tiles and len(adapter.nodes) == 3
    x0, y0 = ORIGIN_RD
    for x, y in ((x0 + 5, y0 + 5), (x0 + 65, y0 + 65), (x0 + 45, y0 + 125)):
        px, py = to_pixel(view, project, (x, y, 12.0))
        assert drawn[max(py - 3, 0):py + 4, max(px - 3, 0):px + 4].any()
    view.close()


def test_each_tile_blocks_are_made_of_its_own_objects(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "FEATURES_PER_TILE", 2)
    model = open_folder(write_city_folder(tmp_path / "tiles"))
    source = model.tile_source
    _boxes, anchors = source.object_boxes(len(model.objects))
    roots = np.isfinite(anchors).all(axis=1)
    # an object's anchor falls in the virtual grid cell of its tile's key
    for k, tile in enumerate(source.tiles):
        first = source.object_offsets[tile.features]
        cells = np.floor((anchors[first] - source.grid_origin) / source.tile_size)
        assert (cells == np.array(tile.key)).all(), k
    assert roots.sum() == 12  # one per building (parts go with it)
