"""``cimviewer info`` of a tileset: counts from the tile tree and the root contents."""

from __future__ import annotations

from typing import Any

from cimviewer.io.tiles3d.model import TilesetModel


def summarize_tileset(model: TilesetModel) -> dict[str, Any]:
    """The usual keys plus ``tiles`` (every tile, external tilesets and implicit
    subtrees read). ``objects``, ``types``, ``vertices`` and ``triangles`` count the
    contents nearest the root, the ones read (``counts_from``: "root contents"):
    reading every content of a tileset of many GB for a summary is not an option."""
    tree = model.tree
    assert tree is not None
    tree.expand_all()
    loaded = model.root_contents()
    bbox = model.bbox()
    return {
        "format": "3D Tiles",
        "version": model.version or None,
        "crs": model.crs,
        "objects": len(model.objects),
        "types": model.objects.type_counts(),
        "lods": [],
        "bbox": None if bbox is None else [float(v) for v in bbox],
        "vertices": int(sum(c.mesh.n_vertices for c in loaded)),
        "triangles": int(sum(c.mesh.n_triangles for c in loaded)),
        "counts_from": "root contents",
        "tiles": tree.n_tiles,
        "geometric_error": float(tree.root.geometric_error),
        "warnings": list(model.warnings),
        "problems": model.problem_counts(),
        "content_problems": list(model.problems),
    }
