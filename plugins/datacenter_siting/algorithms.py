"""The plugin's algorithms: ``rank`` (multi-criteria ranking of candidate sites) and
``edge`` (edge nodes by p-median or set covering). Thin wrappers over plain-array modules."""

from __future__ import annotations

from typing import Any

from cimviewer.api import (
    Algorithm,
    AlgorithmError,
    Context,
    Enum,
    FileParam,
    LayerOutput,
    LayerParam,
    Number,
    NumberOutput,
    Report,
    ReportOutput,
    TableOutput,
    Text,
    ValuesOutput,
    VectorData,
    VectorLayer,
)
from datacenter_siting.ahp import AhpError
from datacenter_siting.constraints import ConstraintError
from datacenter_siting.criteria import CriteriaError
from datacenter_siting.sites import Sites, SitesError, from_layer, read_sites

METHOD_LABELS = {"wlc": "Weighted linear combination (WLC)",
                 "topsis": "TOPSIS (closeness to the ideal)"}
SITE_SUFFIXES = (".csv", ".gpkg", ".geojson", ".shp", ".fgb")
INPUT_ERRORS = (CriteriaError, AhpError, ConstraintError, SitesError)


def load_sites(params: dict[str, Any], file_key: str = "sites",
               layer_key: str = "site_layer") -> Sites:
    """The sites from the file or the layer parameter (exactly one)."""
    path, layer = params.get(file_key), params.get(layer_key)
    if (path is None) == (layer is None):
        raise AlgorithmError(f"{file_key}: give a sites file ({file_key}=FILE) or a layer "
                             f"({layer_key}), one of them")
    try:
        return read_sites(path) if path is not None else from_layer(layer)
    except SitesError as exc:
        raise AlgorithmError(str(exc)) from None


class Rank(Algorithm):
    title = "Rank data-center sites"
    description = ("Hard constraints (exclusions, PUE cap, minimum power), then a weighted "
                   "linear combination or TOPSIS with weights given or from an AHP pairwise "
                   "matrix; each criterion's contribution, rank stability under weight "
                   "changes and a rank-reversal check.")

    def parameters(self):
        return [
            FileParam("sites", "Sites file", mode="open", suffixes=SITE_SUFFIXES,
                      optional=True, description="CSV or point / polygon file: an id column "
                                                 "and one column per criterion"),
            LayerParam("site_layer", "Site layer", kinds=("vector",),
                       geometry=("point", "polygon"), optional=True,
                       description="instead of a file: a layer of the project"),
            Text("criteria", "Criteria",
                 description="NAME:benefit|cost[:minmax|max|linear:LO:HI],..."),
            Enum("method", "Method", choices=("wlc", "topsis"), labels=METHOD_LABELS,
                 default="wlc"),
            Text("weights", "Weights", optional=True,
                 description="w1,w2,... in criteria order (normalised to sum 1); "
                             "default equal"),
            FileParam("ahp_matrix", "AHP pairwise matrix", mode="open", suffixes=(".csv",),
                      optional=True, description="CSV, criteria order, no header; "
                                                 "instead of weights"),
            Text("constraints", "Hard constraints", optional=True,
                 description="COLUMN<=VALUE or COLUMN>=OTHER_COLUMN; joined with ';', "
                             "e.g. pue_est<=pue_cap;spare_mw>=20;excluded==0"),
            FileParam("demand", "Demand centres", mode="open", suffixes=SITE_SUFFIXES,
                      optional=True, description="id, lon/lat (or x/y), weight: adds "
                                                 "latency_ms to the sites"),
            LayerParam("substations", "Substations", kinds=("vector",), geometry=("point",),
                       optional=True, description="adds substation_m and "
                                                  "substation_capacity to the sites"),
            Text("capacity_field", "Substation capacity field", optional=True,
                 description="e.g. spare_mw or capacity_kva"),
            Text("pue_caps", "PUE caps", optional=True,
                 description="CLASS=CAP,... over data/pue_caps.json, for policy_class"),
            Number("route_factor", "Fibre route factor", default=1.5, minimum=1, maximum=5,
                   description="fibre route length / straight distance"),
            Number("hop_ms", "Delay per hop", default=0.1, minimum=0, maximum=50, unit="ms"),
            Text("added_site", "Site added (rank reversal)", optional=True,
                 description="id of a site: the others ranked without it and with it"),
            Number("mc_runs", "Monte Carlo runs", default=500, minimum=0, maximum=100_000,
                   integer=True),
            Number("mc_spread", "Weight perturbation", default=0.3, minimum=0, maximum=0.95,
                   description="each weight times 1 + U(-s, s), renormalised"),
            FileParam("pdf_report", "PDF report", mode="save", suffixes=(".pdf",),
                      optional=True, description="also write the report as a PDF"),
            Enum("report_language", "Report language", choices=("en", "zh_CN"),
                 labels={"en": "English", "zh_CN": "中文"}, default="en"),
        ]

    def outputs(self):
        return [ValuesOutput("weights", "Weights (after AHP when a matrix is given)"),
                NumberOutput("consistency_ratio", "AHP consistency ratio"),
                ValuesOutput("ranking", "Ranking {id, score, rank} in site order"),
                NumberOutput("ranked", "Sites ranked"),
                NumberOutput("excluded", "Sites excluded"),
                NumberOutput("reversals", "Rank reversals (one site removed)"),
                NumberOutput("added_site_reversals", "Rank reversals when the site is added"),
                TableOutput("table", "Ranked sites and criterion contributions"),
                TableOutput("stability", "Rank stability"),
                LayerOutput("scored_sites", "Sites by score", kind="vector"),
                ReportOutput("report", "Ranking report")]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        from datacenter_siting.i18n import translator
        from datacenter_siting.rank_job import (
            prepare,
            rank_sites,
            ranked_table,
            ranking_records,
            stability_table,
        )
        from datacenter_siting.report import rank_report, write_pdf

        sites = load_sites(params)
        try:
            demand = read_sites(params["demand"]) if params.get("demand") else None
            notes = prepare(sites, params.get("pue_caps"), demand,
                            float(params["route_factor"]), float(params["hop_ms"]),
                            substation_arrays(params.get("substations"),
                                              params.get("capacity_field")))
            ctx.progress(0.2)
            result = rank_sites(sites, params["criteria"], params["method"],
                                params.get("weights"), params.get("ahp_matrix"),
                                params.get("constraints"), int(params["mc_runs"]),
                                float(params["mc_spread"]),
                                added_site=params.get("added_site"))
        except INPUT_ERRORS as exc:
            raise AlgorithmError(str(exc)) from None
        except ValueError as exc:  # weights and ahp_matrix both given
            raise AlgorithmError(str(exc)) from None
        ctx.progress(0.9)
        for line in notes + result.warnings:
            ctx.log.info(line)
        tr = translator(params.get("report_language") or "en")
        text = rank_report(result, tr)
        table, stab = ranked_table(result), stability_table(result)
        if params.get("pdf_report"):
            write_pdf(params["pdf_report"], text, table, stab, tr)
        return {"weights": [round(float(w), 9) for w in result.weights],
                "consistency_ratio": (round(float(result.ahp.cr), 9)
                                      if result.ahp is not None else None),
                "ranking": ranking_records(result),
                "ranked": int(result.feasible.sum()),
                "excluded": int((~result.feasible).sum()),
                "reversals": len(result.reversals),
                "added_site_reversals": (len(result.added[1]) if result.added is not None
                                         else None),
                "table": table,
                "stability": stab,
                "scored_sites": scored_layer(result),
                "report": Report(text, "Data-center site ranking")}


