"""The ``edge`` run: layers -> demand centres and candidate latencies -> HiGHS plan ->
outputs (chosen sites layer, assignment table, report)."""

from __future__ import annotations

from typing import Any

import numpy as np

from cimviewer.api import AlgorithmError, Context, Report, Table, VectorData, VectorLayer
from datacenter_siting.demand import aggregate, layer_points
from datacenter_siting.edge import EdgeError, p_median, set_cover
from datacenter_siting.latency import latency_ms, planar_km
from datacenter_siting.milp import SolverError


def run_edge(params: dict[str, Any], ctx: Context) -> dict[str, Any]:
    cand_layer = params["candidates"]
    cand_all = np.asarray(cand_layer.data.vertices[: cand_layer.data.n_features, :2], float)
    if len(cand_all) == 0:
        raise AlgorithmError("candidates: the layer has no points")
    usable = np.ones(len(cand_all), bool)
    if params.get("substations") is not None:
        sub = params["substations"].data
        sub_xy = np.asarray(sub.vertices[: sub.n_features, :2], float)
        dist = np.hypot(*(cand_all[:, None] - sub_xy[None]).transpose(2, 0, 1)).min(axis=1)
        usable = dist <= float(params["max_substation_m"])
        if not usable.any():
            raise AlgorithmError(f"substations: no candidate within "
                                 f"{params['max_substation_m']:g} m of a substation")
    index = np.flatnonzero(usable)
    cand = cand_all[index]
    try:
        xy, w = layer_points(params["demand"], params.get("weight_field") or None)
    except KeyError as exc:
        raise AlgorithmError(f"weight_field: the demand has no attribute {exc}") from None
    xy, w = aggregate(xy, w, float(params["demand_cell_m"]))
    if len(xy) == 0:
        raise AlgorithmError("demand: no demand with a positive weight")
    ctx.progress(0.2)
    km = planar_km(cand[:, None, 0], cand[:, None, 1], xy[None, :, 0], xy[None, :, 1])
    lat = latency_ms(km, float(params["route_factor"]), float(params["hop_ms"]))
    ctx.check_cancelled()
    try:
        if params["model"] == "pmedian":
            plan = p_median(lat, w, min(int(params["p"]), len(cand)),
                            time_limit=float(params["time_limit_s"]))
        else:
            plan = set_cover(lat, float(params["latency_cap_ms"]),
                             time_limit=float(params["time_limit_s"]))
    except (EdgeError, SolverError) as exc:
        raise AlgorithmError(str(exc)) from None
    ctx.progress(0.9)
    chosen = index[plan.selected]
    served = np.bincount(np.searchsorted(plan.selected, plan.assignment), w,
                         minlength=len(plan.selected))
    mean = float((w * plan.latency).sum() / w.sum())
    layer = _sites_layer(cand_layer, chosen, served)
    table = Table({"x": [round(float(v), 2) for v in xy[:, 0]],
                   "y": [round(float(v), 2) for v in xy[:, 1]],
                   "weight": [float(v) for v in w],
                   "edge_site": [int(index[a]) for a in plan.assignment],
                   "latency_ms": [round(float(v), 6) for v in plan.latency]})
    model = "p-median" if params["model"] == "pmedian" else "set covering"
    text = (f"{model}: {len(chosen)} of {len(cand_all)} candidates chosen "
            f"({len(cand)} usable) for {len(xy)} demand centres (total weight {w.sum():g}).\n"
            f"Demand-weighted mean latency {mean:.4f} ms, largest {plan.latency.max():.4f} ms "
            f"(one way); {'proven optimal' if plan.optimal else 'not proven optimal'}.")
    return {"selected": len(chosen), "mean_latency_ms": round(mean, 6),
            "max_latency_ms": round(float(plan.latency.max()), 6),
            "optimal": bool(plan.optimal), "selected_ids": [int(i) for i in chosen],
            "edge_sites": layer, "assignment": table,
            "report": Report(text, "Edge placement")}


def _sites_layer(layer: VectorLayer, chosen: np.ndarray, served: np.ndarray) -> VectorLayer:
    data = layer.data
    xyz = np.asarray(data.vertices[: data.n_features], float)[chosen]
    if xyz.shape[1] == 2:
        xyz = np.column_stack([xyz, np.zeros(len(xyz))])
    columns = {k: [v[i] for i in chosen] for k, v in data.columns.items()}
    columns["candidate_index"] = [int(i) for i in chosen]
    columns["served_weight"] = [float(s) for s in served]
    out = VectorData("point", xyz.copy(), columns=columns, crs=data.crs,
                     n_features=len(chosen))
    return VectorLayer("Edge data-center sites", out)
