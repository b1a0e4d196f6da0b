"""Texture images: decoded lazily, downsampled on decode, bottom row first, bounded."""

from __future__ import annotations

import logging

import numpy as np
from PIL import Image

from cimviewer.io.textures import TextureImages


def test_large_jpeg_is_reduced_on_decode_and_kept_upright(tmp_path):
    img = np.zeros((3000, 4000, 3), np.uint8)
    img[:1500] = (250, 0, 0)  # top half red, bottom half blue
    img[1500:] = (0, 0, 250)
    Image.fromarray(img).save(tmp_path / "big.jpg", quality=90)
    images = TextureImages([tmp_path / "big.jpg"])
    assert images.size(0) == (4000, 3000)
    small = images.pixels(0, 400, 300)
    assert small.shape == (300, 400, 3)
    assert small[0, 0, 2] > 200 and small[-1, 0, 0] > 200  # row 0 is the bottom (v = 0)
    assert images.pixels(0, 400, 300) is small  # cached


def test_cache_stays_within_its_budget(tmp_path):
    for i in range(4):
        Image.fromarray(np.full((64, 64, 3), i * 40, np.uint8)).save(tmp_path / f"{i}.png")
    images = TextureImages([tmp_path / f"{i}.png" for i in range(4)], budget=2 * 64 * 64 * 3)
    for i in range(4):
        images.pixels(i, 64, 64)
    assert images.cached_bytes <= 2 * 64 * 64 * 3


def test_unreadable_image_answers_none_and_is_reported_once(tmp_path, caplog):
    (tmp_path / "broken.png").write_bytes(b"not a png")
    images = TextureImages([tmp_path / "broken.png"])
    with caplog.at_level(logging.WARNING):
        assert images.size(0) is None
        assert images.pixels(0, 8, 8) is None
    assert sum("broken.png" in r.message for r in caplog.records) == 1
