"""The ``suitability`` run: grid criteria from layers -> constraints -> WLC / TOPSIS per
cell -> a score raster (GeoTIFF) and a coloured overlay."""

from __future__ import annotations

from typing import Any

import numpy as np

from cimviewer.api import AlgorithmError, Context, RasterLayer, Report
from datacenter_siting.constraints import ConstraintError, apply_constraints, parse_constraints
from datacenter_siting.criteria import CriteriaError, check_weights, parse_criteria, parse_weights
from datacenter_siting.decision import decide
from datacenter_siting.grid import (
    grid_over,
    inside_polygons,
    nearest_distance,
    score_grid,
    terrain_columns,
)


def _points(layer: Any) -> np.ndarray:
    data = layer.data
    return np.asarray(data.vertices[: data.n_features, :2], float)


def _polygons(layer: Any) -> list:
    import shapely

    data = layer.data
    out = []
    for f in range(data.n_features):
        rings = [data.vertices[int(data.vertex_offsets[p]):int(data.vertex_offsets[p + 1]), :2]
                 for p in range(int(data.part_offsets[f]), int(data.part_offsets[f + 1]))]
        if rings:
            out.append(shapely.Polygon(rings[0], rings[1:] or None))
    return out


def grid_columns(params: dict[str, Any]) -> tuple[Any, dict[str, np.ndarray]]:
    terrain = params["terrain"].grid
    try:
        grid = grid_over(terrain, float(params["cell_m"]))
    except ValueError as exc:
        raise AlgorithmError(str(exc)) from None
    x, y = grid.centres()
    columns = terrain_columns(terrain, grid)
    for key, name in (("substations", "substation_m"), ("fibre", "fibre_m")):
        if params.get(key) is not None:
            pts = _points(params[key])
            if len(pts) == 0:
                raise AlgorithmError(f"{key}: the layer has no points")
            columns[name] = nearest_distance(x, y, pts)[0]
    columns["excluded"] = (inside_polygons(x, y, _polygons(params["exclusion"])).astype(float)
                           if params.get("exclusion") is not None else np.zeros(len(x)))
    return grid, columns


def run_suitability(params: dict[str, Any], ctx: Context) -> dict[str, Any]:
    grid, columns = grid_columns(params)
    ctx.progress(0.4)
    ctx.check_cancelled()
    n = grid.rows * grid.cols
    try:
        criteria = parse_criteria(params["criteria"])
        missing = [c.name for c in criteria if c.name not in columns]
        if missing:
            raise CriteriaError(f"criteria: no grid column {', '.join(map(repr, missing))} "
                                f"(available: {', '.join(columns)})")
        weights = (check_weights(parse_weights(params["weights"]), criteria)
                   if params.get("weights") else np.full(len(criteria), 1 / len(criteria)))
        rules = parse_constraints(params.get("constraints"))
        rules += parse_constraints("excluded==0")
        feasible, _ = apply_constraints(rules, columns, n)
    except (CriteriaError, ConstraintError) as exc:
        raise AlgorithmError(str(exc)) from None
    values = np.column_stack([columns[c.name] for c in criteria])
    decision = decide(values, criteria, weights, params["method"], feasible)
    ctx.progress(0.9)
    scores = decision.scores
    terrain = params["terrain"].grid
    crs = terrain.crs
    ok = np.isfinite(scores)
    best = int(np.nanargmax(scores)) if ok.any() else -1
    x, y = grid.centres()
    text = (f"Suitability over {grid.rows} x {grid.cols} cells of {grid.cell:g} m: "
            f"{int(ok.sum())} cells pass the constraints"
            + (f"; best cell at ({x[best]:.0f}, {y[best]:.0f}), score {scores[best]:.3f}."
               if best >= 0 else "."))
    return {"score": RasterLayer("Data-center suitability", score_grid(scores, grid, crs)),
            "cells": n, "suitable_cells": int(ok.sum()),
            "best_score": float(scores[best]) if best >= 0 else None,
            "best_x": float(x[best]) if best >= 0 else None,
            "best_y": float(y[best]) if best >= 0 else None,
            "report": Report(text, "Data-center suitability")}
