"""Texture images, decoded lazily, downsampled on decode, kept within a memory budget.

A city model lists its texture images (:attr:`CityModel.textures`); the renderer asks
for each at the size its tile atlas has room for. Decoding happens on the first request
(Pillow; JPEGs are reduced by the decoder itself with ``draft``, so a 8k facade photo is
never held at full size), and decoded pixels stay in a least-recently-used cache of at
most ``budget`` bytes: tiles built later reuse them, memory stays bounded however many
images a city has. An image that cannot be read is reported once (logging) and answers
None, so its surfaces fall back to their style colour.

Pixels are returned bottom row first (row 0 = v 0), the way texture coordinates count.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

#: decoded pixels kept for reuse across tiles
CACHE_BYTES = 256 * 2**20


class TextureImages:
    """The texture images of one model, by index (``paths`` is kept, not copied: a
    streamed layer's list grows as its tiles are read)."""

    def __init__(self, paths: list[Path], budget: int = CACHE_BYTES):
        self.paths = paths
        self.budget = budget
        #: by file: entries of several appearances may name the same image
        self._sizes: dict[Path, tuple[int, int] | None] = {}
        self._cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self.cached_bytes = 0
        self.failed: set[Path] = set()

    def size(self, index: int) -> tuple[int, int] | None:
        """(width, height) of an image from its header, or None when it cannot be read."""
        path = self.paths[index]
        if path not in self._sizes:
            self._sizes[path] = self._read_size(index)
        return self._sizes[path]

    def _read_size(self, index: int) -> tuple[int, int] | None:
        from PIL import Image

        try:
            with self._open(index) as img:
                width, height = img.size
        except (OSError, ValueError, IndexError, Image.DecompressionBombError) as exc:
            self._fail(index, exc)
            return None
        return (int(width), int(height)) if width > 0 and height > 0 else None

    def pixels(self, index: int, width: int, height: int,
               crop: tuple[int, int, int, int] | None = None) -> np.ndarray | None:
        """(height, width, 3) uint8 RGB resampled to that size, bottom row first; None
        when the image cannot be decoded. ``crop`` (x0, y0, x1, y1) in source pixels,
        y from the bottom: only that part of the image (a tile that uses a corner of a
        large photo atlas gets that corner sharp)."""
        key = (self.paths[index], width, height, crop)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        if self.paths[index] in self.failed:
            return None
        array = self._decode(index, width, height, crop)
        if array is None:
            return None
        self._cache[key] = array
        self.cached_bytes += array.nbytes
        while self.cached_bytes > self.budget and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self.cached_bytes -= old.nbytes
        return array

    def _decode(self, index: int, width: int, height: int,
                crop: tuple[int, int, int, int] | None) -> np.ndarray | None:
        from PIL import Image

        try:
            with self._open(index) as img:
                full_w, full_h = img.size
                x0, y0, x1, y1 = crop or (0, 0, full_w, full_h)
                # JPEG: decode at 1/2, 1/4, 1/8 size, as far as the crop still has enough
                img.draft("RGB", (max(width * full_w // max(x1 - x0, 1), 1),
                                  max(height * full_h // max(y1 - y0, 1), 1)))
                rgb = img.convert("RGB")
                if crop is not None:
                    fx, fy = rgb.size[0] / full_w, rgb.size[1] / full_h
                    rgb = rgb.crop((round(x0 * fx), round((full_h - y1) * fy),
                                    max(round(x1 * fx), round(x0 * fx) + 1),
                                    max(round((full_h - y0) * fy),
                                        round((full_h - y1) * fy) + 1)))
                if rgb.size != (width, height):
                    rgb = rgb.resize((width, height), Image.Resampling.BILINEAR,
                                     reducing_gap=2.0)
                array = np.asarray(rgb, np.uint8)
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            self._fail(index, exc)
            return None
        return np.ascontiguousarray(array[::-1])

    def _open(self, index: int) -> Any:
        """The image as a Pillow image (subclasses read from elsewhere than files)."""
        from PIL import Image

        return Image.open(self.paths[index])

    def _fail(self, index: int, exc: Exception) -> None:
        path = self.paths[index]
        if path not in self.failed:
            self.failed.add(path)
            log.warning("texture image %s not read: %s", path.name, exc)


class MemoryTextureImages(TextureImages):
    """Images held as encoded bytes (PNG / JPEG embedded in glTF content), by index;
    ``paths`` are names only (keys of the atlas), one per image."""

    def __init__(self, images: list[bytes], name: str = "image",
                 budget: int = CACHE_BYTES):
        super().__init__([Path(f"{name}{k}") for k in range(len(images))], budget)
        self.data = images

    def _open(self, index: int) -> Any:
        import io

        from PIL import Image

        return Image.open(io.BytesIO(self.data[index]))
