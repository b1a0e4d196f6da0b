"""Site markers for the 3D view: one mast per site, from where it stands to its antenna."""

from __future__ import annotations

from typing import Any

import numpy as np

from cimviewer.api import CityModel, TerrainGrid, VectorData, sample_heights

ROOF_SEARCH_M = 3.0  # a roof site stands on the highest roof point this close
MAST_RADIUS_M = 1.0  # thicker than any pole, so a site on a pole shows around it


def site_bases(xy: np.ndarray, roof: np.ndarray, terrain: TerrainGrid | None,
               buildings: CityModel | None) -> np.ndarray:
    """Ground height under each site (0 without terrain); roof sites on the roof."""
    xy = np.asarray(xy, float).reshape(-1, 2)
    base = np.zeros(len(xy))
    if terrain is not None and len(xy):
        z = sample_heights(terrain, xy[:, 0], xy[:, 1])
        base = np.where(np.isfinite(z), z, 0.0)
    if buildings is not None and roof.any():
        vertices = buildings.mesh_for_lod(None).vertices
        for i in np.flatnonzero(roof):  # a few sites, each one vectorized over vertices
            near = np.hypot(vertices[:, 0] - xy[i, 0], vertices[:, 1] - xy[i, 1]) < ROOF_SEARCH_M
            if near.any():
                base[i] = max(base[i], float(vertices[near, 2].max()))
    return base


def site_markers(sites: list[dict[str, Any]], terrain: TerrainGrid | None,
                 buildings: CityModel | None, crs: str | None) -> VectorData:
    """Points at the sites' feet with the mast height (``height_m``) to their antenna."""
    xy = np.array([[s["x"], s["y"]] for s in sites], float).reshape(-1, 2)
    roof = np.array([s["mount"] == "roof" for s in sites], bool)
    base = site_bases(xy, roof, terrain, buildings)
    return VectorData(
        kind="point", vertices=np.column_stack([xy, base]) if len(xy) else np.zeros((0, 3)),
        columns={"name": [s["name"] for s in sites],
                 "height_m": [float(s["height_m"]) for s in sites],
                 "radius_m": [MAST_RADIUS_M] * len(sites)},
        crs=crs, n_features=len(sites))
