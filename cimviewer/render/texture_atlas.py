"""One texture atlas per tile, so a textured tile stays one actor.

A tile's images (the part of each that its triangles use: :func:`used_boxes`) are
scaled by one factor so they fit a texel budget, packed on shelves
(tallest first) into one image with a white block for untextured triangles, and each
image is padded by copies of its edge texels so that filtering and the first mipmap
levels never mix in a neighbour. Texture coordinates are then remapped into the atlas:

* a triangle whose coordinates stay within one repeat of the image (u from 3 to 3.7,
  say) is shifted back into 0..1, so the common ``wrap`` use per face survives; a
  triangle that spans several repeats is clamped (an atlas cannot repeat one region);
* coordinates are kept half a texel inside the image, so the edge does not bleed.

The renderer multiplies each cell's colour with the texel: textured cells get white
(or the highlight colour when selected), untextured cells sample the white block and so
show their style colour. Mipmaps and linear filtering are switched on for the
``vtkTexture`` (:func:`vtk_texture`), so far tiles do not shimmer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonDataModel import vtkImageData
from vtkmodules.vtkRenderingCore import vtkTexture

#: texels of edge padding around each image (mipmap levels 0-2 stay clean)
PAD = 4
#: size of the white block untextured triangles sample
WHITE = 8
#: no image is placed larger than this many texels a side
MAX_SIDE = 2048


@dataclass
class Atlas:
    pixels: np.ndarray  # (H, W, 3) uint8, row 0 = v 0
    rects: np.ndarray  # (k, 4) float64: u0, v0, u1, v1 of each image's texels in the atlas
    white_uv: np.ndarray  # (2,) float32 texture coordinate of the white block

    @property
    def nbytes(self) -> int:
        return int(self.pixels.nbytes * 4 // 3)  # with the mipmap chain


def fitted_sizes(sizes: np.ndarray, texels: int, max_side: int = MAX_SIDE) -> np.ndarray:
    """(k, 2) sizes scaled by one factor (never up) so that together they fit ``texels``
    with their padding, and no side exceeds ``max_side``."""
    sizes = np.asarray(sizes, np.float64).reshape(-1, 2)
    if not len(sizes):
        return sizes.astype(np.int64)
    area = float(np.prod(sizes + 2 * PAD, axis=1).sum())
    scale = min(1.0, math.sqrt(max(texels - (WHITE + 2 * PAD) ** 2, 1) / area))
    scale = min(scale, max_side / float(sizes.max()))
    return np.maximum(np.floor(sizes * scale), 1).astype(np.int64)


def fit(sizes: np.ndarray, texels: int, max_side: int = MAX_SIDE) -> np.ndarray:
    """Sizes (one scale factor for all) whose packed atlas, padding and white block
    included, has at most ``texels`` texels (shelves waste some room: shrink and
    pack again, a few times at most)."""
    budget = texels
    placed = fitted_sizes(sizes, budget, max_side)
    for _ in range(6):
        _, width, height = pack(np.vstack([placed, [[WHITE, WHITE]]]))
        if width * height <= texels or placed.max(initial=1) <= 1:
            break
        budget = int(budget * texels / (width * height) * 0.97)
        placed = fitted_sizes(sizes, budget, max_side)
    return placed


def pack(sizes: np.ndarray) -> tuple[np.ndarray, int, int]:
    """Shelf packing: (k, 2) lower-left corners of the padded boxes and the atlas size."""
    boxes = np.asarray(sizes, np.int64).reshape(-1, 2) + 2 * PAD
    total = int(np.prod(boxes, axis=1).sum())
    width = max(int(boxes[:, 0].max(initial=0)), math.ceil(math.sqrt(total * 1.15)), 16)
    corners = np.zeros((len(boxes), 2), np.int64)
    x = y = shelf = 0
    for i in np.argsort(-boxes[:, 1], kind="stable").tolist():  # per image, not per texel
        w, h = int(boxes[i, 0]), int(boxes[i, 1])
        if x + w > width:
            x, y, shelf = 0, y + shelf, 0
        corners[i] = (x, y)
        x += w
        shelf = max(shelf, h)
    return corners, width, y + shelf


def build_atlas(images: list[np.ndarray]) -> Atlas:
    """Pack images ((h, w, 3) uint8, row 0 = v 0) with a white block into one atlas."""
    sizes = np.array([[im.shape[1], im.shape[0]] for im in images] + [[WHITE, WHITE]],
                     np.int64)
    corners, width, height = pack(sizes)
    atlas = np.zeros((height, width, 3), np.uint8)
    for (x, y), im in zip(corners.tolist(), [*images, np.full((WHITE, WHITE, 3), 255, np.uint8)],
                          strict=True):
        h, w = im.shape[:2]
        atlas[y:y + h + 2 * PAD, x:x + w + 2 * PAD] = np.pad(im, ((PAD, PAD), (PAD, PAD),
                                                                  (0, 0)), mode="edge")
    inner = corners + PAD
    rects = np.concatenate([inner, inner + sizes], axis=1).astype(np.float64)
    rects /= np.array([width, height, width, height], np.float64)
    white = rects[-1]
    white_uv = np.array([(white[0] + white[2]) / 2, (white[1] + white[3]) / 2], np.float32)
    return Atlas(atlas, rects[:-1], white_uv)


def wrap_uvs(tri_uv: np.ndarray) -> np.ndarray:
    """(m, 3, 2) coordinates in 0..1: each triangle shifted back by whole repeats of
    the image, then clamped (a triangle spanning several repeats cannot repeat)."""
    uv = np.asarray(tri_uv, np.float64)
    shift = np.floor(uv.min(axis=1, keepdims=True))
    uv = uv - np.where(np.isfinite(shift), shift, 0.0)
    return np.clip(np.nan_to_num(uv), 0.0, 1.0)


def used_boxes(uv: np.ndarray, slot: np.ndarray, n: int) -> np.ndarray:
    """(n, 4) u0, v0, u1, v1 that the triangles of each slot use (wrapped ``uv``)."""
    corners = np.repeat(slot, 3)
    flat = uv.reshape(-1, 2)
    lo = np.full((n, 2), np.inf)
    hi = np.full((n, 2), -np.inf)
    np.minimum.at(lo, corners, flat)
    np.maximum.at(hi, corners, flat)
    return np.concatenate([lo, hi], axis=1)


def atlas_uvs(uv: np.ndarray, slot: np.ndarray, atlas: Atlas, image_sizes: np.ndarray,
              crops: np.ndarray | None = None) -> np.ndarray:
    """(m, 3, 2) coordinates of textured triangles in the atlas; ``uv`` wrapped
    (:func:`wrap_uvs`), ``slot`` each triangle's image in the atlas, ``image_sizes``
    (k, 2) the placed sizes in texels, ``crops`` (k, 4) the part of each image placed
    (u0, v0, u1, v1; default: all of it)."""
    uv = np.asarray(uv, np.float64)
    if crops is not None:
        crop = crops[slot]
        span = np.maximum(crop[:, 2:] - crop[:, :2], 1e-12)
        uv = (uv - crop[:, None, :2]) / span[:, None, :]
    half = 0.5 / image_sizes[slot].astype(np.float64)  # (m, 2): half a texel in 0..1
    uv = np.clip(uv, half[:, None, :], 1.0 - half[:, None, :])
    rect = atlas.rects[slot]  # (m, 4)
    lo, span = rect[:, None, :2], (rect[:, 2:] - rect[:, :2])[:, None, :]
    return (lo + uv * span).astype(np.float32)


def vtk_texture(atlas: Atlas) -> vtkTexture:
    """A mipmapped, linearly filtered, edge-clamped vtkTexture of the atlas."""
    height, width = atlas.pixels.shape[:2]
    image = vtkImageData()
    image.SetDimensions(width, height, 1)
    scalars = numpy_to_vtk(atlas.pixels.reshape(-1, 3), deep=True)
    scalars.SetName("atlas")
    image.GetPointData().SetScalars(scalars)
    texture = vtkTexture()
    texture.SetInputData(image)
    texture.InterpolateOn()
    texture.MipmapOn()
    texture.SetMaximumAnisotropicFiltering(1.0)  # software GL: anisotropy costs 4x
    texture.RepeatOff()
    texture.EdgeClampOn()
    texture.SetColorModeToDirectScalars()
    return texture
