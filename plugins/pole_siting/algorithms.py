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
    FileParam,
    LayerOutput,
    LayerParam,
    Number,
    NumberOutput,
    PolygonParam,
    Report,
    ReportOutput,
    TableOutput,
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


# --- step 1 and the whole plan -------------------------------------------------------
OBJECTIVE_LABELS = {"poles": "Fewest smart poles", "cost": "Least cost"}
SIGNAL_LABELS = {"radius": "Within the radius (fast)",
                 "rsrp": "RSRP threshold, LOS or NLOS by the buildings (UMi street canyon)"}


def layout_parameters() -> list:
    return [
        LayerParam("roads", "Road centrelines", kinds=("vector",), geometry=("line",),
                   description="fields class (primary ... service) and width_m"),
        LayerParam("poles", "Existing poles", kinds=("vector",), geometry=("point",),
                   optional=True, description="fields kind, height_m; optional state"),
        LayerParam("exclusion", "Exclusion areas", kinds=("vector",), geometry=("polygon",),
                   optional=True, description="no pole is planned inside these"),
        Number("merge_tolerance_m", "Merge tolerance", default=8, minimum=0, maximum=50,
               unit="m", description="an existing pole this close to a planned one is reused"),
        FileParam("lighting_rules", "Lighting rules", mode="open", suffixes=(".json",),
                  optional=True, description="JSON like the plugin's data/lighting.json"),
    ]


def run_layout(params: dict[str, Any], ctx: Context) -> tuple[Any, Any]:
    from pole_siting.inputs import polygons_of, vector_data
    from pole_siting.lighting import load_rules, plan_layout

    check_crs({"roads": params["roads"], "poles": params.get("poles"),
               "exclusion": params.get("exclusion")})
    roads = vector_data(params["roads"], "roads", ("line",))
    existing = None
    if params.get("poles") is not None:
        existing = vector_data(params["poles"], "poles", ("point",))
    exclusion = None
    if params.get("exclusion") is not None:
        exclusion = polygons_of(vector_data(params["exclusion"], "exclusion", ("polygon",)))
    try:
        rules = load_rules(params.get("lighting_rules"))
    except (OSError, ValueError) as exc:
        raise AlgorithmError(f"lighting_rules: cannot read the rules ({exc})") from None
    try:
        layout = plan_layout(roads, rules, existing, exclusion,
                             float(params["merge_tolerance_m"]), progress=ctx.progress)
    except KeyError as exc:
        raise AlgorithmError(f"lighting_rules: missing entry {exc}") from None
    return layout, roads


def layout_counts(layout: Any) -> dict[str, int]:
    c = layout.counts
    return {"poles": int(c["poles"]), "new_poles": int(c["new"]),
            "merged_poles": int(c["merged"]), "kept_poles": int(c["kept"]),
            "removed_poles": int(c["removed"])}


def counts_outputs() -> list:
    return [NumberOutput("poles", "Poles in the plan"),
            NumberOutput("new_poles", "New poles"),
            NumberOutput("merged_poles", "Existing poles merged (reused in place)"),
            NumberOutput("kept_poles", "Existing poles kept"),
            NumberOutput("removed_poles", "Existing poles removed")]


class Layout(Algorithm):
    title = "Lighting pole layout"
    description = ("Lighting poles along the streets by road class (height, arrangement and "
                   "spacing after CJJ 45); existing poles near a planned spot are merged.")

    def parameters(self):
        return layout_parameters()

    def outputs(self):
        return [LayerOutput("layout", "Lighting poles", kind="vector"), *counts_outputs(),
                ReportOutput("report", "Layout report")]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        layout, _roads = run_layout(params, ctx)
        from pole_siting.plan import layout_layer, layout_report

        return {"layout": layout_layer(layout, params), **layout_counts(layout),
                "report": Report(layout_report(layout), "Lighting layout")}


class Plan(Algorithm):
    title = "Smart pole plan"
    description = ("Lighting layout, then the equipment of every department on the fewest "
                   "smart poles (or at least cost), solved with HiGHS; a pole layer with each "
                   "pole's equipment, type, status, power and cost.")

    def parameters(self):
        return [
            *layout_parameters(),
            LayerParam("buildings", "Buildings", kinds=("citymodel", "vector"), optional=True,
                       description="demand for 5G (and hotspots by function)"),
            LayerParam("hotspots", "Hotspots", kinds=("vector",), geometry=("point",),
                       optional=True, description="population / hotspot points for Wi-Fi"),
            LayerParam("terrain", "Terrain", kinds=("terrain",), optional=True,
                       description="ground height under the poles"),
            PolygonParam("area", "Planning area", optional=True,
                         description="plan only inside this polygon"),
            Enum("objective", "Objective", choices=("poles", "cost"), labels=OBJECTIVE_LABELS,
                 default="poles"),
            Enum("coverage_5g", "5G coverage test", choices=("radius", "rsrp"),
                 labels=SIGNAL_LABELS, default="radius"),
            Number("rsrp_threshold_dbm", "RSRP threshold", default=-100, minimum=-150,
                   maximum=-40, unit="dBm"),
            Number("eirp_dbm", "Small cell EIRP", default=40, minimum=0, maximum=80,
                   unit="dBm"),
            FileParam("requirements", "Requirements", mode="open", suffixes=(".json",),
                      optional=True, description="JSON like the plugin's "
                                                 "data/requirements.json"),
            FileParam("catalogue", "Price and power list", mode="open", suffixes=(".json",),
                      optional=True, description="JSON like the plugin's data/catalogue.json"),
            Number("time_limit_s", "Time limit", default=60, minimum=0.1, maximum=86_400,
                   unit="s", description="HiGHS stops here and reports its best plan and gap"),
            FileParam("pdf_report", "PDF report", mode="save", suffixes=(".pdf",),
                      optional=True, description="also write the report as a PDF"),
        ]

    def outputs(self):
        return [LayerOutput("plan", "Smart poles", kind="vector"),
                TableOutput("bill", "Bill of equipment"),
                TableOutput("requirements_met", "Requirements met"),
                *counts_outputs(),
                NumberOutput("smart_poles", "Smart poles"),
                NumberOutput("total_cost_cny", "Total cost", unit="CNY"),
                NumberOutput("total_power_kw", "Total power", unit="kW"),
                NumberOutput("objective", "Objective"),
                NumberOutput("bound", "Bound"),
                NumberOutput("gap", "Gap to the bound"),
                NumberOutput("optimal", "Proven optimal"),
                NumberOutput("solve_seconds", "Solve time", unit="s"),
                NumberOutput("rsrp_share_above", "5G demand with RSRP above the threshold"),
                NumberOutput("rsrp_median_dbm", "Median 5G RSRP", unit="dBm"),
                NumberOutput("sinr_median_db", "Median 5G SINR", unit="dB"),
                NumberOutput("sinr_p5_db", "5th percentile 5G SINR", unit="dB"),
                ReportOutput("report", "Plan report")]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        from pole_siting.plan import make_plan

        return make_plan(params, ctx)
