"""Step 2: which poles carry which equipment, so that every department's requirement is
met on the fewest smart poles (or at least cost), within each pole's slots and power.

One mixed-integer model for all equipment at once, solved with HiGHS:

* ``x[e, j]`` — pole j carries equipment e (only poles that cover some demand of e);
* ``u[j]`` — pole j becomes a smart pole (kept existing poles have no ``u``: they carry
  what fits in their own spare slots and power, at no pole cost);
* every demand point of e covered ``k`` times: ``sum_j a_ij x[e, j] >= k_i``;
* ``x[e, j] <= u[j]``; ``sum_e slots_e x[e, j] <= S u[j]``; ``sum_e power_e x[e, j] <= P u[j]``;
* objective ``sum u`` (poles) or the cost of the upgrades and the equipment (cost).

Equipment already on kept existing poles (cameras on camera poles) is fixed as built.
Shares covered are recomputed from the chosen poles and the coverage matrices.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from pole_siting import covering

DATA = Path(__file__).resolve().parent / "data"
#: existing pole kinds and the equipment they already carry
EXISTING_EQUIPMENT = {"camera_pole": ("camera",), "traffic_signal": ()}


class PlanError(ValueError):
    """A plan that cannot be made as asked; one line naming the input."""


def load_json(path: str | Path | None, default: str) -> dict[str, Any]:
    target = Path(path) if path else DATA / default
    try:
        with target.open(encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise PlanError(f"cannot read {target.name}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise PlanError(f"{target.name} is not valid JSON: {exc}") from None


def check_requirements(requirements: list[dict[str, Any]], catalogue: dict[str, Any]) -> None:
    """Every requirement names known equipment that some smart pole type can carry."""
    equipment = catalogue.get("equipment", {})
    types = {k: v for k, v in catalogue.get("pole_types", {}).items() if k != "existing"}
    for n, req in enumerate(requirements, 1):
        name = f"requirement {n} ({req.get('department', '?')}: {req.get('equipment', '?')})"
        e = req.get("equipment")
        if e not in equipment:
            raise PlanError(f"{name}: equipment {e!r} is not in the price list")
        if req.get("demand") not in ("buildings", "hotspots", "junctions", "road_points"):
            raise PlanError(f"{name}: demand must be buildings, hotspots, junctions or "
                            f"road_points, not {req.get('demand')!r}")
        try:
            radius = float(req.get("radius_m", 0))
            k = int(req.get("k", 1))
        except (TypeError, ValueError):
            raise PlanError(f"{name}: radius_m and k must be numbers") from None
        if not radius > 0 or k < 1:
            raise PlanError(f"{name}: radius_m must be positive and k at least 1")
        item = equipment[e]
        fits = [t for t, spec in types.items()
                if e in spec.get("carries", ())
                and item.get("slots", 0) <= spec.get("slots", 0)
                and item.get("power_w", 0) <= spec.get("power_w", 0)
                and item.get("load_kg", 0) <= spec.get("load_kg", math.inf)]
        if not fits:
            raise PlanError(f"{name}: no pole type can carry {e} (slots, power or load "
                            "too large, or no type lists it)")


def road_points(roads: Any, classes: Any, spacing: float) -> np.ndarray:
    """Points every ``spacing`` metres along the roads of ``classes`` (all if None)."""
    import shapely

    from pole_siting.inputs import lines_of

    lines, part_feature = lines_of(roads)
    klass = np.array([str(v or "") for v in roads.columns.get("class", [""] * roads.n_features)])
    keep = np.ones(len(lines), bool) if not classes else np.isin(klass[part_feature],
                                                                 list(classes))
    lines = lines[keep]
    if not len(lines):
        return np.zeros((0, 2))
    length = shapely.length(lines)
    n = np.maximum(np.floor(length / spacing).astype(np.int64), 0) + 1
    which = np.repeat(np.arange(len(lines)), n)
    step = np.arange(len(which)) - np.repeat(np.cumsum(n) - n, n)
    offset = (length - (n - 1) * spacing) / 2  # centred on each line
    dist = offset[which] + step * spacing
    return shapely.get_coordinates(shapely.line_interpolate_point(lines[which], dist))


@dataclass
class Assignment:
    equipment: dict[str, np.ndarray]  # equipment -> bool per pole
    smart: np.ndarray  # bool per pole
    pole_type: np.ndarray  # str per pole
    power_w: np.ndarray
    cost_cny: np.ndarray
    camera_units: np.ndarray
    requirements: list[dict[str, Any]]  # per requirement: demand, covered, share...
    objective: float
    bound: float
    optimal: bool
    status: str
    seconds: float
    model_size: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float:
        return covering.relative_gap(self.objective, self.bound, self.optimal)


#: receiver heights above ground (m) for the line-of-sight test, unless a requirement
#: gives ``rx_height_m``: a phone for 5G, a person or vehicle for cameras
RX_HEIGHT_M = {"small_cell_5g": 1.5, "camera": 1.0}
#: equipment whose coverage needs line of sight past the buildings (with a Sight given)
NEEDS_SIGHT = ("camera", "small_cell_5g")


def mount_heights(equipment: str, spec: dict[str, Any], pole_height: np.ndarray | None,
                  n: int) -> np.ndarray:
    """Antenna / lens height above ground per pole: the catalogue's ``mount_height_m`` of
    the equipment, else the pole's height (10 m when unknown)."""
    item = spec.get(equipment, {})
    if item.get("mount_height_m") is not None:
        return np.full(n, float(item["mount_height_m"]))
    return (np.asarray(pole_height, float) if pole_height is not None
            else np.full(n, 10.0))


