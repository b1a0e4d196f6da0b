"""Hierarchical level of detail: coarse tiles look, pick and colour like the full city."""

from __future__ import annotations

import numpy as np
import pytest
from vtkmodules.util.numpy_support import vtk_to_numpy

from cimviewer.core.camera import CameraState
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.core.styling import legend_entries
from cimviewer.render.adapters.citymodel import (
    HIGHLIGHT,
    LEVEL_BLOCKS,
    LEVEL_FULL,
    CityModelAdapter,
)
from cimviewer.render.snapshot import OffscreenView
from cimviewer.render.vtk_arrays import add_array
from cimviewer.testing import make_city

pytestmark = pytest.mark.render

N_BUILDINGS = 30_000  # 360k triangles: 6 tiles
COARSEST = LEVEL_BLOCKS + 2  # blocks of 4 x 4 cells a tile (coarser ones are for far tiles)


@pytest.fixture
def city():
    project = Project()
    layer = project.add_layer(CityModelLayer("city", make_city(N_BUILDINGS)))
    view = OffscreenView(project, (320, 200))
    adapter: CityModelAdapter = view.scene.adapters[layer.uid]  # type: ignore[assignment]
    assert len(adapter.nodes) >= 4
    yield project, layer, view, adapter
    view.close()


def look(project: Project, offset: tuple[float, float, float], at=(0.5, 0.5)) -> None:
    """Camera at ``offset`` (in city widths) from a point of the city (fractions of it)."""
    bbox = project.bbox()
    span = float(bbox[3] - bbox[0])
    focal = bbox[:3] + (bbox[3:] - bbox[:3]) * np.array([at[0], at[1], 0.0])
    project.camera.state = CameraState(tuple(focal + np.array(offset) * span), tuple(focal),
                                       (0, 0, 1), 30.0)


def covered(view: OffscreenView, layer: CityModelLayer) -> np.ndarray:
    """Pixels where the city is drawn (differs from the frame without it)."""
    layer.visible = False
    background = view.image().astype(int)
    layer.visible = True
    return np.abs(view.image().astype(int) - background).sum(axis=2) > 12


def display_point(view: OffscreenView, world: np.ndarray) -> tuple[int, int]:
    ren = view.scene.renderer
    ren.SetWorldPoint(*view.scene.to_local(world), 1.0)
    ren.WorldToDisplay()
    x, y, _ = ren.GetDisplayPoint()
    return int(x), int(y)


CAMERAS = [(0.0, -1.2, 0.9), (0.8, 0.3, 1.5), (0.0, -0.05, 2.5), (-0.5, -0.9, 0.35)]


@pytest.mark.parametrize("offset", CAMERAS)
def test_coarse_city_covers_the_same_screen_area_as_the_full_one(city, offset):
    project, layer, view, adapter = city
    look(project, offset)
    adapter.forced_level = LEVEL_FULL
    full = covered(view, layer)
    assert all(n.level == LEVEL_FULL for n in adapter.nodes)
    for level in range(LEVEL_BLOCKS, COARSEST + 1):
        adapter.forced_level = level
        coarse = covered(view, layer)
        assert all(n.level == level for n in adapter.nodes)
        assert abs(coarse.mean() - full.mean()) <= 0.15 * full.mean(), level
        assert (coarse ^ full).mean() <= 0.25 * full.mean(), level
    # the automatic choice under a small frame budget: coarse tiles, same coverage
    adapter.forced_level = None
    adapter.frame_budget = 20_000
    auto = covered(view, layer)
    assert any(n.level >= LEVEL_BLOCKS for n in adapter.nodes)
    assert adapter.drawn_triangles_in_view() <= 20_000
    assert abs(auto.mean() - full.mean()) <= 0.15 * full.mean()


def object_image(view: OffscreenView, layer: CityModelLayer,
                 adapter: CityModelAdapter) -> np.ndarray:
    """Object index drawn at each pixel (-1: none): ids painted as flat colours."""
    view.render()  # levels chosen, tiles built
    for node in adapter.nodes:
        ids = node.objects_at(node.level).astype(np.int64) + 1
        rgb = np.stack([ids & 255, (ids >> 8) & 255, ids >> 16], axis=1).astype(np.uint8)
        poly = node.actor.GetMapper().GetInput()
        add_array(poly.GetCellData(), rgb, "colors", scalars=True)
        poly.Modified()
        prop = node.actor.GetProperty()
        prop.LightingOff()
        prop.SetAmbient(0.0)
        prop.SetDiffuse(1.0)
    view.window.SetMultiSamples(0)
    mask = covered(view, layer)
    image = view.image().astype(np.int64)
    ids = image[..., 0] + (image[..., 1] << 8) + (image[..., 2] << 16) - 1
    return np.where(mask, ids, -1)[::-1]  # row 0 at the bottom, like display y


