"""The whole plan: layout (step 1), demand per requirement, equipment (step 2), and the
pole layer, tables and report that come out of it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from cimviewer.api import (
    AlgorithmError,
    Context,
    Report,
    Table,
    VectorData,
    VectorLayer,
    sample_heights,
    write_pdf_report,
)
from pole_siting.equipment import PlanError, assign, load_json, road_points
from pole_siting.inputs import building_points, check_crs, point_xy

HOTSPOT_FUNCTIONS = ("commercial", "office", "public", "education")


def _existing_column(params: dict[str, Any], name: str, layout: Any) -> list[Any]:
    poles = params.get("poles")
    out: list[Any] = [None] * layout.n
    if poles is None or name not in poles.data.columns:
        return out
    values = poles.data.columns[name]
    for i, e in enumerate(layout.existing):
        if e >= 0:
            out[i] = values[int(e)]
    return out


def _ground(params: dict[str, Any], xy: np.ndarray, layout: Any) -> np.ndarray:
    z = np.zeros(len(xy))
    terrain = params.get("terrain")
    if terrain is not None and len(xy):
        z = np.nan_to_num(sample_heights(terrain.grid, xy[:, 0], xy[:, 1]), nan=0.0)
    elif params.get("poles") is not None:
        ex = params["poles"].data
        has = layout.existing >= 0
        zc = ex.columns.get("z")
        src = (np.array([np.nan if v is None else v for v in zc], float) if zc is not None
               else ex.vertices[: ex.n_features, 2])
        z[has] = np.nan_to_num(src[layout.existing[has]], nan=0.0)
    return z


def layout_layer(layout: Any, params: dict[str, Any], name: str = "Lighting poles",
                 extra: dict[str, list] | None = None, keep: np.ndarray | None = None) -> Any:
    keep = np.ones(layout.n, bool) if keep is None else keep
    xy = layout.xy[keep]
    z = _ground(params, layout.xy, layout)[keep]
    existing_id = _existing_column(params, "pole_id", layout)
    existing_kind = _existing_column(params, "kind", layout)
    idx = np.flatnonzero(keep)
    columns: dict[str, list] = {
        "pole_id": [f"SP-{i + 1:05d}" for i in range(len(idx))],
        "status": [str(layout.status[i]) for i in idx],
        "height_m": [float(layout.height_m[i]) for i in idx],
        "road_class": [str(layout.road_class[i]) for i in idx],
        "arrangement": [str(layout.arrangement[i]) for i in idx],
        "existing_id": [existing_id[i] for i in idx],
        "existing_kind": [existing_kind[i] for i in idx],
    }
    if params.get("poles") is not None and "height_m" in params["poles"].data.columns:
        old_h = _existing_column(params, "height_m", layout)
        columns["height_m"] = [float(old_h[i]) if layout.status[i] == "reused" and old_h[i]
                               else columns["height_m"][n] for n, i in enumerate(idx)]
    columns.update(extra or {})
    crs = getattr(params["roads"].data, "crs", None)
    data = VectorData("point", np.column_stack([xy, z]), columns=columns, crs=crs,
                      n_features=len(xy))
    return VectorLayer(name, data)


def layout_report(layout: Any) -> str:
    c = layout.counts
    arr = Counter(str(a) for a in layout.arrangement)
    lines = [
        f"{c['poles']} poles: {c['new']} new, {c['merged']} existing poles merged into "
        f"planned positions, {c['kept']} existing poles kept (signals, cameras).",
        f"Existing poles: {c['existing']}; merged {c['merged']}, kept {c['kept']}, "
        f"removed {c['removed']} (of which unusable by state: {c['unusable']}).",
        "Arrangement: " + ", ".join(f"{k} {v}" for k, v in sorted(arr.items())) + ".",
        f"Dropped: {c['duplicates_dropped']} duplicates at junctions, "
        f"{c['on_carriageway_dropped']} on a carriageway, {c['excluded']} in exclusion areas.",
    ]
    lines += [f"Warning: {w}" for w in layout.warnings]
    return "\n".join(lines)


def _signal(params: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    if params.get("coverage_5g") != "rsrp":
        return None, []
    from pole_siting.radio import load_coverage_5g, received_dbm

    if not load_coverage_5g():
        return None, ["the 5G coverage plugin is not available: 5G coverage by radius"]

    def loss(d: np.ndarray, h_bs: np.ndarray, h_ut: float, los: np.ndarray) -> np.ndarray:
        return -received_dbm(0.0, d, h_bs, h_ut, los)

    return {"eirp_dbm": float(params["eirp_dbm"]), "threshold_dbm":
            float(params["rsrp_threshold_dbm"]), "path_loss": loss}, []


def _sight(params: dict[str, Any], requirements: list[dict[str, Any]], layout: Any,
           keep: np.ndarray, owners: dict[int, np.ndarray]) -> tuple[Any, list[str]]:
    """The buildings as a height raster around the planned poles, for line of sight of
    cameras, 5G links (with the RSRP test) and the RSRP / SINR of the chosen cells;
    None and a note without buildings."""
    from pole_siting.equipment import NEEDS_SIGHT

    if not any(r["equipment"] in NEEDS_SIGHT for r in requirements):
        return None, []
    if params.get("buildings") is None:
        return None, ["no buildings layer: no line of sight (cameras see every point in "
                      "range; 5G links take the NLOS loss)"]
    from pole_siting.radio import REACH_M
    from pole_siting.sightlines import Sight, sight_from_layer

    reach = max([float(r["radius_m"]) for r in requirements
                 if r["equipment"] in NEEDS_SIGHT] + [REACH_M])
    grid, note = sight_from_layer(params["buildings"], layout.xy[keep], reach + 10.0)
    if grid is None:
        return None, [note] if note else []
    note = (f"line of sight past the buildings on a {grid.cell:g} m raster "
            f"({grid.height.shape[1]} x {grid.height.shape[0]} cells)")
    return Sight(grid, owners, clear_m=max(1.0, grid.cell)), [note]


def _inside(xy: np.ndarray, area: Any) -> np.ndarray:
    if area is None or not len(xy):
        return np.ones(len(xy), bool)
    import shapely

    poly = shapely.Polygon(area)
    return shapely.contains_xy(poly, xy[:, 0], xy[:, 1])


def demand_sets(params: dict[str, Any], requirements: list[dict[str, Any]], layout: Any,
                roads: Any, owners: dict[int, np.ndarray] | None = None,
                ) -> tuple[dict[int, tuple[np.ndarray, np.ndarray]], list[str]]:
    """Demand points and weights per requirement; ``owners`` (filled when given) gets the
    building index of each point of a buildings demand (for line of sight)."""
    notes: list[str] = []
    area = params.get("area")
    buildings = hot = None
    building_ids = np.zeros(0, np.int64)
    if params.get("buildings") is not None:
        bxy, attrs, building_ids = building_points(params["buildings"], with_ids=True)
        buildings = bxy
        func = np.array([str(a.get("function", "")) for a in attrs])
        hot = bxy[np.isin(func, HOTSPOT_FUNCTIONS)]
    if params.get("hotspots") is not None:
        hot = point_xy(params["hotspots"], "hotspots")
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for i, req in enumerate(requirements):
        kind = req["demand"]
        if kind == "buildings":
            xy = buildings if buildings is not None else np.zeros((0, 2))
            if buildings is None:
                notes.append(f"{req['equipment']}: no buildings layer given: no demand")
        elif kind == "hotspots":
            xy = hot if hot is not None else np.zeros((0, 2))
            if hot is None:
                notes.append(f"{req['equipment']}: no hotspots or buildings given: no demand")
        elif kind == "junctions":
            classes = set(req.get("classes") or [])
            m = np.array([bool(c) and (not classes or bool(c & classes))
                          for c in layout.junction_classes], bool)
            xy = layout.junctions[m] if len(m) else np.zeros((0, 2))
        else:
            xy = road_points(roads, req.get("classes"), float(req.get("spacing_m", 50)))
        inside = _inside(xy, area)
        if kind == "buildings" and owners is not None and buildings is not None:
            owners[i] = building_ids[inside]
        xy = xy[inside]
        out[i] = (xy, np.ones(len(xy)))
    return out, notes


def make_plan(params: dict[str, Any], ctx: Context) -> dict[str, Any]:
    from pole_siting.algorithms import layout_counts, run_layout

    check_crs({"roads": params["roads"], "poles": params.get("poles"),
               "buildings": params.get("buildings"), "hotspots": params.get("hotspots"),
               "exclusion": params.get("exclusion")})
    try:
        catalogue = load_json(params.get("catalogue"), "catalogue.json")
        requirements = load_json(params.get("requirements"),
                                 "requirements.json").get("requirements", [])
    except PlanError as exc:
        raise AlgorithmError(str(exc)) from None
    layout, roads = run_layout(params, ctx)
    ctx.check_cancelled()
    keep = _inside(layout.xy, params.get("area"))
    if not keep.any():
        raise AlgorithmError("area: no planned pole lies inside the planning area")
    owners: dict[int, np.ndarray] = {}
    demands, notes = demand_sets(params, requirements, layout, roads, owners)
    signal, more = _signal(params)
    notes += more
    sight, more = _sight(params, requirements, layout, keep, owners)
    notes += more
    existing_kind = np.array([k or "" for k in _existing_column(params, "kind", layout)],
                             dtype=object)
    ctx.check_cancelled()
    try:
        result = assign(layout.xy[keep], layout.status[keep], existing_kind[keep],
                        requirements, catalogue, demands, params["objective"],
                        float(params["time_limit_s"]), signal, sight=sight,
                        pole_height=layout.height_m[keep])
    except PlanError as exc:
        raise AlgorithmError(str(exc)) from None
    ctx.progress(0.9)
    radio, radio_lines = radio_check(params, requirements, catalogue, demands, result,
                                     layout.xy[keep], layout.height_m[keep], sight)
    spec = catalogue["equipment"]
    names = [e for e in spec if e in result.equipment]
    carried = [[e for e in names if result.equipment[e][i]] for i in range(int(keep.sum()))]
    extra = {
        "pole_type": [str(t) for t in result.pole_type],
        "equipment": [", ".join(c) for c in carried],
        "n_equipment": [len(c) for c in carried],
        "smart": [bool(s) for s in result.smart],
        "camera_units": [int(u) for u in result.camera_units],
        "power_w": [round(float(p), 1) for p in result.power_w],
        "cost_cny": [round(float(c), 2) for c in result.cost_cny],
    }
    for e in names:
        extra[f"has_{e}"] = [int(v) for v in result.equipment[e]]
    layer = layout_layer(layout, params, "Smart poles", extra, keep)
    bill = bill_table(result, catalogue, names)
    met = Table({key: [r[key] for r in result.requirements]
                 for key in ("department", "equipment", "demand", "radius_m", "k", "points",
                             "coverable", "covered", "covered_share", "poles")})
    status = layout.status[keep]
    counts = layout_counts(layout)
    counts.update(poles=int(keep.sum()), new_poles=int((status == "new").sum()),
                  merged_poles=int((status == "merged").sum()),
                  kept_poles=int((status == "reused").sum()))
    if params.get("poles") is not None and params.get("area") is not None:
        ex = params["poles"].data
        gone = np.asarray(ex.vertices[: ex.n_features, :2])[layout.removed]
        counts["removed_poles"] = int(_inside(gone, params["area"]).sum())
    total_cost = float(result.cost_cny.sum())
    total_kw = float(result.power_w.sum()) / 1000
    report = plan_report(layout, result, counts, total_cost, total_kw, notes, radio_lines)
    if params.get("pdf_report"):
        written = write_pdf(params["pdf_report"], report, bill, met)
        report += "".join(f"\nNote: PDF: {w}" for w in written.warnings)
    return {"plan": layer, "bill": bill, "requirements_met": met, **counts,
            "smart_poles": int(result.smart.sum()), "total_cost_cny": round(total_cost, 2),
            "total_power_kw": round(total_kw, 3), "objective": round(result.objective, 6),
            "bound": round(result.bound, 6), "gap": round(result.gap, 6),
            "optimal": bool(result.optimal), "solve_seconds": round(result.seconds, 3),
            **radio, "report": Report(report, "Smart pole plan")}


RADIO_KEYS = ("rsrp_share_above", "rsrp_median_dbm", "sinr_median_db", "sinr_p5_db")


def radio_check(params: dict[str, Any], requirements: list[dict[str, Any]],
                catalogue: dict[str, Any], demands: dict[int, Any], result: Any,
                poles_xy: np.ndarray, pole_height: np.ndarray,
                sight: Any) -> tuple[dict[str, Any], list[str]]:
    """RSRP and SINR of the chosen 5G cells at every 5G demand point (pole_siting.radio):
    the outputs (None when there is no 5G demand) and the report's lines."""
    from pole_siting.equipment import RX_HEIGHT_M, mount_heights

    empty: dict[str, Any] = dict.fromkeys(RADIO_KEYS)
    reqs = [i for i, r in enumerate(requirements) if r["equipment"] == "small_cell_5g"
            and len(demands[i][0])]
    chosen = result.equipment.get("small_cell_5g")
    if not reqs or chosen is None:
        return empty, []
    from pole_siting import radio

    if not radio.load_coverage_5g():
        return empty, ["Note: 5G RSRP and SINR not recomputed: the 5G coverage plugin is "
                       "not available"]
    cells = np.flatnonzero(chosen)
    h = mount_heights("small_cell_5g", catalogue["equipment"], pole_height, len(poles_xy))
    rsrp, sinr, weights = [], [], []
    for r_i in reqs:
        req = requirements[r_i]
        xy, w = demands[r_i]
        out = radio.evaluate(poles_xy[cells], h[cells], xy, float(params["eirp_dbm"]), sight,
                             r_i, float(req.get("rx_height_m", RX_HEIGHT_M["small_cell_5g"])),
                             float(req.get("indoor_loss_db", 0.0)))
        rsrp.append(out["rsrp_dbm"])
        sinr.append(out["sinr_db"])
        weights.append(w)
    threshold = float(params["rsrp_threshold_dbm"])
    figures = radio.summary(np.concatenate(rsrp), np.concatenate(sinr),
                            np.concatenate(weights), threshold)

    def fmt(v: Any, unit: str) -> str:
        return "n/a" if v is None else f"{v:.1f} {unit}"

    los = "line of sight by the buildings" if sight is not None else "NLOS everywhere"
    lines = [
        "",
        f"5G of the chosen plan, recomputed from the {len(cells)} chosen cells "
        f"({radio.MODEL} {radio.FREQUENCY_GHZ:g} GHz, {los}, EIRP "
        f"{float(params['eirp_dbm']):g} dBm; every chosen cell within {radio.REACH_M:g} m):",
        f"RSRP >= {threshold:g} dBm at {figures['rsrp_share_above']:.1%} of the 5G demand; "
        f"median RSRP {fmt(figures['rsrp_median_dbm'], 'dBm')}.",
        f"SINR median {fmt(figures['sinr_median_db'], 'dB')}, 5th percentile "
        f"{fmt(figures['sinr_p5_db'], 'dB')}; below 0 dB at "
        f"{figures['sinr_share_below_0db']:.1%} (all cells on one {radio.BANDWIDTH_MHZ:g} MHz "
        f"carrier at full load, noise figure {radio.NOISE_FIGURE_DB:g} dB).",
        "Note: the covering model ignored interference among the chosen cells; the SINR "
        "above counts it.",
    ]
    return {k: figures[k] for k in RADIO_KEYS}, lines