def substation_arrays(layer: Any, field: str | None) -> Any:
    """(xy, capacity or None) of a substation point layer; None without a layer."""
    import numpy as np

    if layer is None:
        return None
    data = layer.data
    xy = np.asarray(data.vertices[: data.n_features, :2], float)
    if not field:
        return xy, None
    if field not in data.columns:
        raise AlgorithmError(f"capacity_field: the substations have no attribute {field!r} "
                             f"({', '.join(data.columns)})")
    values = [float(v) if v is not None else float("nan") for v in data.columns[field]]
    return xy, np.array(values)


def scored_layer(result: Any) -> VectorLayer | None:
    """The sites as points with ``dc_score`` and ``dc_rank`` (None without positions)."""
    import numpy as np

    sites = result.sites
    xy = sites.xy if sites.xy is not None else sites.lonlat
    if xy is None:
        return None
    crs = (sites.layer.data.crs if sites.layer is not None
           else ("EPSG:4326" if sites.xy is None else None))
    columns = {"id": [str(i) for i in sites.ids],
               "dc_score": [float(s) if np.isfinite(s) else None
                            for s in result.decision.scores],
               "dc_rank": [int(r) for r in result.decision.ranks],
               "excluded_by": list(result.reasons)}
    if "name" in sites.columns:
        columns["name"] = [str(v) for v in sites.columns["name"]]
    if sites.xy is not None:  # projected metres: drawn as masts, taller for a better score
        columns["height_m"] = [20.0 + 60.0 * float(s) if np.isfinite(s) else 10.0
                               for s in result.decision.scores]
        columns["radius_m"] = [8.0] * len(xy)  # wide columns: seen from the city scale
    z = sites.z if sites.z is not None else np.zeros(len(xy))  # on the ground as given
    xyz = np.column_stack([xy, np.nan_to_num(z)])
    data = VectorData("point", xyz, columns=columns, crs=crs, n_features=len(xy))
    return VectorLayer("Data-center sites by score", data)


MODEL_LABELS = {"pmedian": "p-median: N sites, least demand-weighted latency",
                "cover": "Set covering: fewest sites with all demand under the cap"}


