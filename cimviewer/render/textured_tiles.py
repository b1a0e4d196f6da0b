"""The textured geometry of one tile: split vertices, atlas coordinates, one texture.

Texture coordinates are per triangle corner in the model; VTK wants them per point. So
a textured triangle gets three points of its own (two faces meeting at a vertex map it
to different texels), while untextured triangles keep sharing their vertices and all
point at the atlas's white block. Cells stay in the tile's triangle order, so the
``object_id`` and colour arrays, picking and the light (roofs-only) level that shares
the points are unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from vtkmodules.vtkRenderingCore import vtkTexture

from cimviewer.io.textures import TextureImages
from cimviewer.render.texture_atlas import (
    Atlas,
    atlas_uvs,
    build_atlas,
    fit,
    used_boxes,
    vtk_texture,
    wrap_uvs,
)

#: texels of one tile's atlas at most (2048 x 2048: 16 MB on the GPU with mipmaps)
TILE_TEXELS = 2048 * 2048


@dataclass
class TexturedTile:
    points: np.ndarray  # (p, 3) float32 render coordinates
    triangles: np.ndarray  # (t, 3) int64 point indices, in the tile's triangle order
    tcoords: np.ndarray  # (p, 2) float32 atlas coordinates
    textured: np.ndarray  # (t,) bool: the cell shows an image
    texture: vtkTexture
    atlas_bytes: int  # the atlas with its mipmap chain


@dataclass
class TileAtlas:
    """An atlas and its texture, shared by the tiles that use the same image parts."""

    slots: dict[Path, int]  # image file -> its place in the atlas
    sizes: np.ndarray  # (k, 2) placed sizes in texels, by place
    crops: np.ndarray  # (k, 4) u0, v0, u1, v1: the part of each image placed
    atlas: Atlas  # rects and white block (the pixels are freed once uploaded)
    texture: vtkTexture
    nbytes: int


def tile_atlas(wanted: np.ndarray, boxes: np.ndarray, images: TextureImages, texels: int,
               cache: dict | None = None) -> TileAtlas | None:
    """The atlas of a tile's images: ``wanted`` model texture indices and ``boxes``
    (u0, v0, u1, v1) of each that the tile's triangles use. One place per image file
    however many entries name it; only the used part of an image is placed (a tile
    that shows a corner of a large photo atlas gets that corner sharp). From ``cache``
    when another tile with the same image parts made it; None when none can be read."""
    first: dict[Path, int] = {}
    box: dict[Path, np.ndarray] = {}
    for i, b in zip(wanted.tolist(), boxes, strict=True):  # per image
        path = images.paths[i]
        first.setdefault(path, i)
        box[path] = b if path not in box else np.r_[np.minimum(box[path][:2], b[:2]),
                                                     np.maximum(box[path][2:], b[2:])]
    crops: dict[Path, tuple[int, int, int, int]] = {}
    for path, i in first.items():
        size = images.size(i)  # the header only
        if size is not None:
            crops[path] = _pixel_crop(box[path], size)
    if not crops:
        return None
    key = (tuple(crops.items()), texels)
    if cache is not None and key in cache:
        return cache[key]
    readable = list(crops)
    source = np.array([[c[2] - c[0], c[3] - c[1]] for c in crops.values()])
    placed = fit(source, texels)
    pixels, slots, kept, kept_crops = [], {}, [], []
    for path, (w, h) in zip(readable, placed.tolist(), strict=True):
        size = images.size(first[path])
        crop = crops[path]
        whole = size is not None and crop == (0, 0, size[0], size[1])
        array = images.pixels(first[path], w, h, None if whole else crop)
        if array is not None and size is not None:
            slots[path] = len(pixels)
            pixels.append(array)
            kept.append((w, h))
            kept_crops.append((crop[0] / size[0], crop[1] / size[1],
                               crop[2] / size[0], crop[3] / size[1]))
    if not pixels:
        return None
    atlas = build_atlas(pixels)
    shared = TileAtlas(slots, np.array(kept, np.int64), np.array(kept_crops), atlas,
                       vtk_texture(atlas), atlas.nbytes)
    atlas.pixels = atlas.pixels[:0]  # uploaded from the texture's own copy
    if cache is not None:
        cache[key] = shared
    return shared


def _pixel_crop(box: np.ndarray, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The used part of an image in whole source pixels (y from the bottom), a pixel
    of margin around it for filtering."""
    width, height = size
    u0, v0, u1, v1 = (float(v) for v in box)
    x0 = max(math.floor(u0 * width) - 1, 0)
    y0 = max(math.floor(v0 * height) - 1, 0)
    x1 = min(max(math.ceil(u1 * width) + 1, x0 + 1), width)
    y1 = min(max(math.ceil(v1 * height) + 1, y0 + 1), height)
    return x0, y0, x1, y1


def textured_tile(local_vertices: np.ndarray, triangles: np.ndarray, tri_texture: np.ndarray,
                  tri_uv: np.ndarray, images: TextureImages, texels: int = TILE_TEXELS,
                  cache: dict | None = None) -> TexturedTile | None:
    """Geometry and atlas of a tile's triangles; None when none of its images is read.

    Tiles that use the same image parts share one atlas through ``cache`` (a district
    textured from a handful of photos uploads them once); its bytes are counted for
    every tile, so the memory budget errs on the safe side."""
    rows = np.flatnonzero(tri_texture >= 0)
    wanted, place = np.unique(tri_texture[rows], return_inverse=True)
    wrapped = wrap_uvs(tri_uv[rows])
    shared = tile_atlas(wanted, used_boxes(wrapped, place, len(wanted)), images, texels,
                        cache)
    if shared is None:
        return None
    slot_of = np.array([shared.slots.get(images.paths[i], -1) for i in wanted.tolist()],
                       np.int64)  # per image
    slot = np.full(len(triangles), -1, np.int64)
    slot[rows] = slot_of[place]
    textured = slot >= 0
    plain = ~textured
    used, inverse = np.unique(triangles[plain].ravel(), return_inverse=True)
    n_shared = len(used)
    n_tex = int(textured.sum())
    conn = np.empty((len(triangles), 3), np.int64)
    conn[plain] = inverse.reshape(-1, 3)
    conn[textured] = n_shared + np.arange(3 * n_tex, dtype=np.int64).reshape(-1, 3)
    points = np.concatenate([local_vertices[used],
                             local_vertices[triangles[textured]].reshape(-1, 3)])
    keep = slot_of[place] >= 0  # the wrapped rows whose image is in the atlas
    uv = atlas_uvs(wrapped[keep], slot[textured], shared.atlas, shared.sizes, shared.crops)
    tcoords = np.concatenate([np.broadcast_to(shared.atlas.white_uv, (n_shared, 2)),
                              uv.reshape(-1, 2)]).astype(np.float32)
    return TexturedTile(points.astype(np.float32), conn, tcoords, textured,
                        shared.texture, shared.nbytes)
