"""Small textured CityJSON cities that tests write themselves.

Each building is a box whose four walls carry a whole texture image (u, v from 0 to 1
along the wall's width and height, origin at the lower left as CityJSON says); roofs
and grounds are untextured. The quadrant image has a different colour in each
quadrant, so a rendered wall shows whether the texture is upright and not mirrored.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

RED, GREEN, BLUE, YELLOW = (230, 20, 20), (20, 200, 20), (20, 20, 230), (230, 230, 20)
#: quadrant colours as seen on the wall: (top-left, top-right, bottom-left, bottom-right)
QUADRANTS = (RED, GREEN, BLUE, YELLOW)


def quadrant_image(path: Path, size: int = 64) -> Path:
    """An RGB PNG, top-left red, top-right green, bottom-left blue, bottom-right yellow."""
    img = np.zeros((size, size, 3), np.uint8)
    h = size // 2
    img[:h, :h], img[:h, h:], img[h:, :h], img[h:, h:] = QUADRANTS
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(img).save(path)
    return path


def solid_image(path: Path, color: tuple[int, int, int], size: int = 32) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((size, size, 3), color, np.uint8)).save(path)
    return path


def box_city(path: Path, grid: tuple[int, int] = (1, 1), size: float = 10.0,
             height: float = 10.0, spacing: float = 20.0, images: list[str] | None = None,
             origin: tuple[float, float] = (85000.0, 446000.0)) -> Path:
    """A CityJSON file of ``grid`` boxes with textured walls (image ``i % len(images)``
    for building ``i``), roofs and grounds untextured; written next to its images."""
    images = images or ["facade.png"]
    vertices: list[list[float]] = []
    objects: dict[str, dict] = {}
    for i in range(grid[0] * grid[1]):
        gx, gy = i % grid[0], i // grid[0]
        x0, y0 = origin[0] + gx * spacing, origin[1] + gy * spacing
        base = len(vertices)
        for z in (0.0, height):
            vertices += [[x0, y0, z], [x0 + size, y0, z], [x0 + size, y0 + size, z],
                         [x0, y0 + size, z]]
        b = base
        walls = [[[b + k, b + (k + 1) % 4, b + 4 + (k + 1) % 4, b + 4 + k]] for k in range(4)]
        surfaces = [[[b + 3, b + 2, b + 1, b]], [[b + 4, b + 5, b + 6, b + 7]], *walls]
        tex = i % len(images)
        values = [[[None]], [[None]], *([[tex, 0, 1, 2, 3]] for _ in walls)]
        objects[f"b{i}"] = {
            "type": "Building",
            "attributes": {"height": height + i},
            "geometry": [{
                "type": "Solid", "lod": "2", "boundaries": [surfaces],
                "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"},
                                           {"type": "WallSurface"}],
                              "values": [[0, 1, 2, 2, 2, 2]]},
                "texture": {"photo": {"values": [values]}},
            }],
        }
    doc = {
        "type": "CityJSON", "version": "2.0",
        "transform": {"scale": [0.001, 0.001, 0.001], "translate": [0, 0, 0]},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"},
        "CityObjects": objects,
        "vertices": (np.round(np.array(vertices) * 1000)).astype(int).tolist(),
        "appearance": {
            "textures": [{"type": "PNG", "image": name} for name in images],
            "vertices-texture": [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]],
            "default-theme-texture": "photo",
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def box_city_seq(path: Path, doc_path: Path) -> Path:
    """The :func:`box_city` file as CityJSONSeq: one feature per building, each with
    its own vertices and appearance (textures and texture coordinates)."""
    doc = json.loads(doc_path.read_text())
    header = {k: v for k, v in doc.items() if k not in ("CityObjects", "vertices", "appearance")}
    lines = [json.dumps({**header, "CityObjects": {}, "vertices": []})]
    vertices = doc["vertices"]
    for oid, co in doc["CityObjects"].items():
        geom = co["geometry"][0]
        used = sorted({v for surface in geom["boundaries"][0] for ring in surface for v in ring})
        local = {v: i for i, v in enumerate(used)}
        boundaries = [[[[local[v] for v in ring] for ring in surface]
                       for surface in geom["boundaries"][0]]]
        lines.append(json.dumps({
            "type": "CityJSONFeature", "id": oid,
            "CityObjects": {oid: {**co, "geometry": [{**geom, "boundaries": boundaries}]}},
            "vertices": [vertices[v] for v in used], "appearance": doc["appearance"]}))
    path.write_text("\n".join(lines) + "\n")
    return path
