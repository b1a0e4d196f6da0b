"""A generated CityJSONSeq city (LoD1 solids with semantics) for streaming tests and
benchmarks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson

HEADER = {
    "type": "CityJSON", "version": "2.0",
    "transform": {"scale": [0.001, 0.001, 0.001], "translate": [500000.0, 2490000.0, 0.0]},
    "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/4547"},
    "CityObjects": {}, "vertices": [],
}
SOLID = [[[[0, 3, 2, 1]], [[4, 5, 6, 7]], [[0, 1, 5, 4]], [[1, 2, 6, 5]], [[2, 3, 7, 6]],
          [[3, 0, 4, 7]]]]
SEMANTICS = {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"},
                          {"type": "WallSurface"}], "values": [[0, 1, 2, 2, 2, 2]]}


def write_city_seq(path: Path, n: int, seed: int = 7, height_scale: float = 1.0) -> Path:
    """n box buildings on 30 m plots, one CityJSONFeature per line (millimetre ints)."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x0 = (i % side) * 30.0 + rng.uniform(0, 4, n)
    y0 = (i // side) * 30.0 + rng.uniform(0, 4, n)
    w = rng.uniform(10, 22, n)
    d = rng.uniform(10, 22, n)
    h = (rng.gamma(2.0, 8.0, n) + 4) * height_scale
    zones = np.array(["west", "centre", "east"])[(3 * x0 / (side * 30 + 30)).astype(int)]
    xs = np.stack([x0, x0 + w, x0 + w, x0], axis=1)
    ys = np.stack([y0, y0, y0 + d, y0 + d], axis=1)
    verts = np.zeros((n, 8, 3), np.int64)
    verts[:, :4, 0] = verts[:, 4:, 0] = np.round(xs * 1000)
    verts[:, :4, 1] = verts[:, 4:, 1] = np.round(ys * 1000)
    verts[:, 4:, 2] = np.round(h * 1000)[:, None]
    with path.open("wb") as fh:
        fh.write(orjson.dumps(HEADER) + b"\n")
        for k in range(n):
            oid = f"B{k}"
            fh.write(orjson.dumps({
                "type": "CityJSONFeature", "id": oid,
                "CityObjects": {oid: {
                    "type": "Building",
                    "attributes": {"height": round(float(h[k]), 3),
                                   "zone": str(zones[k])},
                    "geometry": [{"type": "Solid", "lod": "1", "boundaries": SOLID,
                                  "semantics": SEMANTICS}]}},
                "vertices": verts[k].tolist()}) + b"\n")
    return path