def write_pdf(path: Any, report: str, bill: Table, met: Table) -> Any:
    """The plan report as a PDF (Chinese in a CJK font when the machine has one)."""
    try:
        return write_pdf_report(path, "Smart pole plan / 智慧杆规划", report,
                                [("Bill of equipment / 设备清单", bill),
                                 ("Requirements met / 需求满足情况", met)])
    except OSError as exc:
        raise AlgorithmError(f"pdf_report: cannot write {path}: {exc.strerror or exc}") \
            from None


def bill_table(result: Any, catalogue: dict[str, Any], names: list[str]) -> Table:
    spec = catalogue["equipment"]
    rows = []
    for e in names:
        count = int(result.equipment[e].sum())
        if e == "camera":
            count = int(result.camera_units.sum()) or count
        item = spec[e]
        rows.append([e, item.get("label", e), count, float(item.get("price_cny", 0)),
                     count * float(item.get("price_cny", 0)),
                     count * float(item.get("power_w", 0)) / 1000])
    types = catalogue["pole_types"]
    for key, n in sorted(Counter(str(t) for t in result.pole_type).items()):
        price = float(types.get(key, {}).get("price_cny", 0))
        rows.append([f"pole:{key}", types.get(key, {}).get("label", key), n, price, n * price,
                     0.0])
    return Table.from_rows(["item", "label", "count", "unit_price_cny", "cost_cny",
                            "power_kw"], rows)