def coverage_for(req: dict[str, Any], poles_xy: np.ndarray, demand_xy: np.ndarray,
                 signal: dict[str, Any] | None, sight: Any = None, r_i: int | None = None,
                 tx_h: np.ndarray | None = None) -> sparse.csr_matrix:
    """The requirement's coverage matrix: a radius, or for 5G (``signal`` given) the RSRP
    of the coverage plugin's model within the radius. With ``sight`` (the buildings),
    a camera covers only the points it sees, and each 5G pair takes the model's LOS or
    NLOS loss by the line of sight from the antenna (``tx_h``) to the receiver."""
    radius = float(req["radius_m"])
    e = req["equipment"]
    # 5G by radius (no signal) stays the fast radius test
    use_sight = sight is not None and e in NEEDS_SIGHT and (e != "small_cell_5g" or signal)
    if (e != "small_cell_5g" or not signal) and not use_sight:
        return covering.radius_matrix(poles_xy, demand_xy, radius)
    i, j, d = covering.pair_distances(poles_xy, demand_xy, radius)
    shape = (len(demand_xy), len(poles_xy))
    tx = tx_h if tx_h is not None else np.full(len(poles_xy), 10.0)
    rx_h = float(req.get("rx_height_m", RX_HEIGHT_M.get(e, 1.5)))
    los = (sight.visible(r_i, poles_xy, tx, demand_xy, rx_h, i, j) if use_sight
           else np.zeros(len(i), bool))
    if e != "small_cell_5g" or not signal:
        return covering.matrix_from_pairs(i, j, los, shape)
    rsrp = (signal["eirp_dbm"] - signal["path_loss"](d, tx[j], rx_h, los)
            - float(req.get("indoor_loss_db", 0.0)))
    return covering.matrix_from_pairs(i, j, rsrp >= signal["threshold_dbm"], shape)


