"""The textured geometry of one tile: split vertices, atlas coordinates, one texture.

Texture coordinates are per triangle corner in the model; VTK wants them per point. So
a textured triangle gets three points of its own (two faces meeting at a vertex map it
to different texels), while untextured triangles keep sharing their vertices and all
point at the atlas's white block. Cells stay in the tile's triangle order, so the
``object_id`` and colour arrays, picking and the light (roofs-only) level that shares
the points are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from vtkmodules.vtkRenderingCore import vtkTexture

from cimviewer.io.textures import TextureImages
from cimviewer.render.texture_atlas import Atlas, atlas_uvs, build_atlas, fit, vtk_texture

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
    """An atlas and its texture, shared by the tiles that use the same images."""

    slots: dict[Path, int]  # image file -> its place in the atlas
    sizes: np.ndarray  # (k, 2) placed sizes in texels, by place
    atlas: Atlas  # rects and white block (the pixels are freed once uploaded)
    texture: vtkTexture
    nbytes: int


def tile_atlas(wanted: np.ndarray, images: TextureImages, texels: int,
               cache: dict | None = None) -> TileAtlas | None:
    """The atlas of a tile's images (model texture indices; one place per image file,
    however many entries name it), from ``cache`` when another tile with the same
    images made it; None when none of them can be read."""
    first: dict[Path, int] = {}
    for i in wanted.tolist():  # per image
        first.setdefault(images.paths[i], i)
    sizes = {path: images.size(i) for path, i in first.items()}  # headers only
    readable = [path for path, size in sizes.items() if size is not None]
    if not readable:
        return None
    key = (tuple(readable), texels)
    if cache is not None and key in cache:
        return cache[key]
    placed = fit(np.array([sizes[path] for path in readable]), texels)
    pixels, slots, kept = [], {}, []
    for path, (w, h) in zip(readable, placed.tolist(), strict=True):
        array = images.pixels(first[path], w, h)
        if array is not None:
            slots[path] = len(pixels)
            pixels.append(array)
            kept.append((w, h))
    if not pixels:
        return None
    atlas = build_atlas(pixels)
    shared = TileAtlas(slots, np.array(kept, np.int64), atlas, vtk_texture(atlas),
                       atlas.nbytes)
    atlas.pixels = atlas.pixels[:0]  # uploaded from the texture's own copy
    if cache is not None:
        cache[key] = shared
    return shared


def textured_tile(local_vertices: np.ndarray, triangles: np.ndarray, tri_texture: np.ndarray,
                  tri_uv: np.ndarray, images: TextureImages, texels: int = TILE_TEXELS,
                  cache: dict | None = None) -> TexturedTile | None:
    """Geometry and atlas of a tile's triangles; None when none of its images is read.

    Tiles that use the same images share one atlas through ``cache`` (a district
    textured from a handful of photos uploads them once); its bytes are counted for
    every tile, so the memory budget errs on the safe side."""
    wanted = np.unique(tri_texture[tri_texture >= 0])
    shared = tile_atlas(wanted, images, texels, cache)
    if shared is None:
        return None
    slot_of = np.full(int(wanted.max()) + 2, -1, np.int64)  # index -1 looks up the last
    for i in wanted.tolist():  # per image
        slot_of[i] = shared.slots.get(images.paths[i], -1)
    slot = slot_of[tri_texture]
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
    uv = atlas_uvs(tri_uv[textured], slot[textured], shared.atlas, shared.sizes)
    tcoords = np.concatenate([np.broadcast_to(shared.atlas.white_uv, (n_shared, 2)),
                              uv.reshape(-1, 2)]).astype(np.float32)
    return TexturedTile(points.astype(np.float32), conn, tcoords, textured,
                        shared.texture, shared.nbytes)
