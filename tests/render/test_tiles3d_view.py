"""3D Tiles in the view: screen-space-error traversal, parents kept until children load,
the memory budget, picks with batch properties, textures drawn."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.camera import CameraState
from cimviewer.core.project import Project
from cimviewer.io.layers import open_layer
from cimviewer.render.adapters.tiles3d import Tiles3DAdapter
from cimviewer.render.snapshot import OffscreenView
from tests.io.tiles3d_data import b3dm, box_volume, boxes, enu_matrix, glb, quad_tileset, write_json

pytestmark = pytest.mark.render

SIZE = (320, 200)


def open_view(path):
    project = Project()
    layer = project.add_layer(open_layer(path))
    view = OffscreenView(project, SIZE)
    adapter = view.scene.adapters[layer.uid]
    assert isinstance(adapter, Tiles3DAdapter)
    return project, layer, view, adapter


def look_down(project, x, y, height, tilt=0.0):
    """Camera ``height`` m above the point at fractions (x, y) of the tileset's box."""
    bbox = project.bbox()
    focal = bbox[:3] + (bbox[3:] - bbox[:3]) * np.array([x, y, 0.0])
    eye = focal + np.array([0.0, -tilt * height, height])
    project.camera.state = CameraState(tuple(eye), tuple(focal), (0, 1, 0), 30.0)


def depths(adapter):
    return sorted({t.depth for t in adapter.drawn})


@pytest.fixture(scope="module")
def quad(tmp_path_factory):
    return quad_tileset(tmp_path_factory.mktemp("quad"), textured=True)


def test_first_frame_root_then_far_stays_coarse_and_near_refines(quad):
    project, _layer, view, adapter = open_view(quad)
    try:
        root = adapter.tree.root
        assert adapter.drawn == [root] and root.index in adapter.nodes  # at once
        look_down(project, 0.5, 0.5, 6000)  # root SSE about 6 px at 320 x 200
        view.image()
        assert depths(adapter) == [0] and len(adapter.nodes) == 1
        # near one corner: deeper tiles there, shallower far away
        look_down(project, 0.12, 0.12, 150, tilt=1.0)
        view.image()
        drawn = adapter.drawn
        assert 2 in depths(adapter)
        # REPLACE: never a tile and one of its ancestors together
        indices = {t.index for t in drawn}
        for tile in drawn:
            up = tile.parent
            while up is not None:
                assert up.index not in indices
                up = up.parent
        # each drawn tile's SSE is within the limit, or it has no children to refine to
        for tile in drawn:
            assert adapter.screen_error(tile) <= adapter.max_sse or not tile.children
    finally:
        view.close()


def test_parent_kept_until_children_loaded(quad):
    project, _layer, view, adapter = open_view(quad)
    try:
        look_down(project, 0.5, 0.5, 300)
        view.scene.plan_work()  # the traversal, with nothing loaded yet
        assert adapter.drawn == [adapter.tree.root]  # no hole while children load
        assert adapter.pending_tiles > 0
        view.image()  # waits for the loads
        assert adapter.tree.root not in adapter.drawn and min(depths(adapter)) >= 1
    finally:
        view.close()


def test_memory_budget_evicts_least_recently_drawn(quad):
    project, _layer, view, adapter = open_view(quad)
    try:
        one = adapter.nodes[adapter.tree.root.index].nbytes
        adapter.memory_budget = 8 * one
        for x, y in ((0.12, 0.12), (0.88, 0.12), (0.88, 0.88), (0.12, 0.88)):
            look_down(project, x, y, 120, tilt=0.5)
            view.image()
            drawn_bytes = sum(adapter.nodes[t.index].nbytes for t in adapter.drawn)
            assert adapter.resident_bytes <= max(adapter.memory_budget, drawn_bytes) + one
            assert all(t.index in adapter.nodes for t in adapter.drawn)
        assert adapter.stats["evicted"] > 0
        assert len(adapter.nodes) < 21
        # a budget smaller than what the view wants: loads stop (no endless evict and
        # read again), the parents stay drawn where their children do not fit
        adapter.memory_budget = 2 * one
        look_down(project, 0.5, 0.5, 100, tilt=0.5)
        view.image()
        assert adapter.drawn and all(t.index in adapter.nodes for t in adapter.drawn)
        assert adapter.pending_tiles == 0
    finally:
        view.close()


