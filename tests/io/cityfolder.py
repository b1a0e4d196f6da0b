"""A folder of small CityJSON tiles written by the tests: box buildings in rows, each file
with its own ``transform`` and CRS, and optionally a broken file."""

from __future__ import annotations

from pathlib import Path

import orjson

RD = 28992  # Amersfoort / RD New
UTM31 = 32631  # WGS 84 / UTM zone 31N: the same place in other coordinates
ORIGIN_RD = (85000.0, 446000.0)


def box_building(x: float, y: float, size: float, height: float, base: int) -> tuple[list, list]:
    verts = [[x, y, 0], [x + size, y, 0], [x + size, y + size, 0], [x, y + size, 0],
             [x, y, height], [x + size, y, height], [x + size, y + size, height],
             [x, y + size, height]]
    b = base
    shell = [[[b, b + 3, b + 2, b + 1]], [[b + 4, b + 5, b + 6, b + 7]],
             [[b, b + 1, b + 5, b + 4]], [[b + 1, b + 2, b + 6, b + 5]],
             [[b + 2, b + 3, b + 7, b + 6]], [[b + 3, b, b + 4, b + 7]]]
    return verts, [shell]


def tile_document(prefix: str, corners: list[tuple[float, float]], epsg: int,
                  size: float = 10.0, height: float = 12.0, translate=(0.0, 0.0, 0.0),
                  parts: bool = False) -> dict:
    """One CityJSON file: a Building per corner (with a BuildingPart when ``parts``)."""
    vertices: list = []
    cos: dict = {}
    for i, (x, y) in enumerate(corners):
        verts, solid = box_building(x, y, size, height + i, len(vertices))
        vertices += verts
        oid = f"{prefix}-{i}"
        cos[oid] = {"type": "Building", "attributes": {"tile": prefix, "number": i},
                    "geometry": [{"type": "Solid", "lod": "1", "boundaries": solid}]}
        if parts:
            cos[oid]["children"] = [f"{oid}-part"]
            verts, solid = box_building(x + size / 4, y + size / 4, size / 2, height + i + 4,
                                        len(vertices))
            vertices += verts
            cos[f"{oid}-part"] = {"type": "BuildingPart", "parents": [oid],
                                  "geometry": [{"type": "Solid", "lod": "1",
                                                "boundaries": solid}]}
    scale = 0.001
    quantized = [[round((v[k] - translate[k]) / scale) for k in range(3)] for v in vertices]
    return {"type": "CityJSON", "version": "2.0",
            "transform": {"scale": [scale] * 3, "translate": list(translate)},
            "metadata": {"referenceSystem": f"https://www.opengis.net/def/crs/EPSG/0/{epsg}"},
            "CityObjects": cos, "vertices": quantized}


def row(x0: float, y0: float, n: int, step: float = 20.0) -> list[tuple[float, float]]:
    return [(x0 + i * step, y0) for i in range(n)]


def rd_to_utm(x: float, y: float) -> tuple[float, float]:
    from pyproj import Transformer

    t = Transformer.from_crs(f"EPSG:{RD}", f"EPSG:{UTM31}", always_xy=True)
    ux, uy = t.transform(x, y)
    return float(ux), float(uy)


def write_city_folder(folder: Path, *, broken: bool = True) -> Path:
    """Three readable tiles north of each other (a, b in RD; c in UTM 31N: 5, 4 and 3
    buildings), a broken file and a JSON file that is not CityJSON."""
    folder.mkdir(parents=True, exist_ok=True)
    x0, y0 = ORIGIN_RD
    (folder / "a.city.json").write_bytes(orjson.dumps(
        tile_document("a", row(x0, y0, 5), RD, translate=(x0, y0, 0.0), parts=True)))
    sub = folder / "north"
    sub.mkdir(exist_ok=True)
    (sub / "b.city.json").write_bytes(orjson.dumps(
        tile_document("b", row(x0, y0 + 60, 4), RD, translate=(x0 + 7, y0 + 9, 0.0))))
    ux, uy = rd_to_utm(x0, y0 + 120)
    (folder / "c.json").write_bytes(orjson.dumps(
        tile_document("c", row(ux, uy, 3), UTM31, translate=(ux, uy, 0.0))))
    if broken:
        (folder / "broken.city.json").write_bytes(b'{"type": "CityJSON", "CityObj')
    (folder / "notes.json").write_bytes(b'{"title": "not a city"}')
    return folder
