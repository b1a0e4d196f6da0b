"""CityJSONSeq cities larger than memory: indexed once, tiles read back when the view
needs them, a tile cache on disk that follows the file."""

from __future__ import annotations

import os

import numpy as np
import pytest

from cimviewer.core.camera import CameraState
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.io.cityjson import streamed
from cimviewer.io.cityjson.reader import read_cityjson
from cimviewer.render.adapters.citymodel import LEVEL_BLOCKS, LEVEL_FULL
from cimviewer.render.snapshot import OffscreenView
from tests.render.seqcity import write_city_seq

pytestmark = pytest.mark.render

N_FEATURES = 4000


@pytest.fixture
def small_tiles(monkeypatch):
    monkeypatch.setattr(streamed, "FEATURES_PER_TILE", 300)  # 4000 buildings: 14 tiles


def open_view(model, size=(320, 200)):
    project = Project()
    layer = project.add_layer(CityModelLayer("city", model))
    view = OffscreenView(project, size)
    return project, layer, view, view.scene.adapters[layer.uid]


def look(project: Project, offset, at=(0.5, 0.5)) -> None:
    bbox = project.bbox()
    span = float(bbox[3] - bbox[0])
    focal = bbox[:3] + (bbox[3:] - bbox[:3]) * np.array([at[0], at[1], 0.0])
    project.camera.state = CameraState(tuple(focal + np.array(offset) * span), tuple(focal),
                                       (0, 0, 1), 30.0)


def covered(view, layer) -> np.ndarray:
    layer.visible = False
    background = view.image().astype(int)
    layer.visible = True
    return np.abs(view.image().astype(int) - background).sum(axis=2) > 12


def test_streamed_city_looks_and_picks_like_the_file_read_whole(tmp_path, small_tiles):
    path = write_city_seq(tmp_path / "city.city.jsonl", N_FEATURES)
    whole = read_cityjson(path)
    model = streamed.open_streamed(path)
    assert model.meshes == {} and len(model.objects) == len(whole.objects)
    assert model.objects.ids == whole.objects.ids
    np.testing.assert_allclose(model.bbox(), whole.bbox())
    project, layer, view, adapter = open_view(model)
    assert len(adapter.nodes) >= 8 and not adapter.tiles  # nothing read yet
    # a steep view of one corner, with room for a few tiles only
    adapter.memory_budget = int(3.5 * max(adapter._estimate_bytes(n) for n in adapter.nodes))
    look(project, (0.0, -0.08, 0.25), (0.15, 0.15))
    seen = covered(view, layer)
    assert 0 < len(adapter.tiles) < len(adapter.nodes)  # read only what the view wants
    assert adapter.resident_bytes <= adapter.memory_budget
    assert any(n.level < LEVEL_BLOCKS for n in adapter.nodes)
    # the same view of the model read whole, at full detail everywhere
    ref_project, ref_layer, ref_view, ref_adapter = open_view(whole)
    ref_adapter.forced_level = LEVEL_FULL
    ref_project.camera.state = project.camera.state
    expected = covered(ref_view, ref_layer)
    assert (seen ^ expected).mean() <= 0.05 * expected.mean()
    # picks name the same objects (ids and object order are those of the whole read)
    hits = 0
    for x, y in [(x, y) for x in range(20, 320, 40) for y in range(20, 200, 40)]:
        mine, theirs = view.scene.pick(x, y), ref_view.scene.pick(x, y)
        assert (mine is None) == (theirs is None)
        if mine is not None:
            hits += 1
            assert mine[1] == theirs[1]
    assert hits >= 10
    # a style by attribute: the object table is complete without the geometry
    layer.style = layer.style.with_(mode="categorical", attribute="zone")
    view.render()
    assert adapter.refinement == 1.0
    ref_view.close()
    view.close()


def test_a_pick_on_a_tile_not_in_memory_reads_it(tmp_path, small_tiles):
    path = write_city_seq(tmp_path / "city.city.jsonl", N_FEATURES)
    project, _layer, view, adapter = open_view(streamed.open_streamed(path))
    look(project, (0.0, -0.05, 1.4))
    adapter.memory_budget = 0  # nothing is built for the view: blocks only
    view.render()
    assert not adapter.tiles and all(n.level >= LEVEL_BLOCKS for n in adapter.nodes)
    whole = read_cityjson(path)
    hits = []
    for x in range(150, 175, 4):
        hit = view.scene.pick(x, 100)
        if hit is not None:
            hits.append(hit[1])
    assert hits  # the tiles under the rays were read to answer
    assert 1 <= len(adapter.tiles) <= 6
    # they are the buildings under the cursor: the same as in the file read whole
    ref_view = open_view(whole)[2]
    ref_view.scene.project.camera.state = project.camera.state
    ref_view.render()
    expected = [ref_view.scene.pick(x, 100) for x in range(150, 175, 4)]
    assert hits == [e[1] for e in expected if e is not None]
    ref_view.close()
    view.close()


