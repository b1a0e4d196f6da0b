"""The plugin's algorithms: covering (LSCP / MCLP) on any two point layers, the lighting
layout along the streets, and the whole smart pole plan.

Thin wrappers around covering.py, lighting.py and equipment.py, which take plain arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cimviewer.api import (
    Algorithm,
    AlgorithmError,
    Context,
    Enum,
    FieldParam,
    LayerOutput,
    LayerParam,
    Number,
    NumberOutput,
    Report,
    ReportOutput,
    ValuesOutput,
    VectorData,
    VectorLayer,
)
from pole_siting import covering
from pole_siting.inputs import check_crs, numeric_column, point_xy

MODEL_LABELS = {"lscp": "Set covering (LSCP): all demand at least cost",
                "mclp": "Maximal covering (MCLP): most demand with p poles or a budget"}
METHOD_LABELS = {"highs": "HiGHS, proven optimum (greedy if nothing in time)",
                 "greedy": "Greedy with its gap to the LP bound (large instances)"}


class Cover(Algorithm):
    title = "Covering (LSCP / MCLP)"
    description = ("Choose candidate points (poles) that cover demand points within a radius: "
                   "all demand at least cost (LSCP) or the most demand with p candidates or "
                   "a budget (MCLP), solved to proven optimality with HiGHS.")

    def parameters(self):
        return [
            LayerParam("candidates", "Candidates", kinds=("vector",), geometry=("point",)),
            LayerParam("demand", "Demand", kinds=("vector",), geometry=("point", "polygon"),
                       description="points, or polygons (their centroids)"),
            Number("radius_m", "Coverage radius", default=150, minimum=1, maximum=100_000,
                   unit="m"),
            Enum("model", "Model", choices=("lscp", "mclp"), labels=MODEL_LABELS,
                 default="lscp"),
            Number("p", "Number of poles (MCLP)", minimum=0, maximum=1_000_000, integer=True,
                   optional=True, description="MCLP: at most this many candidates"),
            FieldParam("weight_field", "Demand weight", layer="demand", numeric=True,
                       optional=True, description="MCLP: weight of each demand point "
                                                  "(default 1)"),
            FieldParam("cost_field", "Candidate cost", layer="candidates", numeric=True,
                       optional=True, description="cost of each candidate (default 1)"),
            Number("budget", "Budget (MCLP)", minimum=0, optional=True,
                   description="MCLP: total cost of the chosen candidates at most this"),
            FieldParam("fixed_field", "Already built", layer="candidates", numeric=True,
                       optional=True, description="candidates with a non-zero value are "
                                                  "built already: always chosen, no cost"),
            Number("k", "Coverage level (LSCP)", default=1, minimum=1, maximum=10,
                   integer=True, description="LSCP: every demand point covered k times"),
            Enum("method", "Solver", choices=("highs", "greedy"), labels=METHOD_LABELS,
                 default="highs"),
            Number("time_limit_s", "Time limit", default=60, minimum=0.1, maximum=86_400,
                   unit="s", description="HiGHS stops here and reports its best plan and gap"),
        ]

    def outputs(self):
        return [NumberOutput("selected", "Candidates chosen"),
                NumberOutput("covered_share", "Demand covered (weighted share)"),
                NumberOutput("objective", "Objective"),
                NumberOutput("bound", "Bound"),
                NumberOutput("gap", "Gap to the bound"),
                NumberOutput("optimal", "Proven optimal"),
                NumberOutput("solve_seconds", "Solve time", unit="s"),
                ValuesOutput("selected_ids", "Chosen candidates (indices in file order)"),
                LayerOutput("chosen", "Chosen candidates", kind="vector"),
                ReportOutput("report", "Covering report")]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        cand_layer, demand_layer = params["candidates"], params["demand"]
        crs = check_crs({"candidates": cand_layer, "demand": demand_layer})
        cand = point_xy(cand_layer, "candidates")
        demand = point_xy(demand_layer, "demand")
        weights = (numeric_column(demand_layer, params["weight_field"], "weight_field", 0.0)
                   if params.get("weight_field") else np.ones(len(demand)))
        cost = (numeric_column(cand_layer, params["cost_field"], "cost_field", 1.0)
                if params.get("cost_field") else None)
        fixed = (numeric_column(cand_layer, params["fixed_field"], "fixed_field", 0.0) != 0
                 if params.get("fixed_field") else None)
        ctx.progress(0.1)
        A = covering.radius_matrix(cand, demand, float(params["radius_m"]))
        ctx.check_cancelled()
        ctx.progress(0.3)
        model = params["model"]
        try:
            if model == "lscp":
                result = covering.solve_lscp(A, cost, int(params["k"]), fixed, params["method"],
                                             float(params["time_limit_s"]), what="demand")
            else:
                if params.get("p") is None and params.get("budget") is None:
                    raise AlgorithmError("p: the maximal covering model (mclp) needs p "
                                         "(number of poles) or a budget")
                result = covering.solve_mclp(A, weights, params.get("p"), cost,
                                             params.get("budget"), fixed, params["method"],
                                             float(params["time_limit_s"]))
        except covering.CoverError as exc:
            raise AlgorithmError(f"demand: {exc}" if "demand" in str(exc) and model == "lscp"
                                 else str(exc)) from None
        ctx.progress(0.95)
        share = (covering.covered_share(A, result.selected, weights) if model == "mclp"
                 else result.covered_share)
        chosen = chosen_layer(cand_layer, result.selected, crs)
        return {"selected": len(result.selected),
                "covered_share": round(share, 9),
                "objective": round(result.objective, 9),
                "bound": round(result.bound, 9),
                "gap": round(result.gap, 9),
                "optimal": bool(result.optimal),
                "solve_seconds": round(result.seconds, 4),
                "selected_ids": [int(i) for i in result.selected],
                "chosen": chosen,
                "report": Report(cover_report(result, model, len(cand), len(demand), share),
                                 "Covering")}


def chosen_layer(layer: VectorLayer, selected: np.ndarray, crs: Any) -> VectorLayer:
    data = layer.data
    xyz = np.asarray(data.vertices[: data.n_features], float)[selected]
    columns = {key: [values[i] for i in selected] for key, values in data.columns.items()}
    columns["candidate_index"] = [int(i) for i in selected]
    out = VectorData("point", xyz.copy(), columns=columns, crs=crs or data.crs,
                     n_features=len(selected))
    return VectorLayer("Chosen candidates", out)


def cover_report(result: covering.CoverResult, model: str, n_cand: int, n_demand: int,
                 share: float) -> str:
    kind = "LSCP" if model == "lscp" else "MCLP"
    proof = ("proven optimal" if result.optimal
             else f"not proven optimal: gap {result.gap:.2%} to the bound {result.bound:g}")
    size = result.model_size
    return "\n".join([
        f"{kind}: {len(result.selected)} of {n_cand} candidates chosen; "
        f"{share:.2%} of {n_demand} demand points (weighted) covered.",
        f"Objective {result.objective:g}, {proof} ({result.method}, {result.status}, "
        f"{result.seconds:.2f} s).",
        f"Model after reduction: {size.get('rows', 0)} demand rows x "
        f"{size.get('columns', 0)} candidates, {size.get('nonzeros', 0)} non-zeros.",
    ])