def test_picks_on_coarse_tiles_return_the_building_under_the_cursor(city):
    project, layer, view, adapter = city
    look(project, (0.1, -0.6, 0.9))
    # what full detail draws at each pixel
    adapter.forced_level = LEVEL_FULL
    truth = object_image(view, layer, adapter)
    adapter.update_colors()
    adapter.forced_level = COARSEST
    view.render()
    assert all(n.level == COARSEST for n in adapter.nodes)
    pixels = [(x, y) for x in range(3, 320, 11) for y in range(3, 200, 9)
              if truth[y, x] >= 0]
    assert len(pixels) >= 200
    agree = sum(view.scene.pick(x, y) == (layer.uid, truth[y, x]) for x, y in pixels)
    assert agree >= 0.95 * len(pixels)
    # the GPU selector sees blocks: each carries the id of an object of its tile
    mesh = layer.model.meshes["1"]
    for node in adapter.nodes:
        block = node.coarse[COARSEST - LEVEL_BLOCKS]
        corners = vtk_to_numpy(block.poly.GetPoints().GetData()).reshape(-1, 8, 3)
        tallest = int(np.argmax(corners[:, 4, 2]))
        block_top = view.scene.to_world(corners[tallest, 4:].mean(axis=0))
        owner = int(block.objects[10 * tallest])
        assert owner in set(mesh.tri_object[node.tile.triangles].tolist())
        x, y = display_point(view, block_top)
        if 0 <= x < 320 and 0 <= y < 200:
            assert view.scene.pick_hardware(x, y) == (layer.uid, owner)


def test_style_and_selection_show_on_coarse_tiles_with_the_legends_colours(city):
    project, layer, view, adapter = city
    model = layer.model
    boxes = model.meshes["1"].vertices.reshape(-1, 8, 3)
    x = boxes[:, 0, 0]
    bands = np.digitize(x, np.quantile(x, [1 / 3, 2 / 3]))
    for attrs, band in zip(model.objects.attributes, bands.tolist(), strict=True):
        attrs["zone"] = ("west", "centre", "east")[band]
    layer.style = layer.style.with_(mode="categorical", attribute="zone")
    rows = legend_entries(layer.style, model.objects.attributes)
    legend = np.array([color for _, color in rows])
    assert len(legend) == 3
    look(project, (0.0, -0.05, 2.0))
    adapter.forced_level = COARSEST
    for node in adapter.nodes:  # exact colours: no shading
        prop = node.actor.GetProperty()
        prop.LightingOff()
        prop.SetAmbient(0.0)
        prop.SetDiffuse(1.0)
    view.window.SetMultiSamples(0)  # no blended edges
    city_pixels = covered(view, layer)
    image = view.image().astype(int)
    colours = image[city_pixels]
    distance = np.abs(colours[:, None, :] - legend[None, :, :]).sum(axis=2)
    nearest = distance.argmin(axis=1)
    exact = distance.min(axis=1) <= 3
    assert exact.mean() > 0.9
    for k in range(3):  # every category shows, each on about a third of the city
        assert 0.2 < np.mean(nearest[exact] == k) < 0.45
    # selecting the object a block stands for paints the block
    block_object = int(adapter.nodes[0].coarse[COARSEST - LEVEL_BLOCKS].objects[0])
    project.selection.set([(layer.uid, block_object)])
    image = view.image().astype(int)
    yellow = (np.abs(image - HIGHLIGHT.astype(int)).sum(axis=2) <= 3) & city_pixels
    assert yellow.sum() >= 4


