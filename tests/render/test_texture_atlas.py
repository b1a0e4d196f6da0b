"""Atlas packing: images fit the texel budget, never overlap, coordinates stay inside."""

from __future__ import annotations

import numpy as np

from cimviewer.render.texture_atlas import PAD, atlas_uvs, build_atlas, fit, pack, wrap_uvs


def test_fit_keeps_the_budget_and_the_aspect():
    sizes = np.array([[4000, 3000], [512, 512], [100, 800]])
    placed = fit(sizes, 1024 * 1024)
    _, width, height = pack(np.vstack([placed, [[8, 8]]]))
    assert width * height <= 1024 * 1024
    np.testing.assert_allclose(placed[0, 0] / placed[0, 1], 4 / 3, rtol=0.01)
    assert (fit(np.array([[64, 64]]), 1024 * 1024) == 64).all()  # never enlarged


def test_packed_boxes_do_not_overlap():
    rng = np.random.default_rng(1)
    sizes = rng.integers(5, 200, (40, 2))
    corners, width, height = pack(sizes)
    boxes = np.concatenate([corners, corners + sizes + 2 * PAD], axis=1)
    assert (boxes[:, 2] <= width).all() and (boxes[:, 3] <= height).all()
    lo = np.maximum(boxes[:, None, :2], boxes[None, :, :2])
    hi = np.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    overlap = (hi > lo).all(axis=2)
    np.fill_diagonal(overlap, False)
    assert not overlap.any()


def test_coordinates_map_into_their_image_and_wrap_per_triangle():
    red = np.full((16, 32, 3), (255, 0, 0), np.uint8)
    blue = np.full((8, 8, 3), (0, 0, 255), np.uint8)
    atlas = build_atlas([red, blue])
    uv = np.array([[[0, 0], [1, 0], [1, 1]], [[3.2, 0.1], [3.9, 0.1], [3.5, 0.9]]], np.float32)
    out = atlas_uvs(wrap_uvs(uv), np.array([0, 1]), atlas, np.array([[32, 16], [8, 8]]))
    h, w = atlas.pixels.shape[:2]
    texel = np.floor(out * [w, h]).astype(int)
    assert (atlas.pixels[texel[0, :, 1], texel[0, :, 0]] == (255, 0, 0)).all()
    assert (atlas.pixels[texel[1, :, 1], texel[1, :, 0]] == (0, 0, 255)).all()
    white = np.floor(atlas.white_uv * [w, h]).astype(int)
    assert (atlas.pixels[white[1], white[0]] == 255).all()


def test_features_naming_the_same_images_share_their_places(tmp_path):
    """A CityJSONSeq read whole: every feature lists the images again; they are counted
    and packed once."""
    from cimviewer.io.cityjson.reader import read_cityjson
    from cimviewer.io.textures import TextureImages
    from cimviewer.render.textured_tiles import tile_atlas
    from tests.render.texcity import box_city, box_city_seq, quadrant_image

    quadrant_image(tmp_path / "a.png")
    quadrant_image(tmp_path / "b.png")
    whole = box_city(tmp_path / "w.json", (3, 2), images=["a.png", "b.png"])
    model = read_cityjson(box_city_seq(tmp_path / "s.city.jsonl", whole))
    assert len(model.textures) == 12
    assert model.appearance == {"textures": 2, "textures_missing": 0, "materials": 0}
    images = TextureImages(model.textures)
    boxes = np.tile([0.0, 0.0, 1.0, 1.0], (12, 1))
    shared = tile_atlas(np.arange(12), boxes, images, 1 << 20)
    assert sorted(p.name for p in shared.slots) == ["a.png", "b.png"]
    assert len(images._cache) == 2


def test_a_tile_using_a_corner_of_a_large_image_gets_that_corner_sharp(tmp_path):
    from cimviewer.io.textures import TextureImages
    from cimviewer.render.textured_tiles import textured_tile
    from tests.render.texcity import RED, quadrant_image

    quadrant_image(tmp_path / "big.png", 1024)
    verts = np.array([[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]], np.float32)
    tris = np.array([[0, 1, 2], [0, 2, 3]])
    # the top-left (red) quadrant: u 0..0.5, v 0.5..1
    uv = np.array([[[0, 0.5], [0.5, 0.5], [0.5, 1]], [[0, 0.5], [0.5, 1], [0, 1]]],
                  np.float32)
    cache: dict = {}
    tile = textured_tile(verts, tris, np.array([0, 0]), uv, TextureImages([tmp_path / "big.png"]),
                         texels=600 * 600, cache=cache)
    (shared,) = cache.values()
    assert (shared.sizes[0] >= 512).all()  # the corner at full resolution (whole: ~560)
    np.testing.assert_allclose(shared.crops[0], [0, 0.499, 0.501, 1], atol=0.002)
    atlas = tile.texture.GetInput()
    w, h, _ = atlas.GetDimensions()
    from vtkmodules.util.numpy_support import vtk_to_numpy

    pixels = vtk_to_numpy(atlas.GetPointData().GetScalars()).reshape(h, w, 3)
    centres = tile.tcoords[-6:].reshape(2, 3, 2).mean(axis=1)  # inside the triangles
    texel = np.floor(centres * [w, h]).astype(int)
    assert (np.abs(pixels[texel[:, 1], texel[:, 0]].astype(int) - RED) < 3).all()