def assign(poles_xy: np.ndarray, status: np.ndarray, kinds: np.ndarray,
           requirements: list[dict[str, Any]], catalogue: dict[str, Any],
           demands: dict[int, tuple[np.ndarray, np.ndarray]], objective: str = "poles",
           time_limit: float | None = 60.0, signal: dict[str, Any] | None = None,
           mip_gap: float = 1e-6, progress: Any = None, sight: Any = None,
           pole_height: np.ndarray | None = None) -> Assignment:
    """Place the equipment of ``requirements`` on the poles. ``demands[n]`` holds the
    demand points and weights of requirement n; ``status`` is new / merged / reused per
    pole and ``kinds`` the existing pole kind of reused ones. ``sight``
    (:class:`pole_siting.sightlines.Sight`) blocks cameras and 5G links by the
    buildings; ``pole_height`` (m) is the mount height of equipment the catalogue gives
    none for."""
    t0 = time.perf_counter()
    check_requirements(requirements, catalogue)
    equipment_spec = catalogue["equipment"]
    types = catalogue["pole_types"]
    n = len(poles_xy)
    if n == 0:
        raise PlanError("poles: there are no poles to place equipment on")
    reused = np.asarray(status) == "reused"
    smart_types = {k: v for k, v in types.items() if k != "existing"}
    big = max(smart_types.values(), key=lambda t: (t.get("slots", 0), t.get("power_w", 0)))
    base_type = min((t for t in smart_types.values() if t.get("slots", 0) > 0),
                    key=lambda t: t["price_cny"])
    exist = types.get("existing", {"slots": 0, "power_w": 0, "carries": []})
    light = types.get("lighting_pole", {"price_cny": 0})
    heavy_only = {e for e in equipment_spec
                  if any(e in t.get("carries", ()) for t in smart_types.values())
                  and e not in base_type.get("carries", ())}
    names = sorted({r["equipment"] for r in requirements})
    # fixed equipment on kept existing poles
    fixed = {e: np.zeros(n, bool) for e in names}
    for kind, carried in EXISTING_EQUIPMENT.items():
        for e in carried:
            if e in fixed:
                fixed[e] |= reused & (np.asarray(kinds) == kind)
    warnings: list[str] = []
    blocks = []  # per equipment: (e, columns, stacked rows, need)
    report: list[dict[str, Any]] = []
    matrices: list[tuple[int, sparse.csr_matrix, np.ndarray, np.ndarray]] = []
    for r_i, req in enumerate(requirements):
        xy, w = demands[r_i]
        label = f"{req['department']}: {req['equipment']}"
        if not len(xy):
            warnings.append(f"{label}: no demand points ({req['demand']})")
            matrices.append((r_i, sparse.csr_matrix((0, n), dtype=np.int8), w, np.zeros(0, bool)))
            continue
        A = coverage_for(req, poles_xy, xy, signal, sight, r_i,
                         mount_heights(req["equipment"], equipment_spec, pole_height, n))
        can = np.diff(A.indptr) >= int(req.get("k", 1))
        if not can.all():
            why = (f"beyond {req['radius_m']} m of any pole" if signal is None
                   and (sight is None or req["equipment"] not in NEEDS_SIGHT)
                   else f"not reached within {req['radius_m']} m (signal or line of sight)")
            warnings.append(f"{label}: {int((~can).sum())} of {len(xy)} {req['demand']} "
                            f"points are {why} (left out)")
        matrices.append((r_i, A, w, can))
    if progress:
        progress(0.2)
    for e in names:
        rows, needs = [], []
        for r_i, A, _w, can in matrices:
            req = requirements[r_i]
            if req["equipment"] != e or not can.any():
                continue
            Ar = A[can]
            k = int(req.get("k", 1))
            residual = k - covered_counts_fixed(Ar, fixed[e])
            open_rows = residual > 0
            rows.append(Ar[open_rows])
            needs.append(residual[open_rows])
        if not rows:
            continue
        stacked = sparse.vstack(rows, format="csr")
        need = np.concatenate(needs)
        allowed = ~fixed[e] & np.where(reused, e in exist.get("carries", ()), True)
        cols = np.flatnonzero(allowed & (np.diff(stacked.tocsc().indptr) > 0))
        sub = stacked[:, cols]
        sub, _, need = covering.unique_rows(sub, np.ones(sub.shape[0]), need)
        keep = ~covering.dominated_rows(sub, need)
        sub, need = sub[keep], need[keep]
        short = np.diff(sub.indptr) < need
        if short.any():
            raise PlanError(f"equipment {e}: {int(short.sum())} demand points cannot be "
                            "covered often enough by poles that can carry it")
        if sub.shape[0]:
            blocks.append((e, cols, sub, need))
    # variables: x blocks then u (non-reused poles)
    upgradable = np.flatnonzero(~reused)
    u_index = np.full(n, -1)
    u_index[upgradable] = np.arange(len(upgradable))
    offsets = np.cumsum([0] + [len(b[1]) for b in blocks])
    nx = int(offsets[-1])
    nu = len(upgradable)
    nvar = nx + nu
    cover_rows, cover_lo = [], []
    for bi, (_e, _cols, sub, need) in enumerate(blocks):
        coo = sub.tocoo()
        cover_rows.append(sparse.csr_matrix((np.ones(coo.nnz), (coo.row, coo.col + offsets[bi])),
                                            shape=(sub.shape[0], nvar)))
        cover_lo.append(need.astype(float))
    # link, slots and power rows per pole
    var_pole = np.concatenate([b[1] for b in blocks]) if blocks else np.zeros(0, np.int64)
    var_equipment = np.concatenate([[b[0]] * len(b[1]) for b in blocks]) if blocks \
        else np.zeros(0, str)
    slots = np.array([equipment_spec[e].get("slots", 0) for e in var_equipment], float)
    power = np.array([equipment_spec[e].get("power_w", 0) for e in var_equipment], float)
    price = np.array([equipment_spec[e].get("price_cny", 0) for e in var_equipment], float)
    surcharge = max(0.0, float(big["price_cny"]) - float(base_type["price_cny"]))
    price = price + np.where(np.isin(var_equipment, list(heavy_only)), surcharge, 0.0)
    on_up = u_index[var_pole] >= 0
    link = sparse.csr_matrix(
        (np.concatenate([np.ones(int(on_up.sum())), -np.ones(int(on_up.sum()))]),
         (np.concatenate([np.arange(int(on_up.sum()))] * 2),
          np.concatenate([np.flatnonzero(on_up), nx + u_index[var_pole[on_up]]]))),
        shape=(int(on_up.sum()), nvar))
    cap_rows, cap_hi = [], []
    for amount, cap_new, cap_old, used_fixed in (
            (slots, big.get("slots", 0), exist.get("slots", 0), _fixed_use(fixed, equipment_spec,
                                                                          "slots", n)),
            (power, big.get("power_w", 0), exist.get("power_w", 0),
             _fixed_use(fixed, equipment_spec, "power_w", n))):
        data = np.concatenate([amount, -np.full(nu, float(cap_new))])
        row = np.concatenate([var_pole, upgradable])
        col = np.concatenate([np.arange(nx), nx + np.arange(nu)])
        cap_rows.append(sparse.csr_matrix((data, (row, col)), shape=(n, nvar)))
        cap_hi.append(np.where(reused, float(cap_old) - used_fixed, 0.0))
    A_all = sparse.vstack([*cover_rows, link, *cap_rows], format="csr")
    lo = np.concatenate(cover_lo + [np.full(link.shape[0], -np.inf)]
                        + [np.full(n, -np.inf)] * 2)
    hi = np.concatenate([np.full(sum(len(c) for c in cover_lo), np.inf),
                         np.zeros(link.shape[0]), *cap_hi])
    if objective == "cost":
        upgrade = np.where(np.asarray(status)[upgradable] == "new",
                           float(base_type["price_cny"]) - float(light["price_cny"]),
                           float(base_type["price_cny"]))
        upgrade = upgrade + sum(float(equipment_spec[e].get("price_cny", 0))
                                for e in catalogue.get("every_smart_pole", ())
                                if e in equipment_spec)
        c = np.concatenate([price, upgrade])
    else:
        c = np.concatenate([np.zeros(nx), np.ones(nu)])
    size = {"rows": int(A_all.shape[0]), "columns": nvar, "nonzeros": int(A_all.nnz)}
    if progress:
        progress(0.4)
    if nvar == 0 or not cover_rows:
        x = np.zeros(nvar)
        sol = {"optimal": True, "bound": 0.0, "status": "Optimal", "x": x}
    else:
        sol = covering.solve_mip(c, A_all, lo, hi, np.zeros(nvar), np.ones(nvar),
                                 np.ones(nvar, bool), time_limit, mip_gap)
        if sol["x"] is None:
            raise PlanError("the equipment cannot be placed within the poles' slots and "
                            f"power ({sol['status']}); raise the limits or add poles")
    x = sol["x"]
    if progress:
        progress(0.9)
    chosen = {e: fixed[e].copy() for e in names}
    for bi, (e, cols, _sub, _need) in enumerate(blocks):
        chosen[e][cols[x[offsets[bi]:offsets[bi + 1]] > 0.5]] = True
    carrying = np.zeros(n, bool)
    for e in names:
        carrying |= chosen[e]
    smart = carrying & ~reused
    # every requirement checked again from the matrices and the plan
    for r_i, A, w, can in matrices:
        req = requirements[r_i]
        k = int(req.get("k", 1))
        counts = covering.covered_counts(A, np.flatnonzero(chosen[req["equipment"]])) \
            if A.shape[0] else np.zeros(0)
        ok = counts >= k
        if A.shape[0] and (ok[can] == 0).any():
            raise PlanError(f"internal check failed: {req['equipment']} leaves demand "
                            "uncovered")
        total = float(w.sum()) if len(w) else 0.0
        report.append({"department": req["department"], "equipment": req["equipment"],
                       "demand": req["demand"], "radius_m": float(req["radius_m"]), "k": k,
                       "points": int(A.shape[0]), "coverable": int(can.sum()),
                       "covered": int(ok.sum()),
                       "covered_share": float(w[ok].sum() / total) if total > 0 else 0.0,
                       "poles": int(chosen[req["equipment"]].sum())})
    for e in catalogue.get("every_smart_pole", ()):
        if e in equipment_spec:
            chosen[e] = smart.copy()
    chosen["lighting"] = ~reused
    pole_type, power_w, cost = _price_poles(chosen, smart, reused, status, catalogue)
    camera = _camera_units(poles_xy, chosen.get("camera"), requirements, demands,
                           equipment_spec.get("camera", {}), matrices)
    rounded = (x > 0.5).astype(float)
    obj = float(smart.sum()) if objective != "cost" else float(c @ rounded)
    bound = float(sol["bound"]) if math.isfinite(sol["bound"]) else 0.0
    if objective != "cost":
        bound = math.ceil(bound - 1e-6)
    optimal = bool(sol["optimal"])
    return Assignment(chosen, smart, pole_type, power_w, cost, camera, report, obj,
                      bound, optimal, str(sol["status"]), time.perf_counter() - t0, size,
                      warnings)