class Edge(Algorithm):
    title = "Edge data-center placement"
    description = ("Choose edge sites among candidates (e.g. fibre nodes) for demand "
                   "(buildings or points): N sites minimising demand-weighted latency "
                   "(p-median) or the fewest sites keeping all demand under a latency cap "
                   "(set covering), solved by HiGHS. Latency from the fibre route (5 us/km "
                   "one way, route factor) plus per-hop delay.")

    def parameters(self):
        return [
            LayerParam("candidates", "Candidate sites", kinds=("vector",),
                       geometry=("point",), description="e.g. fibre nodes"),
            LayerParam("demand", "Demand", kinds=("citymodel", "vector"),
                       description="buildings, or points / polygons"),
            Text("weight_field", "Demand weight field", optional=True,
                 description="numeric attribute of the demand (default 1 each)"),
            Enum("model", "Model", choices=("pmedian", "cover"), labels=MODEL_LABELS,
                 default="pmedian"),
            Number("p", "Number of edge sites", default=3, minimum=1, maximum=10_000,
                   integer=True, description="p-median: exactly this many"),
            Number("latency_cap_ms", "Latency cap", default=10.0, minimum=0.001,
                   maximum=1000, unit="ms", description="set covering: one way, every "
                                                        "demand centre at most this"),
            LayerParam("substations", "Substations", kinds=("vector",), geometry=("point",),
                       optional=True, description="candidates need one within the "
                                                  "distance below"),
            Number("max_substation_m", "Distance to a substation", default=1000, minimum=0,
                   unit="m"),
            Number("route_factor", "Fibre route factor", default=1.5, minimum=1, maximum=5),
            Number("hop_ms", "Delay per hop", default=0.1, minimum=0, maximum=50, unit="ms"),
            Number("demand_cell_m", "Demand aggregation cell", default=100, minimum=0,
                   unit="m", description="demand is summed per square cell (0: none)"),
            Number("time_limit_s", "Time limit", default=60, minimum=0.1, maximum=86_400,
                   unit="s"),
        ]

    def outputs(self):
        return [NumberOutput("selected", "Edge sites chosen"),
                NumberOutput("mean_latency_ms", "Demand-weighted mean latency", unit="ms"),
                NumberOutput("max_latency_ms", "Largest latency", unit="ms"),
                NumberOutput("optimal", "Proven optimal"),
                ValuesOutput("selected_ids", "Chosen candidates (indices in layer order)"),
                LayerOutput("edge_sites", "Edge sites", kind="vector"),
                TableOutput("assignment", "Demand centres and their edge site"),
                ReportOutput("report", "Edge placement report")]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        from datacenter_siting.edge_job import run_edge

        return run_edge(params, ctx)


GRID_CRITERIA = "substation_m:cost,fibre_m:cost,slope_deg:cost,elevation_m:benefit"


class Suitability(Algorithm):
    title = "Data-center suitability raster"
    description = ("Score every cell of a grid over the terrain: distance to the nearest "
                   "substation and fibre node, slope, elevation (a flood proxy), exclusion "
                   "polygons; hard constraints, then WLC or TOPSIS. The score as a value "
                   "raster in five classes (a GeoTIFF from the command line).")

    def parameters(self):
        return [
            LayerParam("terrain", "Terrain", kinds=("terrain",)),
            LayerParam("substations", "Substations", kinds=("vector",), geometry=("point",),
                       optional=True, description="adds substation_m"),
            LayerParam("fibre", "Fibre nodes", kinds=("vector",), geometry=("point",),
                       optional=True, description="adds fibre_m"),
            LayerParam("exclusion", "Exclusion zones", kinds=("vector",),
                       geometry=("polygon",), optional=True,
                       description="no data center inside these"),
            Number("cell_m", "Cell size", default=20, minimum=1, maximum=100_000, unit="m"),
            Text("criteria", "Criteria", default=GRID_CRITERIA,
                 description="grid columns: substation_m, fibre_m, slope_deg, elevation_m"),
            Text("weights", "Weights", optional=True, default="3,2,2,1",
                 description="w1,w2,... in criteria order"),
            Enum("method", "Method", choices=("wlc", "topsis"), labels=METHOD_LABELS,
                 default="wlc"),
            Text("constraints", "Hard constraints", optional=True, default="slope_deg<=10",
                 description="on the grid columns, e.g. slope_deg<=10;elevation_m>=5"),
        ]

    def outputs(self):
        return [LayerOutput("score", "Suitability score", kind="raster"),
                NumberOutput("cells", "Cells"),
                NumberOutput("suitable_cells", "Cells passing the constraints"),
                NumberOutput("best_score", "Best score"),
                NumberOutput("best_x", "Best cell x"),
                NumberOutput("best_y", "Best cell y"),
                ReportOutput("report", "Suitability report")]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        from datacenter_siting.suitability_job import run_suitability

        return run_suitability(params, ctx)