def test_eviction_under_a_tiny_memory_budget_keeps_the_view_correct(city):
    project, layer, view, adapter = city
    adapter.frame_budget = 10**9
    budget = int(2.5 * max(adapter._estimate_bytes(n) for n in adapter.nodes))
    # steep views of two opposite corners: a tile or two each in detail, the rest far
    views = [((0.0, -0.05, 0.15), (0.1, 0.1)), ((0.0, -0.05, 0.15), (0.9, 0.9))]
    reference = []
    for offset, at in views:  # every tile in memory
        look(project, offset, at)
        reference.append(covered(view, layer))
    # start again with room for two tiles
    for node in adapter.nodes:
        adapter._evict(node)
    adapter.memory_budget = budget
    seen: list[set[int]] = []
    for (offset, at), expected in zip(views * 2, reference * 2, strict=True):
        look(project, offset, at)
        image = covered(view, layer)
        assert adapter.resident_bytes <= budget
        built = {i for i, n in enumerate(adapter.nodes) if n.built}
        assert 1 <= len(built) <= 3 < len(adapter.nodes)
        seen.append(built)
        # the tile under the camera is in full detail, and the frame looks the same
        assert any(adapter.nodes[i].level < LEVEL_BLOCKS for i in built)
        assert (image ^ expected).mean() <= 0.05 * expected.mean() + 0.002
    assert seen[0] != seen[1]  # the first corner's tiles made room for the second's
    assert adapter.refinement == 1.0


def test_levels_keep_the_frame_budget_and_do_not_flicker(city):
    project, _layer, view, adapter = city
    adapter.frame_budget = 10**9
    # zoom in until a tile refines...
    distances = np.geomspace(3.0, 0.3, 40)
    previous = None
    for k in range(len(distances)):
        d = distances[k]
        look(project, (0.0, -0.6 * d, 0.8 * d))
        view.render()
        levels = [n.level for n in adapter.nodes]
        if previous is not None and levels != previous:
            break
        previous = levels
    else:
        pytest.fail("no tile changed its level")
    refined = levels
    # ...and back by one step: the tiles keep their finer levels (hysteresis)
    look(project, (0.0, -0.6 * distances[k - 1], 0.8 * distances[k - 1]))
    view.render()
    assert [n.level for n in adapter.nodes] == refined
    # a budget holds wherever the camera is
    adapter.frame_budget = 30_000
    for offset in [*CAMERAS, (0.0, -0.1, 0.05)]:
        look(project, offset)
        view.render()
        assert 0 < adapter.drawn_triangles_in_view() <= 30_000


def test_far_tiles_drawn_merged_by_clusters_look_pick_and_colour_the_same(monkeypatch):
    """Tiles of one cluster at the same block level are one actor: the same pixels,
    picks and style colours as the tiles drawn one by one."""
    from cimviewer.render.adapters import citymodel

    def build(clustered: bool):
        monkeypatch.setattr(citymodel, "CLUSTERED_FROM_TILES", 2 if clustered else 10**9)
        project = Project()
        layer = project.add_layer(CityModelLayer("city", make_city(N_BUILDINGS)))
        view = OffscreenView(project, (320, 200))
        look(project, (0.1, -0.6, 0.9))
        adapter = view.scene.adapters[layer.uid]
        adapter.forced_level = COARSEST
        view.window.SetMultiSamples(0)
        return project, layer, view, adapter

    _, plain_layer, plain_view, _ = build(False)
    project, layer, view, adapter = build(True)
    try:
        reference = plain_view.image().astype(int)
        image = view.image().astype(int)
        assert adapter.clusters and all(c.level == COARSEST for c in adapter.clusters)
        clustered = {int(i) for c in adapter.clusters for i in c.members}
        assert not any(adapter.nodes[i].actor.GetVisibility() for i in clustered)
        assert (np.abs(image - reference).sum(axis=2) > 12).mean() < 0.005
        assert covered(view, layer).mean() > 0.05
        # a hardware pick on the merged actor names the object its block stands for,
        # as on the tile's own actor
        agree = total = 0
        for x in range(5, 320, 15):
            for y in range(5, 200, 12):
                hit = plain_view.scene.pick_hardware(x, y)
                if hit is None:
                    continue
                total += 1
                agree += hit[1] == view.scene.pick_hardware(x, y)[1]
        assert total > 50 and agree >= 0.95 * total
        # a style paints the merged blocks as it paints the tiles
        layer.style = layer.style.with_(mode="single", color=(200, 30, 30))
        plain_layer.style = plain_layer.style.with_(mode="single", color=(200, 30, 30))
        assert (np.abs(view.image().astype(int) - plain_view.image().astype(int))
                .sum(axis=2) > 12).mean() < 0.005
        # a tile brought closer leaves the cluster: its tiles are drawn one by one again
        adapter.forced_level = None
        look(project, (0.0, -0.05, 0.15), (0.1, 0.1))
        view.image()
        assert any(c.level < 0 for c in adapter.clusters)
        for cluster in adapter.clusters:
            own = [adapter.nodes[i].actor.GetVisibility() for i in cluster.members]
            assert cluster.actor.GetVisibility() == (cluster.level >= 0) != any(own)
    finally:
        view.close()
        plain_view.close()