def covered_counts_fixed(A: sparse.csr_matrix, fixed: np.ndarray) -> np.ndarray:
    return covering.covered_counts(A, np.flatnonzero(fixed)) if fixed.any() \
        else np.zeros(A.shape[0], np.int64)


def _fixed_use(fixed: dict[str, np.ndarray], spec: dict[str, Any], key: str,
               n: int) -> np.ndarray:
    used = np.zeros(n)
    for e, mask in fixed.items():
        used += mask * float(spec[e].get(key, 0))
    return used


def _price_poles(chosen: dict[str, np.ndarray], smart: np.ndarray, reused: np.ndarray,
                 status: np.ndarray, catalogue: dict[str, Any]) -> tuple[np.ndarray, ...]:
    """Pole type (the cheapest smart type that carries and fits everything), power, cost."""
    spec = catalogue["equipment"]
    types = catalogue["pole_types"]
    n = len(smart)
    names = [e for e in chosen if e in spec]
    has = np.column_stack([chosen[e] for e in names]) if names else np.zeros((n, 0), bool)
    slots = has @ np.array([spec[e].get("slots", 0) for e in names], float)
    power = has @ np.array([spec[e].get("power_w", 0) for e in names], float)
    eq_cost = has @ np.array([spec[e].get("price_cny", 0) for e in names], float)
    pole_type = np.where(reused, "existing", "lighting_pole").astype(object)
    pole_cost = np.where(reused | (np.asarray(status) == "merged"), 0.0,
                         float(types.get("lighting_pole", {}).get("price_cny", 0)))
    candidates = sorted(((k, t) for k, t in types.items()
                         if k not in ("existing", "lighting_pole")),
                        key=lambda kv: kv[1]["price_cny"])
    left = smart.copy()
    for key, t in candidates:
        carries = set(t.get("carries", ()))
        ok = np.ones(n, bool)
        for col, e in enumerate(names):
            if e not in carries and e != "lighting":
                ok &= ~has[:, col]
        ok &= (slots <= t.get("slots", 0)) & (power <= t.get("power_w", 0)) & left
        pole_type[ok] = key
        pole_cost[ok] = float(t["price_cny"])
        left &= ~ok
    if left.any():
        key, t = candidates[-1]
        pole_type[left] = key
        pole_cost[left] = float(t["price_cny"])
    # kept existing poles pay only for what is added to them
    return pole_type, power, pole_cost + eq_cost


