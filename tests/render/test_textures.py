"""Textured city models drawn: an image with a known pattern read back from the pixels.

Each test writes a small textured CityJSON city (:mod:`tests.render.texcity`), looks
straight at the south wall of one building and reads the wall's four quadrants back.
"""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.camera import CameraState
from cimviewer.core.project import Project
from cimviewer.core.styling import TYPE_FIELD, LayerStyle
from cimviewer.io.layers import open_layer
from cimviewer.render.adapters import citymodel
from cimviewer.render.adapters.citymodel import LEVEL_FULL, CityModelAdapter
from cimviewer.render.snapshot import OffscreenView
from cimviewer.testing import open_project, save_project
from tests.render.texcity import BLUE, GREEN, QUADRANTS, RED, box_city, quadrant_image

pytestmark = pytest.mark.render

SIZE = 200
#: pixel offsets of the quadrant centres from the wall centre (the wall fills ~half)
Q = 25


def _project(path) -> tuple[Project, object]:
    project = Project()
    layer = project.add_layer(open_layer(path))
    return project, layer


def _face(project: Project, layer, index: int = 0) -> None:
    """Camera 40 m south of building ``index``'s south wall, looking at its centre."""
    mesh = layer.model.mesh_for_lod(None)
    pts = mesh.vertices[mesh.triangles[mesh.tri_object == index]].reshape(-1, 3)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    centre = np.array([(lo[0] + hi[0]) / 2, lo[1], (lo[2] + hi[2]) / 2])
    project.camera.state = CameraState(tuple(centre - [0, 40, 0]), tuple(centre), (0, 0, 1),
                                       30.0)


def _quadrants(img: np.ndarray) -> list[np.ndarray]:
    """Pixels at the wall's top-left, top-right, bottom-left, bottom-right quadrants."""
    c = SIZE // 2
    return [img[c - Q, c - Q], img[c - Q, c + Q], img[c + Q, c - Q], img[c + Q, c + Q]]


def _looks_like(pixel: np.ndarray, color: tuple[int, int, int]) -> bool:
    """Same hue: the shaded pixel is the colour scaled by the light (roughly)."""
    p, c = pixel.astype(float), np.array(color, float)
    scale = p.sum() / c.sum()
    return bool(np.abs(p - c * scale).max() < 40)


def _assert_pattern(img: np.ndarray) -> None:
    for pixel, color in zip(_quadrants(img), QUADRANTS, strict=True):
        assert _looks_like(pixel, color), (pixel, color)


@pytest.fixture
def city(tmp_path):
    quadrant_image(tmp_path / "img" / "facade.png")
    return box_city(tmp_path / "city.json", (3, 1), images=["img/facade.png"])