def test_pick_returns_the_feature_and_its_batch_properties(quad):
    project, layer, view, _adapter = open_view(quad)
    try:
        # the level-2 tile "r00" + "00": its first box is centred at 1/16 of the span
        look_down(project, 1 / 16, 1 / 16, 60)
        view.image()
        hit = view.scene.pick(SIZE[0] // 2, SIZE[1] // 2)
        assert hit is not None and hit[0] == layer.uid
        attrs = layer.model.objects.attributes[hit[1]]
        assert attrs == {"name": "r0000-0", "level": 2, "height": 22.0}
        assert view.scene.pick_hardware(SIZE[0] // 2, SIZE[1] // 2) == hit
        assert view.scene.pick(2, 2) is None  # between the boxes: the ground is empty
    finally:
        view.close()


def test_texture_colour_is_drawn(quad, tmp_path):
    grey = quad_tileset(tmp_path, textured=False)
    colours = []
    for path in (quad, grey):
        project, _layer, view, _adapter = open_view(path)
        try:
            look_down(project, 1 / 16, 1 / 16, 60)
            img = view.image()
            colours.append(img[SIZE[1] // 2 - 10:SIZE[1] // 2 + 10,
                               SIZE[0] // 2 - 10:SIZE[0] // 2 + 10].reshape(-1, 3).mean(axis=0))
        finally:
            view.close()
    red, plain = colours
    assert red[0] > 120 and red[0] > 2.5 * red[1] and red[0] > 2.5 * red[2]  # the PNG's red
    assert abs(plain[0] - plain[1]) < 15 and plain[0] > 100  # the grey material


def test_add_refinement_and_missing_content(tmp_path):
    """ADD: children drawn with their parent; a missing child content is reported and
    the rest shows."""
    v, t, ids = boxes([(0, 0, 0)], (40, 40, 10))
    (tmp_path / "root.b3dm").write_bytes(b3dm(glb(v, t, batch_ids=ids), {"n": ["root"]}, 1))
    v2, t2, ids2 = boxes([(60, 0, 0)], (20, 20, 30))
    (tmp_path / "child.b3dm").write_bytes(b3dm(glb(v2, t2, batch_ids=ids2), {"n": ["c"]}, 1))
    children = [{"boundingVolume": box_volume(60, 0, 15, 10, 10, 15), "geometricError": 0,
                 "content": {"uri": "child.b3dm"}},
                {"boundingVolume": box_volume(-60, 0, 15, 10, 10, 15), "geometricError": 0,
                 "content": {"uri": "gone.b3dm"}}]
    path = write_json(tmp_path / "tileset.json", {
        "asset": {"version": "1.0"}, "geometricError": 500,
        "root": {"boundingVolume": box_volume(0, 0, 15, 80, 80, 15), "geometricError": 100,
                 "refine": "ADD", "transform": enu_matrix(113.0, 23.0, 5.0),
                 "content": {"uri": "root.b3dm"}, "children": children}})
    project, layer, view, adapter = open_view(path)
    try:
        look_down(project, 0.5, 0.5, 250)
        view.image()
        drawn = {t.index for t in adapter.drawn}
        assert adapter.tree.root.index in drawn  # ADD keeps the parent
        assert adapter.tree.root.children[0].index in drawn
        missing = adapter.tree.root.children[1]
        assert missing.index in adapter.failed and missing.index not in drawn
        assert any("gone.b3dm" in p for p in layer.model.problems)
        names = {a.get("n") for a in layer.model.objects.attributes}
        assert {"root", "c"} <= names
    finally:
        view.close()


def test_missing_root_content_leaves_the_rest(tmp_path):
    path = quad_tileset(tmp_path, levels=2)
    (tmp_path / "tiles" / "r.b3dm").unlink()
    (tmp_path / "tiles" / "r10.b3dm").write_bytes(b"b3dm\x01\x00\x00\x00garbage")
    project, layer, view, adapter = open_view(path)
    try:
        assert adapter.drawn == [] and adapter.tree.root.index in adapter.failed
        look_down(project, 0.5, 0.5, 300)
        img = view.image()
        assert sorted(t.index for t in adapter.drawn) == [1, 3, 4]  # r10 is tile 2
        assert {"tiles/r.b3dm", "tiles/r10.b3dm"} <= set(layer.model.content_problems)
        assert (img.std(axis=2) > 5).any()  # something other than the background
    finally:
        view.close()