def _camera_units(poles_xy: np.ndarray, cameras: np.ndarray | None,
                  requirements: list[dict[str, Any]], demands: dict[int, Any],
                  spec: dict[str, Any], matrices: list | None = None) -> np.ndarray:
    """Camera units per pole: arcs of the camera's field of view needed to see every
    demand point the pole covers (greedy arc cover on the circle of directions). The
    points a pole covers come from the camera requirements' coverage matrices, so
    points hidden behind buildings need no arc."""
    n = len(poles_xy)
    units = np.zeros(n, np.int64)
    if cameras is None or not cameras.any():
        return units
    fov = math.radians(float(spec.get("fov_deg", 360)))
    parts = [(demands[r_i][0], A) for r_i, A, _w, _can in (matrices or [])
             if requirements[r_i]["equipment"] == "camera" and A.shape[0]]
    poles = np.flatnonzero(cameras)
    units[poles] = 1
    if not parts:
        return units
    xy = np.vstack([p[0] for p in parts])
    A = sparse.vstack([p[1] for p in parts], format="csc")
    for p in poles:
        idx = A.indices[A.indptr[p]:A.indptr[p + 1]]
        if not len(idx):
            continue
        d = xy[idx] - poles_xy[p]
        ang = np.sort(np.mod(np.arctan2(d[:, 1], d[:, 0]), 2 * np.pi))
        units[p] = _arcs_needed(ang, fov)
    return units


def _arcs_needed(angles: np.ndarray, fov: float) -> int:
    """Fewest arcs of width ``fov`` covering sorted angles on the circle (try each start)."""
    if fov >= 2 * np.pi or len(angles) <= 1:
        return 1
    best = len(angles)
    for s in range(len(angles)):
        rot = np.mod(angles - angles[s], 2 * np.pi)
        rot.sort()
        count, edge = 0, -1.0
        for a in rot:
            if a > edge:
                count += 1
                edge = a + fov
        best = min(best, count)
    return best