def test_texture_is_drawn_upright_and_not_mirrored(city):
    project, layer = _project(city)
    _face(project, layer, 1)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        img = view.image()
        _assert_pattern(img)
        adapter: CityModelAdapter = view.scene.adapters[layer.uid]  # type: ignore[assignment]
        assert len(adapter.actors) == 1  # one actor for the layer, not one per building
        assert adapter.nodes[0].actor.GetTexture() is not None
        assert view.scene.pick(SIZE // 2, SIZE // 2) == (layer.uid, 1)
        assert view.scene.pick_hardware(SIZE // 2, SIZE // 2) == (layer.uid, 1)
    finally:
        view.close()


def test_missing_image_falls_back_to_the_style_colour(tmp_path):
    path = box_city(tmp_path / "city.json", (1, 1), images=["not/there.png"])
    project, layer = _project(path)
    assert sum("texture" in w for w in layer.model.warnings) == 1
    _face(project, layer)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        quads = _quadrants(view.image())
        for pixel in quads:  # one wall colour, grey-beige, no pattern
            assert np.abs(pixel.astype(int) - quads[0]).max() <= 3
            assert int(pixel.max()) - int(pixel.min()) < 60
    finally:
        view.close()


def test_style_by_attribute_replaces_the_texture_while_on(city):
    project, layer = _project(city)
    _face(project, layer, 1)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        plain = layer.style
        layer.style = LayerStyle(mode="graduated", attribute="height")
        quads = _quadrants(view.image())
        assert all(np.abs(p.astype(int) - quads[0]).max() <= 3 for p in quads)
        assert not _looks_like(quads[0], RED)
        assert int(quads[0].sum()) < 400  # the wall in its class colour, not the sky
        layer.style = LayerStyle(mode="categorical", attribute=TYPE_FIELD)  # a plain look
        _assert_pattern(view.image())
        layer.style = plain
        _assert_pattern(view.image())
    finally:
        view.close()


def test_selection_tints_the_texture(city):
    project, layer = _project(city)
    _face(project, layer, 1)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        before = _quadrants(view.image())
        project.selection.set([(layer.uid, 1)])
        after = _quadrants(view.image())
        assert after[2][2] < before[2][2] - 60  # blue under yellow highlight: darker blue
        assert after[1][1] > 100  # green stays green
        project.selection.clear()
        _assert_pattern(view.image())
    finally:
        view.close()


def test_tiled_layer_atlases_within_budget(tmp_path, monkeypatch):
    quadrant_image(tmp_path / "a.png", 256)
    quadrant_image(tmp_path / "b.png", 128)
    path = box_city(tmp_path / "city.json", (6, 4), images=["a.png", "b.png"])
    monkeypatch.setattr(citymodel, "SINGLE_TILE_LIMIT", 100)
    monkeypatch.setattr(citymodel, "TRIANGLES_PER_TILE", 60)
    monkeypatch.setattr(citymodel, "TEXTURE_BUDGET", 4 * 64 * 64 * 8)  # 64 x 64 a tile
    monkeypatch.setattr(CityModelAdapter, "build_all_at_once", True)
    project, layer = _project(path)
    _face(project, layer, 3)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        adapter: CityModelAdapter = view.scene.adapters[layer.uid]  # type: ignore[assignment]
        adapter.forced_level = LEVEL_FULL
        img = view.image()
        assert len(adapter.nodes) >= 4 and len(adapter.actors) == len(adapter.nodes)
        textures = [n.texture for n in adapter.nodes]
        assert all(t is not None for t in textures)
        # tiles with the same images ({a}, {b} or {a, b}) share one atlas, uploaded once
        assert len({id(t) for t in textures}) <= min(3, len(textures) - 1)
        for texture in textures:
            w, h, _ = texture.GetInput().GetDimensions()
            assert w * h <= adapter._tile_texels < 128 * 128  # downsampled to the budget
            assert texture.GetMipmap() and texture.GetInterpolate()
        _assert_pattern(img)
        assert view.scene.pick(SIZE // 2, SIZE // 2) == (layer.uid, 3)
        assert view.scene.pick_hardware(SIZE // 2, SIZE // 2) == (layer.uid, 3)
    finally:
        view.close()


def test_textures_survive_project_save_and_reopen(city, tmp_path):
    project, layer = _project(city)
    _face(project, layer, 1)
    saved = save_project(project, tmp_path / "p.cimproj")
    reopened = open_project(saved)
    view = OffscreenView(reopened, (SIZE, SIZE))
    try:
        _assert_pattern(view.image())
    finally:
        view.close()


def test_citygml_parameterized_and_georeferenced_textures_drawn(tmp_path):
    from PIL import Image

    from cimviewer.core.camera import top_down_camera
    from tests.io.citygml.texgml import SIZE as GML_SIZE
    from tests.io.citygml.texgml import X0, Y0, box_gml

    quadrant_image(tmp_path / "facade.png")
    ortho = np.zeros((10, 10, 3), np.uint8)
    ortho[:5], ortho[5:] = GREEN, BLUE  # north half green, south half blue
    Image.fromarray(ortho).save(tmp_path / "ortho.png")
    project, layer = _project(box_gml(tmp_path / "b.gml", roof="georef"))
    _face(project, layer)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        _assert_pattern(view.image())
        centre = np.array([X0 + GML_SIZE / 2, Y0 + GML_SIZE / 2, GML_SIZE])
        project.camera.state = top_down_camera(centre, 40.0)
        img = view.image()
        c = SIZE // 2
        assert _looks_like(img[c - Q, c], GREEN) and _looks_like(img[c + Q, c], BLUE)
    finally:
        view.close()


@pytest.mark.parametrize("transparency", [0.0, 1.0])
def test_material_transparency(tmp_path, transparency):
    import json

    path = box_city(tmp_path / "c.json", (1, 1), images=["none.png"])
    doc = json.loads(path.read_text())
    doc["appearance"]["materials"] = [{"name": "glass", "diffuseColor": [0.9, 0.1, 0.1],
                                       "transparency": transparency}]
    doc["CityObjects"]["b0"]["geometry"][0]["material"] = {"m": {"value": 0}}
    path.write_text(json.dumps(doc))
    project, layer = _project(path)
    mesh = layer.model.meshes["2"]
    opacity = 255 if mesh.tri_opacity is None else mesh.tri_opacity  # None: all opaque
    assert np.all(opacity == round((1 - transparency) * 255))
    _face(project, layer)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        pixel = view.image()[SIZE // 2, SIZE // 2]
        layer.visible = False
        background = view.image()[SIZE // 2, SIZE // 2]
    finally:
        view.close()
    if transparency:
        assert np.abs(pixel.astype(int) - background).max() <= 3  # see-through
    else:
        assert _looks_like(pixel, RED)


def test_streamed_cityjsonseq_tiles_draw_their_textures(tmp_path, monkeypatch):
    from cimviewer.io.cityjson import streamed
    from tests.render.texcity import box_city_seq

    monkeypatch.setattr(streamed, "FEATURES_PER_TILE", 4)
    monkeypatch.setattr(CityModelAdapter, "build_all_at_once", True)
    quadrant_image(tmp_path / "a.png")
    quadrant_image(tmp_path / "b.png", 32)
    whole = box_city(tmp_path / "whole.json", (4, 3), images=["a.png", "b.png"])
    path = box_city_seq(tmp_path / "city.city.jsonl", whole)
    for attempt in range(2):  # the second opening reads the tiles from the cache
        project = Project()
        layer = project.add_layer(open_layer(path, options={"streamed": True}))
        assert layer.model.streamed
        _face(project, layer_whole := project.add_layer(open_layer(whole)), 1)
        layer_whole.visible = False
        view = OffscreenView(project, (SIZE, SIZE))
        try:
            adapter: CityModelAdapter = view.scene.adapters[layer.uid]  # type: ignore[assignment]
            adapter.forced_level = LEVEL_FULL
            _assert_pattern(view.image())
            assert len(adapter.nodes) >= 3
            assert view.scene.pick(SIZE // 2, SIZE // 2) == (layer.uid, 1)
        finally:
            view.close()
        assert layer.model.tile_source.stats["cached" if attempt else "read"] > 0


def test_evicted_tiles_release_their_atlases(tmp_path, monkeypatch):
    quadrant_image(tmp_path / "a.png")
    path = box_city(tmp_path / "city.json", (6, 4), images=["a.png"])
    monkeypatch.setattr(citymodel, "SINGLE_TILE_LIMIT", 100)
    monkeypatch.setattr(citymodel, "TRIANGLES_PER_TILE", 60)
    monkeypatch.setattr(CityModelAdapter, "build_all_at_once", True)
    project, layer = _project(path)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        adapter: CityModelAdapter = view.scene.adapters[layer.uid]  # type: ignore[assignment]
        built = [n for n in adapter.nodes if n.texture is not None]
        assert len(built) >= 2 and adapter._atlases
        for node in built:
            adapter._evict(node)
        assert not adapter._atlases and adapter.resident_bytes == 0
        assert all(n.actor.GetTexture() is None for n in built)
    finally:
        view.close()


def test_style_changed_while_a_tile_is_coarse_shows_right_when_it_refines(tmp_path,
                                                                          monkeypatch):
    from cimviewer.render.adapters.citymodel import LEVEL_BLOCKS

    quadrant_image(tmp_path / "a.png")
    path = box_city(tmp_path / "city.json", (6, 4), images=["a.png"])
    monkeypatch.setattr(citymodel, "SINGLE_TILE_LIMIT", 100)
    monkeypatch.setattr(citymodel, "TRIANGLES_PER_TILE", 60)
    monkeypatch.setattr(CityModelAdapter, "build_all_at_once", True)
    project, layer = _project(path)
    _face(project, layer, 3)
    view = OffscreenView(project, (SIZE, SIZE))
    try:
        adapter: CityModelAdapter = view.scene.adapters[layer.uid]  # type: ignore[assignment]
        adapter.forced_level = LEVEL_FULL
        _assert_pattern(view.image())
        plain = layer.style
        for style, textured in ((LayerStyle(mode="graduated", attribute="height"), False),
                                (plain, True)):
            adapter.forced_level = LEVEL_BLOCKS
            view.image()
            layer.style = style  # changed while the tiles are blocks
            adapter.forced_level = LEVEL_FULL
            img = view.image()
            if textured:
                _assert_pattern(img)
            else:
                quads = _quadrants(img)
                assert all(np.abs(p.astype(int) - quads[0]).max() <= 3 for p in quads)
                assert int(quads[0].sum()) < 400  # drawn in its class colour, not see-through
    finally:
        view.close()