def plan_report(layout: Any, result: Any, counts: dict[str, int], cost: float, kw: float,
                notes: list[str], radio_lines: list[str] | None = None) -> str:
    proof = ("proven optimal" if result.optimal
             else f"best found within the time limit, gap {result.gap:.1%} to the bound "
                  f"{result.bound:g}")
    lines = [
        f"{counts['poles']} poles ({counts['new_poles']} new, {counts['merged_poles']} "
        f"merged, {counts['kept_poles']} kept); {counts['removed_poles']} existing poles "
        "removed.",
        f"{int(result.smart.sum())} smart poles; total cost {cost:,.0f} CNY, power "
        f"{kw:,.1f} kW.",
        f"Equipment placement: objective {result.objective:g}, {proof} "
        f"({result.status}, {result.seconds:.1f} s; model {result.model_size.get('rows', 0)} "
        f"rows x {result.model_size.get('columns', 0)} columns).",
        "",
        "| department | equipment | demand | covered | share | poles |",
        "|---|---|---|---|---|---|",
    ]
    for r in result.requirements:
        lines.append(f"| {r['department']} | {r['equipment']} | {r['demand']} "
                     f"({r['points']}) | {r['covered']} | {r['covered_share']:.1%} | "
                     f"{r['poles']} |")
    lines += radio_lines or []
    lines.append("")
    lines.append("Lighting layout of the whole road network:")
    lines.append(layout_report(layout))
    lines += [f"Note: {w}" for w in [*result.warnings, *notes]]
    return "\n".join(lines)
