"""Opening a 3D Tiles tileset (tileset.json) as a :class:`TilesetModel`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cimviewer.io.errors import ReadError
from cimviewer.io.tiles3d.model import GEOCENTRIC_MIN, TilesetModel
from cimviewer.io.tiles3d.tileset import Tile, TilesetError, TilesetTree

__all__ = ["is_tileset_head", "read_tileset"]


def is_tileset_head(head: bytes) -> bool:
    """Whether the first bytes of a JSON file look like a 3D Tiles tileset (an
    ``asset`` and a ``root`` member near the start)."""
    return b'"asset"' in head and b'"root"' in head and b'"CityObjects"' not in head \
        and b'"CityJSON"' not in head


def _root_centre_ecef(tile: Tile) -> np.ndarray | None:
    """The root volume's centre in the root frame; None for regions (always geodetic)."""
    if tile.volume_kind == "region":
        return None
    centre = tile.volume[:3]
    return tile.transform[:3, :3] @ centre + tile.transform[:3, 3]


def _centre_lonlat(tile: Tile) -> tuple[float, float]:
    if tile.volume_kind == "region":
        w, s, e, n = tile.volume[:4]
        return float(np.degrees((w + e) / 2)), float(np.degrees((s + n) / 2))
    from pyproj import Transformer

    xyz = _root_centre_ecef(tile)
    assert xyz is not None
    t = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True)
    lon, lat, _h = t.transform(*xyz)
    return float(lon), float(lat)


def read_tileset(path: str | Path, target_crs: str | None = None) -> TilesetModel:
    """The tile tree of a tileset placed in ``target_crs`` (default: the UTM zone of
    its centre); contents are read later, by the view (or :meth:`root_contents`)."""
    path = Path(path)
    try:
        tree = TilesetTree(path)
    except TilesetError as exc:
        raise ReadError(str(exc), path) from None
    model = TilesetModel(source_format="3D Tiles", version=tree.version, tree=tree)
    centre = _root_centre_ecef(tree.root)
    model._geodetic = centre is None or float(np.linalg.norm(centre)) > GEOCENTRIC_MIN
    if not model._geodetic:
        model.warnings.append("the tileset is not georeferenced (its root is not on the "
                              "earth's surface): shown in its own coordinates, in metres")
    elif target_crs is None:
        from cimviewer.io.reproject import utm_for

        lon, lat = _centre_lonlat(tree.root)
        target_crs = utm_for("EPSG:4326", np.array([lon, lat, 0, lon, lat, 0]))
    model.place(target_crs)
    model.problems.extend(tree.problems)
    tree.problems = model.problems  # external tilesets and subtrees read later report too
    return model
