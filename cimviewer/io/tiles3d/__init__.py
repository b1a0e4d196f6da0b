"""3D Tiles 1.0 / 1.1: tilesets read lazily, contents decoded on demand.

:mod:`.tileset` parses the tile tree (external tilesets and implicit tiling made when
reached), :mod:`.content` and :mod:`.gltf` decode b3dm / i3dm / cmpt / glb contents,
:mod:`.model` places them in a projected CRS and keeps the features' properties.
"""

from cimviewer.io.tiles3d.model import TilesetModel
from cimviewer.io.tiles3d.reader import read_tileset

__all__ = ["TilesetModel", "read_tileset"]
