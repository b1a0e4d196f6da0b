"""The dock's point-to-point link: a height raster around the path, all models at once."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coverage_5g.height_raster import build_height_raster, sample_bilinear
from coverage_5g.link import link_budget
from coverage_5g.models import MODELS

#: cells across the longer side of the raster around a path (keeps clicks fast)
MAX_CELLS = 600


@dataclass
class LinkResult:
    distance_m: float
    los: bool
    profile: dict[str, list[float]]
    by_model: dict[str, dict] = field(default_factory=dict)


def link_all_models(tx_xy, rx_xy, *, frequency_ghz: float, tx_height_m: float,
                    rx_height_m: float, eirp_dbm: float, terrain=None, buildings=None,
                    crs: str | None = None, margin_m: float = 20.0,
                    cell_m: float = 1.0) -> LinkResult:
    """Link budget of every model between two ground points (heights above ground).

    ``terrain`` is a TerrainGrid (or None: flat ground at 0), ``buildings`` a
    TriangleMesh with ``tri_object`` (or None). LOS comes from the raster.
    """
    a = np.asarray(tx_xy, float)[:2]
    b = np.asarray(rx_xy, float)[:2]
    if np.hypot(*(b - a)) < 1.0:
        raise ValueError("transmitter and receiver are less than 1 m apart")
    lo = np.minimum(a, b) - margin_m
    hi = np.maximum(a, b) + margin_m
    cell = max(cell_m, float((hi - lo).max()) / MAX_CELLS)
    dem = None if terrain is None else (terrain.heights, terrain.x0, terrain.y0, terrain.dx,
                                        terrain.dy)
    mesh = {} if buildings is None else {"vertices": buildings.vertices,
                                         "triangles": buildings.triangles,
                                         "tri_object": buildings.tri_object}
    raster = build_height_raster((lo[0], lo[1], hi[0], hi[1]), cell, dem=dem, crs=crs, **mesh)
    by_model = {}
    first = None
    for model in MODELS:
        out = link_budget(model, frequency_ghz, (a[0], a[1], tx_height_m),
                          (b[0], b[1], rx_height_m), raster=raster, eirp_dbm=eirp_dbm)
        first = first or out
        by_model[model] = {"path_loss_db": out["path_loss_db"],
                           "received_power_dbm": out["received_power_dbm"],
                           "warnings": out["warnings"]}
    prof = dict(first["profile"])
    d = np.asarray(prof["distance_m"])
    t = d / max(d[-1], 1e-9)
    xs, ys = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    prof["ground_m"] = sample_bilinear(raster.ground, raster.x0, raster.y0, raster.cell,
                                       raster.cell, xs, ys).astype(float).tolist()
    return LinkResult(first["distance_m"], bool(first["los"]), prof, by_model)