def test_tile_cache_is_reused_and_invalidated_when_the_file_changes(tmp_path, small_tiles):
    path = write_city_seq(tmp_path / "city.city.jsonl", N_FEATURES)
    first = streamed.open_streamed(path)
    source = first.tile_source
    assert source.stats["index_cached"] == 0
    tall_before = source.load(0).vertices[:, 2].max()
    assert source.stats["read"] == 1
    again = streamed.open_streamed(path)
    assert again.tile_source.stats["index_cached"] == 1
    np.testing.assert_array_equal(again.tile_source.load(0).vertices, source.load(0).vertices)
    assert again.tile_source.stats == {"read": 0, "cached": 1, "index_cached": 1}
    streamed.flush_cache_writes()
    folders = list(streamed.cache_root().iterdir())
    assert len(folders) == 1
    # the same file with every building twice as tall (and another size and time)
    write_city_seq(path, N_FEATURES, height_scale=2.0)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    changed = streamed.open_streamed(path)
    assert changed.tile_source.stats["index_cached"] == 0
    tall_after = changed.tile_source.load(0).vertices[:, 2].max()
    assert changed.tile_source.stats["read"] == 1  # not the old cached tile
    assert tall_after == pytest.approx(2 * tall_before, rel=1e-3)
    streamed.flush_cache_writes()
    remaining = list(streamed.cache_root().iterdir())
    assert len(remaining) == 1 and remaining != folders  # the stale cache is gone


def test_tiles_are_read_on_a_background_thread_and_broken_ones_stay_coarse(
        tmp_path, small_tiles, caplog):
    import threading
    import time

    path = write_city_seq(tmp_path / "city.city.jsonl", N_FEATURES)
    model = streamed.open_streamed(path, cache=False)
    source = model.tile_source
    readers: list[str] = []
    read = source.load

    def slow_load(index):  # a slow disk: the GUI thread must not wait for it
        readers.append(threading.current_thread().name)
        time.sleep(0.4)
        if index == 0:
            raise OSError("disk gone")
        return read(index)

    source.load = slow_load
    project, layer, view, adapter = open_view(model)
    look(project, (0.0, -0.05, 1.4))
    view.scene.plan_work()
    assert adapter.pending_tiles
    started = time.perf_counter()
    assert adapter.build_step(0.04) == 0  # the reads are under way, nothing built yet
    assert time.perf_counter() - started < 0.3
    deadline = time.monotonic() + 60
    while adapter.pending_tiles and time.monotonic() < deadline:
        adapter.build_step(0.04)
        view.scene.plan_work()
        time.sleep(0.02)
    assert not adapter.pending_tiles
    assert readers and all(name.startswith("tile-read") for name in readers)
    broken = adapter.nodes[0]
    assert broken.read_failed and not broken.built and broken.level >= LEVEL_BLOCKS
    assert "tile" in caplog.text and "disk gone" in caplog.text
    assert sum(n.built for n in adapter.nodes) == len(adapter.nodes) - 1
    # the city is drawn (blocks where the broken tile is, detail elsewhere)
    assert covered(view, layer).mean() > 0.05
    view.close()
    assert adapter._reader is None  # the reader thread is let go with the view


def test_second_opening_reads_the_coarse_blocks_from_the_tile_cache(tmp_path, small_tiles,
                                                                     monkeypatch):
    from vtkmodules.util.numpy_support import vtk_to_numpy

    from cimviewer.render.adapters import citymodel

    path = write_city_seq(tmp_path / "city.city.jsonl", N_FEATURES)

    def blocks(adapter):
        return [vtk_to_numpy(level.poly.GetPoints().GetData()).copy()
                for node in adapter.nodes for level in node.coarse]

    project, layer, view, adapter = open_view(streamed.open_streamed(path))
    look(project, (0.2, -1.2, 0.9))
    first_image, first_blocks = view.image(), blocks(adapter)
    first_objects = [level.objects.copy() for n in adapter.nodes for level in n.coarse]
    view.close()
    streamed.flush_cache_writes()
    saved = list(streamed.cache_root().glob("*/derived/blocks-*.npz"))
    assert len(saved) == 1

    def no_sorting(*args, **kwargs):
        raise AssertionError("block levels built again instead of read from the cache")

    block_levels = citymodel.block_levels
    monkeypatch.setattr(citymodel, "block_levels", no_sorting)
    project, layer, view, adapter = open_view(streamed.open_streamed(path))
    assert layer.model.tile_source.stats["index_cached"] == 1
    look(project, (0.2, -1.2, 0.9))
    again = blocks(adapter)
    assert len(again) == len(first_blocks) and len(again) >= 3 * 8
    for a, b in zip(again, first_blocks, strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip((lv.objects for n in adapter.nodes for lv in n.coarse), first_objects,
                    strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(view.image(), first_image)
    view.close()
    # a changed file drops its cache, coarse blocks included
    write_city_seq(path, N_FEATURES, height_scale=2.0)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    monkeypatch.setattr(citymodel, "block_levels", block_levels)
    project, layer, view, adapter = open_view(streamed.open_streamed(path))
    assert not any(p.exists() for p in saved)
    streamed.flush_cache_writes()
    assert len(list(streamed.cache_root().glob("*/derived/blocks-*.npz"))) == 1
    view.close()
